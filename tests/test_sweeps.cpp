// Sweep specifications, expansion and stable ids; the resource model; sweep tables.
#include <catch2/catch.hpp>

#include "models/errors.h"
#include "models/resource_model.h"
#include "plots/sweep_figures.h"
#include "sweeps/sweep_spec.h"

using namespace vtasim;

namespace {
SweepSpec spec(const std::string& json) { return parse_sweep_spec(json, "spec.json", "."); }
}  // namespace

TEST_CASE("product and zip expansion", "[sweeps]") {
  const auto p = expand_sweep(spec(R"({"axes": {"LOG_BLOCK": [4, 5], "dram.latency": [16, 32, 64]}})"));
  REQUIRE(p.size() == 6);
  CHECK(p[0].labels == std::vector<std::string>{"4", "16"});
  CHECK(p[1].labels == std::vector<std::string>{"4", "32"});
  CHECK(p[5].labels == std::vector<std::string>{"5", "64"});
  CHECK(p[5].request.config.params().log_block_in == 5);
  CHECK(p[5].request.config.params().dram_latency == 64);
  const auto z = expand_sweep(spec(R"({"axes": {"LOG_BLOCK": [4, 5], "dram.gbps": [0.4, 0.8]}, "combine": "zip"})"));
  REQUIRE(z.size() == 2);
  CHECK(z[1].labels == std::vector<std::string>{"5", "0.8"});
  CHECK(z[1].request.config.params().dram_gbps == 0.8);
  const auto b = expand_sweep(spec(R"({"base": {"set": {"clock_mhz": 200}}, "axes": {"LOG_BATCH": [0, 1]}})"));
  CHECK(b[1].request.config.params().clock_mhz == 200);
  CHECK(b[1].request.config.params().log_batch == 1);
  CHECK(b[1].request.engine == EngineKind::Timing);
}

TEST_CASE("point ids are stable and follow the resolved configuration", "[sweeps]") {
  const auto a = expand_sweep(spec(R"({"axes": {"LOG_BLOCK": [4, 5], "LOG_BATCH": [0, 1]}})"));
  const auto again = expand_sweep(spec(R"({"axes": {"LOG_BLOCK": [4, 5], "LOG_BATCH": [0, 1]}})"));
  const auto reordered = expand_sweep(spec(R"({"axes": {"LOG_BATCH": [0, 1], "LOG_BLOCK": [4, 5]}})"));
  REQUIRE(a.size() == 4);
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].id == again[i].id);
    CHECK(a[i].id.size() == 12);
  }
  // The same design under another axis order keeps its id.
  CHECK(a[1].id == reordered[2].id);  // LOG_BLOCK=4, LOG_BATCH=1
  // What the point runs is part of its identity.
  const auto other_engine = expand_sweep(spec(R"({"axes": {"LOG_BLOCK": [4, 5], "LOG_BATCH": [0, 1]}, "engine": "timed"})"));
  CHECK(other_engine[0].id != a[0].id);
  // Golden FNV-1a 64 values (published test vectors).
  CHECK(stable_hash("") == "cbf29ce484222325");
  CHECK(stable_hash("a") == "af63dc4c8601ec8c");
}

TEST_CASE("bad specifications are reported before anything runs", "[sweeps]") {
  CHECK_THROWS_WITH(spec(R"({"axes": {"LOG_BLOCK": [4]}, "colour": 1})"), Catch::Contains("unknown key 'colour'"));
  CHECK_THROWS_WITH(spec(R"({"axes": {}})"), Catch::Contains("'axes' must be a non-empty"));
  CHECK_THROWS_WITH(spec(R"({"axes": {"LOG_BLOCK": []}})"), Catch::Contains("axis 'LOG_BLOCK'"));
  CHECK_THROWS_WITH(spec(R"({"axes": {"NOT_A_KEY": [1]}})"), Catch::Contains("'NOT_A_KEY' is not a parameter"));
  CHECK_THROWS_WITH(spec(R"({"axes": {"LOG_BLOCK": [4, 5], "LOG_BATCH": [0]}, "combine": "zip"})"),
                    Catch::Contains("equal lengths"));
  CHECK_THROWS_WITH(spec(R"({"axes": {"LOG_BLOCK": [4]}, "threads": [3]})"), Catch::Contains("threads"));
  CHECK_THROWS_WITH(spec(R"({"axes": {"LOG_BLOCK": [4]}, "engine": "fast"})"), Catch::Contains("engine"));
  CHECK_THROWS_WITH(spec("not json"), Catch::Contains("not valid JSON"));
  // A value the configuration rejects names the point and the reason.
  CHECK_THROWS_WITH(expand_sweep(spec(R"({"axes": {"LOG_BLOCK": [4, 9]}})")),
                    Catch::Contains("LOG_BLOCK=9") && Catch::Contains("out of range"));
  CHECK_THROWS_WITH(expand_sweep(spec(R"({"axes": {"LOG_BLOCK": [3]}})")), Catch::Contains("micro-op"));
  CHECK_THROWS_WITH(expand_sweep(spec(R"({"axes": {"LOG_BLOCK": [4, 4]}})")), Catch::Contains("same design"));
}

TEST_CASE("resource estimate of the default design fits a Zynq-7020", "[resources]") {
  const ResourceEstimate e = estimate_resources(HwConfig::defaults());
  CHECK(e.part.name.find("xc7z020") != std::string::npos);
  CHECK(e.dsp == 128);  // 256 int8 MACs, two per DSP slice
  // Hand-derived block RAMs (RAMB36 equivalents, a RAMB18 counting one half):
  //   uop 8192 x 32: 8 RAMB36 as 8K x 4 (or 16 RAMB18 as 8K x 2): 8
  //   inp 2048 x 128: 15 RAMB18 as 2K x 9 (8 RAMB36 as 2K x 18 would be more): 7.5
  //   wgt 1024 x 2048: 57 RAMB36 as 1K x 36: 57
  //   acc 2048 x 512: 57 RAMB18 as 2K x 9: 28.5
  //   out 2048 x 128: 7.5, as inp
  CHECK(e.bram_uop == 8);
  CHECK(e.bram_inp == 7.5);
  CHECK(e.bram_wgt == 57);
  CHECK(e.bram_acc == 28.5);
  CHECK(e.bram_out == 7.5);
  CHECK(e.bram36 == 108.5);
  CHECK(e.fits);
  CHECK(e.dsp <= 220);
  CHECK(e.bram36 <= 140);
  // RAMB18 halves count where they are smaller: 512 x 36 is one RAMB18.
  CHECK(bram36_for(512, 36, false) == 0.5);
  CHECK(bram36_for(100, 1, false) == 0.5);
}

TEST_CASE("a design too big for its part is flagged with the limiting resource", "[resources]") {
  const HwConfig big = HwConfig::from_json_text("{}", "t", {"LOG_BLOCK=5", "LOG_BATCH=1"});  // 2048 MACs
  const ResourceEstimate e = estimate_resources(big);
  CHECK(e.dsp == 1024);
  CHECK_FALSE(e.fits);
  CHECK(e.limiting == "DSP");
  // The same core on a ZCU104 fits its 1728 DSPs.
  const HwConfig zcu = HwConfig::from_json_text(R"({"TARGET": "zcu104"})", "t", {"LOG_BLOCK=5", "LOG_BATCH=1"});
  CHECK(estimate_resources(zcu).fits);
}

TEST_CASE("Pareto front and the points table", "[sweeps]") {
  std::vector<SweepPointSummary> pts(4);
  const double dsp[] = {100, 200, 300, 150}, lat[] = {10, 5, 6, 12};
  for (size_t i = 0; i < 4; ++i) {
    pts[i].id = "p" + std::to_string(i);
    pts[i].values = {std::to_string(i)};
    pts[i].status = "ok";
    pts[i].has[0] = true;
    pts[i].latency_ms[0] = lat[i];
    pts[i].gops[0] = 100 / lat[i];
    pts[i].dsp = dsp[i];
  }
  // p2 (300, 6) is beaten by p1 (200, 5); p3 (150, 12) by p0 (100, 10).
  SweepResults r;
  r.axes = {"LOG_BLOCK"};
  r.points = pts;
  CHECK(pareto_front(r) == std::vector<size_t>{0, 1});
  // With the fit constraint, a point that does not fit leaves the front (p1), and p2 takes its place.
  r.fit_only = true;
  r.points[1].fits = false;
  CHECK(pareto_front(r) == std::vector<size_t>{0, 2});
  pts[3].status = "failed";
  pts[3].failure = "exit status 2";
  pts[3].has[0] = false;
  const std::string csv = points_csv({"LOG_BLOCK"}, pts);
  CHECK(csv.find("point_id,LOG_BLOCK,status,failure,cycles_t1") != std::string::npos);
  CHECK(csv.find("p3,3,failed,exit status 2,,,,,,,,,") != std::string::npos);
}

TEST_CASE("every shipped example sweep expands into valid points", "[sweeps]") {
  for (const char* name : {"demo", "gemm_shape", "buffer_sizes", "dram", "clock"}) {
    INFO(name);
    const std::string path = std::string(VTASIM_SOURCE_DIR) + "/sweeps/" + name + ".json";
    SweepSpec s;
    REQUIRE_NOTHROW(s = load_sweep_spec(path));
    std::vector<SweepPoint> points;
    REQUIRE_NOTHROW(points = expand_sweep(s));
    size_t expected = s.combine == "zip" ? s.axes.front().labels.size() : 1;
    if (s.combine != "zip")
      for (const auto& a : s.axes) expected *= a.labels.size();
    CHECK(points.size() == expected);
    CHECK(points.size() >= 4);
  }
}

TEST_CASE("a merge keeps layer rows only of the points the figures and the report read", "[sweeps]") {
  // Six points: GOPS 100/latency; p4 finished without rows, p5 failed, p1 does not fit.
  std::vector<SweepPointSummary> pts(6);
  const double lat[] = {10, 4, 6, 3, 1, 0.5};
  for (size_t i = 0; i < pts.size(); ++i) {
    pts[i].id = "p" + std::to_string(i);
    pts[i].status = i == 5 ? "failed" : "ok";
    pts[i].has[0] = true;
    pts[i].latency_ms[0] = lat[i];
    pts[i].gops[0] = 100 / lat[i];
    pts[i].layer_rows = i == 4 ? 0 : 12;
  }
  pts[1].fits = false;
  SweepResults r;
  r.axes = {"LOG_BLOCK"};
  r.points = pts;
  // By GOPS with rows: p3, p1, p2 (p4 has none, p5 failed); fastest: p4, p3.
  CHECK(detail_points(r) == std::vector<size_t>{1, 2, 3, 4});
  // Fitting designs only: p3, p2, p0 by GOPS; p4, p3 fastest.
  r.fit_only = true;
  CHECK(detail_points(r) == std::vector<size_t>{0, 2, 3, 4});
  CHECK(r.ranked([](const SweepPointSummary& p) { return p.best_latency_ms(); }, false).front() == 4);
}
