// Analyses on hand-computed cases, the generated gnuplot text, and rendering (PNG signature) when
// gnuplot is installed.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "plots/analysis.h"
#include "plots/figure.h"
#include "plots/figures.h"
#include "runtime/layer_results.h"
#include "plots/report.h"
#include "test_configs.h"

#include "test_dir.h"

using namespace vtasim;
using vtasim::test::test_dir;
using vtasim::test::ideal_cfg;

namespace {

// A hand-made result row on the default Pynq machine (8 bytes per cycle, 51.2 GOPS, ridge 64).
LayerResult row(const std::string& layer, uint32_t threads, uint64_t cycles, uint64_t ops, uint64_t bytes, int count = 1) {
  LayerResult r;
  r.layer = layer;
  r.threads = threads;
  r.count = count;
  r.cycles = cycles;
  r.ops = ops;
  r.macs = ops / 2;
  r.dram_bytes = bytes;
  r.bytes[2] = bytes;
  r.verified = "yes";
  r.derive(ideal_cfg());
  return r;
}

// The row's timing statistics (cycles and bytes as the row has them), for tests that set some.
TimedStats& timing_of(LayerResult& r) {
  if (!r.timing) {
    r.timing = TimedStats{};
    r.timing->cycles = r.cycles;
    for (int k = 0; k < kByteKindCount; ++k) r.timing->bytes[k] = r.bytes[k];
  }
  return *r.timing;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("roofline quantities of a hand-computed point", "[plots][analysis]") {
  // 1,000,000 ops over 10,000 bytes in 100,000 cycles at 100 MHz (1 ms):
  // 1 GOPS, 100 ops/byte -> compute roof 51.2, compute-bound, utilisation 1/51.2.
  const LayerResult r = row("X", 1, 100000, 1000000, 10000);
  CHECK(r.time_us == Approx(1000.0));
  CHECK(r.gops == Approx(1.0));
  CHECK(r.ai_ops_per_byte == Approx(100.0));
  CHECK(r.roof_gops == Approx(51.2));
  CHECK(r.bound == "compute");
  CHECK(r.utilization == Approx(1.0 / 51.2));
  // 10 ops/byte: bandwidth roof 0.8 GB/s x 10 = 8 GOPS, memory-bound.
  const LayerResult m = row("Y", 1, 100000, 1000000, 100000);
  CHECK(m.roof_gops == Approx(8.0));
  CHECK(m.bound == "memory");
}

TEST_CASE("latency hiding speedups, geometric mean and network totals weighted by count", "[plots][analysis]") {
  const std::vector<LayerResult> rows = {row("A", 1, 1000, 2000, 100, 3), row("A", 2, 500, 2000, 120, 3),
                                         row("B", 1, 800, 1000, 100, 1), row("B", 2, 1000, 1000, 100, 1)};
  const auto lh = latency_hiding(rows);
  REQUIRE(lh.size() == 2);
  CHECK(lh[0].speedup == Approx(2.0));
  CHECK(lh[1].speedup == Approx(0.8));
  CHECK(geometric_mean_speedup(lh) == Approx(std::sqrt(1.6)));
  const auto t = network_totals(rows);
  REQUIRE(t.size() == 2);
  CHECK(t[0].threads == 1);
  CHECK(t[0].cycles == Approx(3 * 1000 + 800));
  CHECK(t[0].ops == Approx(3 * 2000 + 1000));
  CHECK(t[1].cycles == Approx(3 * 500 + 1000));
  // 7000 ops in 38 us -> 0.184 GOPS
  CHECK(t[0].gops == Approx(7000.0 / (38.0 * 1e3)));
}

TEST_CASE("compute breakdown shares come from the statistics and add up", "[plots][analysis]") {
  LayerResult r = row("A", 1, 1000, 2000, 100);
  ModuleStats& c = timing_of(r).modules[int(Module::Compute)];
  const std::pair<Activity, Cycles> spent[] = {{Activity::busy(), 600},
                                               {Activity::wait_token(TokenQueue::LoadToCompute), 200},
                                               {Activity::wait_token(TokenQueue::StoreToCompute), 50},
                                               {Activity::full_token(TokenQueue::ComputeToStore), 50},
                                               {Activity::wait_memory(), 40},
                                               {Activity::wait_cmd(), 40},
                                               {Activity::full_token(TokenQueue::ComputeToLoad), 20}};
  for (const auto& [a, n] : spent) c.activity[a.index()] = n;
  const ComputeBreakdown b = compute_breakdown(r);
  CHECK(b.busy == Approx(0.6));
  CHECK(b.wait_load == Approx(0.2));
  CHECK(b.wait_store == Approx(0.1));
  CHECK(b.wait_memory == Approx(0.04));
  double sum = 0;
  for (double v : b.values()) sum += v;
  CHECK(sum == Approx(1.0));
}

TEST_CASE("consistency checks catch a point above its roof and cycles below the bound", "[plots][analysis]") {
  const HwConfig cfg = ideal_cfg();
  std::vector<LayerResult> rows = {row("ok", 1, 100000, 1000000, 10000)};
  CHECK(consistency_problems(rows, cfg).empty());
  // 10,000 bytes need at least 1,250 cycles at 8 bytes per cycle; 1,000 cycles is impossible and its
  // GOPS (100) is above the 51.2 roof.
  rows.push_back(row("fast", 2, 1000, 1000000, 10000));
  const auto p = consistency_problems(rows, cfg);
  REQUIRE(p.size() == 2);
  CHECK(p[0].find("layer fast (2 thread(s))") != std::string::npos);
  CHECK(p[0].find("above its roof") != std::string::npos);
  CHECK(p[1].find("lower bound") != std::string::npos);
  // GEMM micro-ops bound too.
  LayerResult g = row("gemm", 1, 5000, 100, 8);
  timing_of(g).counters.gemm_counter = 6000;
  CHECK(consistency_problems({g}, cfg).size() == 1);
}

TEST_CASE("the roofline script draws both roofs, the ridge and one data row per point", "[plots][figures]") {
  const HwConfig cfg = ideal_cfg();
  const std::vector<LayerResult> rows = {row("conv_a", 1, 100000, 1000000, 10000), row("conv_a", 2, 80000, 1000000, 12000),
                                         row("conv_b", 1, 100000, 500000, 100000)};
  RunInfo info;
  info.workload = "my_net";
  info.version = "0.1.0";
  const Figure f = roofline_figure(rows, cfg, info);
  const std::string s = f.script();
  CHECK(s.find("peak = 51.2") != std::string::npos);
  CHECK(s.find("bw = 0.8") != std::string::npos);
  CHECK(s.find("ridge = 64") != std::string::npos);
  CHECK(s.find("roof(x) = (x * bw < peak) ? x * bw : peak") != std::string::npos);
  CHECK(s.find("compute roof 51.2 GOPS") != std::string::npos);
  CHECK(s.find("bandwidth roof 0.8 GB/s") != std::string::npos);
  CHECK(s.find("ridge 64 ops/B") != std::string::npos);
  CHECK(s.find("set logscale xy 10") != std::string::npos);
  CHECK(s.find("noenhanced") != std::string::npos);  // underscores stay literal
  CHECK(s.find("Roofline: my_net") != std::string::npos);
  CHECK(s.find("pngcairo") != std::string::npos);
  CHECK(s.find("svg") != std::string::npos);
  // Data: block 0 holds the two 1-thread points, block 1 the 2-thread point, block 2 one arrow,
  // block 3 the label positions.
  std::vector<std::vector<std::string>> blocks(1);
  std::istringstream in(f.data);
  std::string line;
  int blank = 0;
  while (std::getline(in, line)) {
    if (line.empty()) {
      if (++blank == 2) blocks.emplace_back();
      continue;
    }
    blank = 0;
    if (line[0] != '#') blocks.back().push_back(line);
  }
  REQUIRE(blocks.size() == 4);
  REQUIRE(blocks[0].size() == 2);
  CHECK(blocks[0][0] == "100 1 \"conv_a\"");
  CHECK(blocks[0][1] == "5 0.5 \"conv_b\"");
  REQUIRE(blocks[1].size() == 1);
  REQUIRE(blocks[2].size() == 1);
  // The arrow runs from the 1-thread point to the 2-thread point (83.3 ops/B, 1.25 GOPS).
  CHECK(blocks[2][0] == "100 1 83.3333 1.25");
  // Block 3: one label per layer, next to its 1-thread point.
  REQUIRE(blocks[3].size() == 2);
  CHECK(blocks[3][0].find("\"conv_a\"") != std::string::npos);
  // Equal decades: x 1..1000 (3 decades), y 0.1..100 (3 decades) -> ratio 1.
  CHECK(s.find("set xrange [1:1000]") != std::string::npos);
  CHECK(s.find("set yrange [0.1:100]") != std::string::npos);
  CHECK(s.find("set size ratio 1\n") != std::string::npos);
}

TEST_CASE("gnuplot strings escape quotes, backslashes and newlines", "[plots][figures]") {
  CHECK(gp_quote("a_b") == "\"a_b\"");
  CHECK(gp_quote("say \"hi\"\nnext\\") == "\"say \\\"hi\\\"\\nnext\\\\\"");
}

TEST_CASE("figures render to PNG and SVG when gnuplot is installed", "[plots][render]") {
  if (std::system("command -v gnuplot > /dev/null 2>&1") != 0) {
    WARN("gnuplot is not installed: rendering not checked");
    return;
  }
  const HwConfig cfg = ideal_cfg();
  const std::vector<LayerResult> rows = {row("L_1", 1, 100000, 1000000, 10000), row("L_1", 2, 80000, 1000000, 12000)};
  RunInfo info;
  const std::string dir = test_dir() + "/test_render";
  std::system(("mkdir -p " + dir).c_str());
  for (const Figure& f : {roofline_figure(rows, cfg, info), latency_figure(rows, cfg, info)}) {
    const RenderOutcome r = render_figure(f, dir);
    CHECK(r.rendered);
    const std::string png = slurp(dir + "/" + f.name + ".png");
    REQUIRE(png.size() > 1000);
    CHECK(png.compare(0, 8, std::string("\x89PNG\r\n\x1a\n", 8)) == 0);
    CHECK(slurp(dir + "/" + f.name + ".svg").find("<svg") != std::string::npos);
    CHECK(slurp(dir + "/" + f.name + ".gp") == f.script());
  }
  // A script gnuplot rejects is an error, not an empty image.
  Figure bad;
  bad.name = "broken";
  bad.body = "  plot this is not gnuplot\n";
  CHECK_THROWS_WITH(render_figure(bad, dir), Catch::Contains("gnuplot could not draw"));
}

TEST_CASE("without gnuplot the script and data are still written", "[plots][render]") {
  ::setenv("VTASIM_GNUPLOT", "/nonexistent/gnuplot", 1);
  const std::vector<LayerResult> rows = {row("A", 1, 100000, 1000000, 10000)};
  const std::string dir = test_dir() + "/test_nognuplot";
  std::system(("rm -rf " + dir + " && mkdir -p " + dir).c_str());
  const RenderOutcome r = render_figure(roofline_figure(rows, ideal_cfg(), RunInfo{}), dir);
  ::unsetenv("VTASIM_GNUPLOT");
  CHECK_FALSE(r.rendered);
  CHECK(r.warning.find("gnuplot") != std::string::npos);
  CHECK_FALSE(slurp(dir + "/roofline.gp").empty());
  CHECK_FALSE(slurp(dir + "/roofline.dat").empty());
}

TEST_CASE("the report lists findings, the layer table and the figures", "[plots][report]") {
  const std::vector<LayerResult> rows = {row("A", 1, 1000, 2000, 100, 3), row("A", 2, 500, 2000, 120, 3)};
  const std::string md = summary_markdown(rows, ideal_cfg(), RunInfo{}, {"roofline.png"});
  CHECK(md.find("## Findings") != std::string::npos);
  CHECK(md.find("geometric mean x2.00") != std::string::npos);
  CHECK(md.find("| A | 2 | 500 |") != std::string::npos);
  CHECK(md.find("![roofline.png](roofline.png)") != std::string::npos);
  CHECK(md.find("Memory-bound") != std::string::npos);  // 20 ops/byte < 64
}

TEST_CASE("layers.csv round-trips through the parser", "[plots][csv]") {
  LayerResult a = row("A", 1, 1000, 2000, 100, 3);
  a.schedule = "auto: oc=1 ko=1 h=1 w=0";
  timing_of(a).modules[int(Module::Compute)].activity[Activity::busy().index()] = 600;
  a.timing->bursts = 7;
  const std::string csv = layers_to_csv({a}, 100.0);
  const auto back = layers_from_csv(csv, "t.csv");
  REQUIRE(back.size() == 1);
  CHECK(back[0].layer == "A");
  CHECK(back[0].cycles == 1000);
  CHECK(back[0].count == 3);
  CHECK(back[0].schedule == a.schedule);
  REQUIRE(back[0].timing);
  CHECK(back[0].timing->of(Module::Compute).of(Activity::busy()) == 600);
  CHECK(back[0].timing->bursts == 7);
  CHECK(back[0].timing->bytes[int(ByteKind::Inp)] == 100);
  CHECK(layers_to_csv(back, 100.0) == csv);
  CHECK_THROWS_WITH(layers_from_csv("x,y\n1,2\n", "bad.csv"), Catch::Contains("bad.csv:1"));
  // A renamed or missing statistic is an error naming it, never a silent zero.
  std::string renamed = csv;
  renamed.replace(renamed.find("compute.busy"), 12, "compute.work");
  CHECK_THROWS_WITH(layers_from_csv(renamed, "r.csv"), Catch::Contains("compute.busy"));
}

TEST_CASE("host time per instruction adds to the layer time, never to device throughput", "[plots][analysis]") {
  // 10 instructions (160 bytes of instruction stream) at 500 ns each: 5 us of host time. 1000 cycles at
  // 100 MHz: 10 us on the device. 30,000 ops: 2 GOPS end to end, 3 GOPS on the device.
  LayerResult r;
  r.layer = "H";
  r.cycles = 1000;
  r.ops = 30000;
  r.bytes[int(ByteKind::Insn)] = 160;
  r.bytes[int(ByteKind::Inp)] = 840;
  r.dram_bytes = 1000;
  r.derive(HwConfig::from_json_text("{}", "t", {"host.ns_per_insn=500"}));
  CHECK(r.host_us == Approx(5.0));
  CHECK(r.time_us == Approx(15.0));
  CHECK(r.gops == Approx(2.0));
  CHECK(r.device_gops == Approx(3.0));
  CHECK(r.utilization == Approx(3.0 / 51.2));
  // Without a host cost the two throughputs agree.
  r.derive(ideal_cfg());
  CHECK(r.host_us == 0);
  CHECK(r.gops == Approx(r.device_gops));
}

TEST_CASE("findings state the network-level gain and explain a layer two threads slow down", "[plots][analysis]") {
  // A: 1 thread 100k cycles, 2 threads 200k (x0.50); its weights go from 1 MB to 4 MB.
  LayerResult a1 = row("A", 1, 100000, 1000000, 2000000), a2 = row("A", 2, 200000, 1000000, 5000000);
  a1.bytes[int(ByteKind::Wgt)] = 1000000;
  a2.bytes[int(ByteKind::Wgt)] = 4000000;
  timing_of(a1).port_busy_cycles = 50000;
  timing_of(a2).port_busy_cycles = 190000;
  // B: x2.00, and B counts three times in the network; C has count 0 and x4.00.
  const LayerResult b1 = row("B", 1, 400000, 1000000, 1000, 3), b2 = row("B", 2, 200000, 1000000, 1000, 3);
  const LayerResult c1 = row("C", 1, 400000, 1000000, 1000, 0), c2 = row("C", 2, 100000, 1000000, 1000, 0);
  const auto f = findings({a1, a2, b1, b2, c1, c2}, ideal_cfg());
  std::string all;
  for (const auto& s : f) all += s + "\n";
  INFO(all);
  // Network: 1 thread 100k + 3 x 400k = 1.3M cycles = 13 ms; 2 threads 200k + 3 x 200k = 8 ms: x1.62.
  CHECK(all.find("in 8.0 ms instead of 13.0 ms (x1.62") != std::string::npos);
  // Per layer over the layers in the network (C excluded): sqrt(0.5 x 2) = 1.
  CHECK(all.find("geometric mean x1.00 over the 2 layers") != std::string::npos);
  CHECK(all.find("A: two threads are slower (x0.50)") != std::string::npos);
  CHECK(all.find("weights 4.0x (1.00 MB -> 4.00 MB)") != std::string::npos);
  CHECK(all.find("2.5x the DRAM bytes, and the port is busy 95% of the time (50% with one thread)") != std::string::npos);
  CHECK(all.find("C has count 0") != std::string::npos);
  CHECK(all.find("B: two threads are slower") == std::string::npos);
}

TEST_CASE("log axes under two decades get labelled tics between the decades", "[plots]") {
  // 14.6..43 mJ holds no decade: gnuplot alone would label nothing.
  CHECK(vtasim::log_axis_tics("x", 14.6, 43.0) == "  set xtics (15, 20, 30)\n");
  CHECK(vtasim::log_axis_tics("y", 80.7, 493.0) == "  set ytics (100, 150, 200, 300)\n");
  // Two decades or more: 1-2-5 steps, the decades included.
  CHECK(vtasim::log_axis_tics("x", 1.0, 1000.0) == "  set xtics (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)\n");
  CHECK(vtasim::log_axis_tics("x", 0.0, 10.0).empty());   // not a log range
  CHECK(vtasim::log_axis_tics("x", 5.0, 5.0).empty());
  CHECK(vtasim::log_axis_tics("x", 1.6, 1.9).empty());    // no step inside
}
