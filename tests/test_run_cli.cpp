// `vtasim run` end to end on a small workload: the CSV columns, verification, GOPS under the roof,
// run.json, traces, and user errors.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "runtime/layer_results.h"
#include "run_command.h"

using namespace vtasim;
using vtasim::test::test_dir;
using vtasim::test::run_command;
using vtasim::test::run_vtasim;
using vtasim::test::slurp;

namespace {

// Per process: test cases run concurrently under ctest -j and must not rewrite each other's file.
std::string small_workload() {
  const std::string path = test_dir() + "/test_small_workload_" + std::to_string(::getpid()) + ".csv";
  std::ofstream(path) << "name,H,W,IC,OC,KH,KW,pad,stride,count\n"
                         "A,14,14,32,32,3,3,1,1,2\n"
                         "B,14,14,32,64,1,1,0,2,1\n";
  return path;
}

}  // namespace

TEST_CASE("vtasim run on two small layers writes verified results under their roofs", "[cli][run]") {
  const std::string out = test_dir() + "/test_run_out";
  const auto r = run_vtasim("run --workload " + small_workload() + " --out " + out + " --trace-layer B");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string csv = slurp(out + "/layers.csv");
  std::istringstream in(csv);
  std::string header;
  std::getline(in, header);
  for (const char* col : {"layer", "threads", "schedule", "cycles", "time_us", "macs", "ops", "gops", "peak_gops",
                          "utilization", "dram_bytes", "insn_bytes", "uop_bytes", "inp_bytes", "wgt_bytes", "acc_bytes",
                          "out_bytes", "ai_ops_per_byte", "roof_gops", "bound", "verified", "compute.busy",
                          "load.wait_memory", "store.wait_token.compute_to_store"}) {
    INFO(col);
    CHECK(("," + header + ",").find("," + std::string(col) + ",") != std::string::npos);
  }
  const auto rows = layers_from_csv(csv, "layers.csv");
  REQUIRE(rows.size() == 4);  // 2 layers x 2 thread counts
  for (const auto& row : rows) {
    INFO(row.layer << " t" << row.threads);
    CHECK(row.verified == "yes");
    CHECK(row.gops > 0);
    CHECK(row.gops <= row.roof_gops * (1 + 1e-9));
    CHECK(row.ops == 2 * row.macs);
    REQUIRE(row.timing);
    CHECK(row.dram_bytes + row.timing->cache_hit_bytes ==
          row.bytes[0] + row.bytes[1] + row.bytes[2] + row.bytes[3] + row.bytes[4] + row.bytes[5]);
  }
  // A: 14 x 14 x 32 x 32 x 9 MACs
  CHECK(rows[0].macs == 14ull * 14 * 32 * 32 * 9);
  const auto meta = nlohmann::json::parse(slurp(out + "/run.json"));
  CHECK(meta.contains("systemc_version"));
  CHECK(meta["configuration"]["LOG_BLOCK_IN"] == 4);
  CHECK(meta.contains("git_commit"));
  CHECK(r.out.find("network (1 thread") != std::string::npos);
  const auto trace = nlohmann::json::parse(slurp(out + "/trace_B_t2.json"));
  CHECK(trace["traceEvents"].size() > 10);
}

TEST_CASE("vtasim run with the functional engine and a schedule file", "[cli][run]") {
  const std::string sched = test_dir() + "/test_schedule.csv";
  std::ofstream(sched) << "layer,threads,oc_factor,ko_factor,h_factor,w_factor,oc_nthread,h_nthread\n"
                          "A,1,1,1,7,14,1,1\nA,2,1,1,7,7,2,1\n";
  const auto r = run_vtasim("run --workload " + small_workload() + " --layers A --engine functional --schedule " + sched +
                            " --out " + test_dir() + "/test_run_func");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto rows = layers_from_csv(slurp(test_dir() + "/test_run_func/layers.csv"), "layers.csv");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].verified == "yes");
  CHECK_FALSE(rows[0].timed);
  CHECK(rows[1].schedule.find("oc_nthread=2") != std::string::npos);
}

TEST_CASE("vtasim run reports user errors with exit code 2", "[cli][run]") {
  CHECK(run_vtasim("run --threads 3").exit_code == 2);
  const auto unknown = run_vtasim("run --layers C2,C99 --out " + test_dir() + "/test_run_err");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("C99") != std::string::npos);
  const auto nofile = run_vtasim("run --workload /nonexistent.csv");
  CHECK(nofile.exit_code == 2);
  const auto misfit = run_vtasim("run --layers C7 --schedule vta2018 --set LOG_WGT_BUFF_SIZE=14 --out " + test_dir() + "/test_run_err");
  CHECK(misfit.exit_code == 2);
  CHECK(misfit.err.find("does not fit") != std::string::npos);
  // No tiling fits: the smallest input tile of C1 is one input block of one row of 7 columns (its
  // 7-wide kernel cannot be split), 7 elements; a 64-byte input buffer holds 4 of 16 bytes. The search
  // sizes tilings without reasons and goes again to say why.
  const auto nofit = run_vtasim("run --engine timing --layers C1 --threads 1 --set LOG_INP_BUFF_SIZE=6 --no-plots --out " +
                                test_dir() + "/test_run_err");
  CHECK(nofit.exit_code == 2);
  CHECK(nofit.err.find("no schedule fits layer C1 (1 thread): every tiling fails, because the input tile needs 7 but "
                       "the limit is 4 INP elements") != std::string::npos);
}

TEST_CASE("vtasim run draws the figures and report and vtasim plot redraws them", "[cli][plot]") {
  const std::string out = test_dir() + "/test_run_plots";
  std::system(("rm -rf " + out).c_str());
  const auto r = run_vtasim("run --workload " + small_workload() + " --out " + out);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string md = slurp(out + "/summary.md");
  CHECK(md.find("## Findings") != std::string::npos);
  for (const char* stem : {"roofline", "latency_hiding", "timeline"}) {
    INFO(stem);
    CHECK_FALSE(slurp(out + "/" + std::string(stem) + ".gp").empty());
    CHECK_FALSE(slurp(out + "/" + std::string(stem) + ".dat").empty());
    const std::string png = slurp(out + "/" + std::string(stem) + ".png");
    if (std::system("command -v gnuplot > /dev/null 2>&1") == 0) {
      REQUIRE(png.size() > 8);
      CHECK(png.compare(0, 8, std::string("\x89PNG\r\n\x1a\n", 8)) == 0);
    }
  }
  std::remove((out + "/roofline.png").c_str());
  std::remove((out + "/timeline.gp").c_str());
  const auto p = run_vtasim("plot all --in " + out);
  INFO(p.err);
  CHECK(p.exit_code == 0);
  CHECK_FALSE(slurp(out + "/timeline.gp").empty());
  if (std::system("command -v gnuplot > /dev/null 2>&1") == 0) CHECK(slurp(out + "/roofline.png").size() > 8);
  CHECK(run_vtasim("plot sideways --in " + out).exit_code == 2);
  CHECK(run_vtasim("plot all --in /nonexistent").exit_code == 2);
  // --no-plots leaves only the tables.
  const std::string bare = test_dir() + "/test_run_noplots";
  std::system(("rm -rf " + bare).c_str());
  CHECK(run_vtasim("run --workload " + small_workload() + " --layers A --threads 1 --no-plots --out " + bare).exit_code == 0);
  CHECK(slurp(bare + "/summary.md").empty());
  CHECK_FALSE(slurp(bare + "/layers.csv").empty());
}

TEST_CASE("vtasim run succeeds without gnuplot, writing the scripts", "[cli][plot]") {
  const std::string out = test_dir() + "/test_run_nognuplot";
  std::system(("rm -rf " + out).c_str());
  const auto r = run_command("cd '" + std::string(VTASIM_SOURCE_DIR) + "' && VTASIM_GNUPLOT=/nonexistent '" + VTASIM_BIN +
                             "' run --workload " + small_workload() + " --layers B --out " + out);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("gnuplot is not installed") != std::string::npos);
  CHECK_FALSE(slurp(out + "/roofline.gp").empty());
  CHECK(slurp(out + "/summary.md").find("roofline.gp") != std::string::npos);
}

TEST_CASE("the timing-only engine gives exactly the timed engine's cycles and statistics", "[cli][timing]") {
  const std::vector<std::string> configs = {"", "--set LOG_BLOCK=5 --set LOG_BATCH=1",
                                            "--set dram.gbps=0.5 --set dram.latency=40 --set port.max_burst=8"};
  int n = 0;
  for (const auto& cfg : configs) {
    const std::string a = test_dir() + "/test_timing_a" + std::to_string(n), b = test_dir() + "/test_timing_b" + std::to_string(n);
    ++n;
    const auto timed = run_vtasim("run --layers C5,C9,C11 --no-plots --engine timed " + cfg + " --out " + a);
    const auto timing = run_vtasim("run --layers C5,C9,C11 --no-plots --engine timing " + cfg + " --out " + b);
    INFO(cfg << "\n" << timed.err << timing.err);
    REQUIRE(timed.exit_code == 0);
    REQUIRE(timing.exit_code == 0);
    const auto ra = layers_from_csv(slurp(a + "/layers.csv"), "timed");
    const auto rb = layers_from_csv(slurp(b + "/layers.csv"), "timing");
    REQUIRE(ra.size() == 6);
    REQUIRE(rb.size() == ra.size());
    for (size_t i = 0; i < ra.size(); ++i) {
      INFO(ra[i].layer << " t" << ra[i].threads);
      CHECK(ra[i].verified == "yes");
      CHECK(rb[i].verified == "n/a");
      CHECK(ra[i].cycles == rb[i].cycles);
      CHECK(ra[i].dram_bytes == rb[i].dram_bytes);
      REQUIRE(ra[i].timing);
      REQUIRE(rb[i].timing);
      const auto fa = ra[i].timing->flat(100), fb = rb[i].timing->flat(100);
      REQUIRE(fa.size() == fb.size());
      for (size_t k = 0; k < fa.size(); ++k) {
        INFO(fa[k].first);
        CHECK(fa[k] == fb[k]);
      }
    }
  }
}

namespace {

// The cycles `vtasim run` gives layer A (1 and 2 threads) of the small workload under `settings`.
std::vector<uint64_t> small_cycles(const std::string& settings, const std::string& out) {
  const auto r = run_vtasim("run --workload " + small_workload() + " --layers A --engine timing --no-plots " + settings +
                            " --out " + out);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<uint64_t> cycles;
  for (const auto& row : layers_from_csv(slurp(out + "/layers.csv"), "layers.csv")) cycles.push_back(row.cycles);
  return cycles;
}

}  // namespace

TEST_CASE("vtasim calibrate recovers a DRAM latency from cycles measured at it", "[cli][calibration]") {
  // "Measurements" made by the model itself at dram.latency = 37; the fit starts from the default.
  const auto truth = small_cycles("--set dram.latency=37", test_dir() + "/cal_truth");
  REQUIRE(truth.size() == 2);
  const std::string m = test_dir() + "/cal_measured.csv";
  std::ofstream(m) << "layer,threads,schedule,cycles\nA,1,auto," << truth[0] << "\nA,2,auto," << truth[1] << "\n";
  const std::string out = test_dir() + "/cal_out";
  const auto r = run_vtasim("calibrate --workload " + small_workload() + " --measurements " + m +
                            " --params dram.latency=10:80 --no-plots --out " + out);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto cfg = nlohmann::json::parse(slurp(out + "/calibrated.json"));
  CHECK(cfg["vtasim"]["dram"]["latency"] == 37);
  CHECK(slurp(out + "/calibration.md").find("dram.latency") != std::string::npos);
  CHECK(small_cycles("--config " + out + "/calibrated.json", test_dir() + "/cal_check") == truth);
}

TEST_CASE("vtasim calibrate names the bad measurement row and exits 2", "[cli][calibration]") {
  const std::string m = test_dir() + "/cal_bad.csv";
  std::ofstream(m) << "layer,threads,schedule,gops\nA,1,auto,3\nZ,1,auto,3\n";
  const auto r = run_vtasim("calibrate --workload " + small_workload() + " --measurements " + m + " --out " +
                            test_dir() + "/cal_bad_out");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("cal_bad.csv:3") != std::string::npos);
  CHECK(r.err.find("'Z'") != std::string::npos);
  const auto p = run_vtasim("calibrate --workload " + small_workload() + " --measurements " + m +
                            " --params LOG_BATCH --out " + test_dir() + "/cal_bad_out");
  CHECK(p.exit_code == 2);
  CHECK(p.err.find("LOG_BATCH") != std::string::npos);
}

TEST_CASE("vtasim run --measurements compares only rows of the same schedule and settings", "[cli][calibration]") {
  const std::string m = test_dir() + "/run_measured.csv";
  std::ofstream(m) << "layer,threads,schedule,gops,config\n"
                      "A,1,auto,2.5,\n"
                      "A,2,vta2018,9,\n"
                      "A,2,auto,9,clock_mhz=200\n";
  const std::string out = test_dir() + "/run_measured";
  const auto r = run_vtasim("run --workload " + small_workload() + " --layers A --engine timing --measurements " + m +
                            " --out " + out);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto rows = layers_from_csv(slurp(out + "/layers.csv"), "layers.csv");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].measured_gops == Approx(2.5));
  CHECK(rows[1].measured_gops == 0);  // none comparable
  CHECK(r.err.find("another schedule") != std::string::npos);
  CHECK(r.err.find("settings of their own") != std::string::npos);
  CHECK(slurp(out + "/summary.md").find("Model against measured") != std::string::npos);
}

TEST_CASE("a run that fails on a later layer leaves the previous results as they were", "[cli][run][files]") {
  const std::string out = test_dir() + "/run_keeps_previous";
  const auto first = run_vtasim("run --workload " + small_workload() + " --layers A --engine timing --out " + out);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const std::string before = slurp(out + "/layers.csv");
  // Layer A fits in 1 MiB, B (14 x 14 x 64 outputs, sums and packed copies) does not.
  const std::string wl = test_dir() + "/run_keeps_previous.csv";
  std::ofstream(wl) << "name,H,W,IC,OC,KH,KW,pad,stride,count\nA,8,8,16,16,3,3,1,1,1\nB,512,512,64,64,1,1,0,1,1\n";
  const auto second = run_vtasim("run --workload " + wl + " --set sim.max_memory_mb=1 --out " + out);
  CHECK(second.exit_code == 2);
  CHECK(second.err.find("sim.max_memory_mb") != std::string::npos);
  CHECK(slurp(out + "/layers.csv") == before);
  CHECK(slurp(out + "/trace_B_t1.json").empty());
  CHECK(run_command("ls -a " + out + " | grep -c staging").out == "0\n");
}

TEST_CASE("vtasim diff: a run against itself is x1.00, a doubled clock x2.00, other workloads are refused", "[cli][diff]") {
  const std::string a = test_dir() + "/diff_a", b = test_dir() + "/diff_b", c = test_dir() + "/diff_c";
  // Without a bandwidth cap every latency and bandwidth is per cycle, so 200 MHz runs the same cycles
  // in half the time.
  REQUIRE(run_vtasim("run --workload " + small_workload() + " --engine timing --no-plots --set dram.gbps=0 --out " + a)
              .exit_code == 0);
  REQUIRE(run_vtasim("run --workload " + small_workload() +
                     " --engine timing --no-plots --set dram.gbps=0 --set clock_mhz=200 --out " + b)
              .exit_code == 0);
  const auto self = run_vtasim("diff " + a + " " + a);
  REQUIRE(self.exit_code == 0);
  CHECK(self.out.find("1.00x") != std::string::npos);
  CHECK(self.out.find("x1.000") != std::string::npos);
  const auto faster = run_vtasim("diff " + a + " " + b + " --out " + test_dir() + "/diff_out");
  INFO(faster.err);
  REQUIRE(faster.exit_code == 0);
  for (const std::string line : {"A          1", "A          2", "B          1", "B          2"}) {
    const auto at = faster.out.find(line);
    REQUIRE(at != std::string::npos);
    CHECK(faster.out.substr(at, faster.out.find('\n', at) - at).find("2.00x") != std::string::npos);
  }
  CHECK(faster.out.find("x2.000") != std::string::npos);
  CHECK(slurp(test_dir() + "/diff_out/diff.md").find("| 1 | ") != std::string::npos);
  const std::string other = test_dir() + "/diff_other.csv";
  std::ofstream(other) << "name,H,W,IC,OC,KH,KW,pad,stride,count\nA,14,14,32,32,3,3,1,1,2\n";
  REQUIRE(run_vtasim("run --workload " + other + " --engine timing --no-plots --out " + c).exit_code == 0);
  const auto refused = run_vtasim("diff " + a + " " + c);
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("the workloads differ") != std::string::npos);
  CHECK(refused.err.find("layer B") != std::string::npos);
}

TEST_CASE("layers of one shape share a schedule search and get exactly what each gets alone", "[cli][run]") {
  // A network's repeated blocks: B and D repeat A's shape under other names; C differs in input
  // channels, grouping and epilogue, so it must not share A's search.
  const std::string wl = test_dir() + "/test_repeated_" + std::to_string(::getpid()) + ".csv";
  std::ofstream(wl) << "name,H,W,IC,OC,KH,KW,pad,stride,count,shift,relu,groups\n"
                       "A,14,14,32,32,3,3,1,1,1,8,1,1\n"
                       "B,14,14,32,32,3,3,1,1,1,8,1,1\n"
                       "C,14,14,16,32,3,3,1,1,1,9,0,2\n"
                       "D,14,14,32,32,3,3,1,1,1,8,1,1\n";
  for (const std::string engine : {"timed", "timing"}) {
    const std::string all = test_dir() + "/test_repeated_all_" + engine, one = test_dir() + "/test_repeated_" + engine;
    const auto r = run_vtasim("run --workload " + wl + " --engine " + engine + " --no-plots --out " + all);
    INFO(engine << " engine\n" << r.err);
    REQUIRE(r.exit_code == 0);
    const auto rows = layers_from_csv(slurp(all + "/layers.csv"), "layers.csv");
    REQUIRE(rows.size() == 8);
    for (const auto& row : rows) CHECK(row.verified == (engine == "timed" ? "yes" : "n/a"));
    for (const std::string layer : {"B", "C", "D"}) {
      const auto alone = run_vtasim("run --workload " + wl + " --engine " + engine + " --layers " + layer +
                                    " --no-plots --out " + one + layer);
      REQUIRE(alone.exit_code == 0);
      const auto solo = layers_from_csv(slurp(one + layer + "/layers.csv"), "layers.csv");
      REQUIRE(solo.size() == 2);
      for (const auto& s : solo) {
        INFO(layer << " t" << s.threads);
        const auto same = std::find_if(rows.begin(), rows.end(),
                                       [&](const auto& x) { return x.layer == layer && x.threads == s.threads; });
        REQUIRE(same != rows.end());
        CHECK(same->cycles == s.cycles);
        CHECK(same->schedule == s.schedule);
        CHECK(same->dram_bytes == s.dram_bytes);
      }
    }
  }
}
