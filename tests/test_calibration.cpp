// The fitter against measurements the model itself produced with known parameters: it must recover
// them, and say which parameters the measurements cannot identify. Runs the timing-only engine (one
// SystemC elaboration per test process).
#include <cmath>

#include <catch2/catch.hpp>

#include "models/errors.h"
#include "runtime/calibration.h"
#include "test_configs.h"
#include "tlm/timed_engine.h"

using namespace vtasim;

namespace {

std::vector<Measurement> synthetic(const Workload& w, const HwConfig& truth, Engine& engine, Metric metric) {
  std::vector<Measurement> m;
  for (const char* layer : {"C3", "C8", "C11"}) {
    for (uint32_t t : {1u, 2u}) {
      Measurement x;
      x.where = std::string("synthetic ") + layer;
      x.layer = layer;
      x.threads = t;
      x.schedule = ScheduleSource::parse("vta2018");
      x.metric = metric;
      m.push_back(x);
    }
  }
  CalibrationModel model(w, m, engine);
  const auto values = model.predict(truth);
  for (size_t i = 0; i < m.size(); ++i) m[i].value = values[i];
  return m;
}

}  // namespace

// Truth: latency 37 cycles, row-serial weight loads, 5 ALU cycles per tensor micro-op. Starting from
// the ideal memory system (16 cycles, pipelined, 2 cycles), the fit must find all three: the latency
// within 2 cycles, the policy and the ALU cost exactly (integers stay integers), with the error
// near zero.
TEST_CASE("the fitter recovers parameters from measurements the model produced", "[calibration]") {
  const HwConfig start = test::ideal_cfg();
  TimedEngine::Options opts;
  opts.data = false;
  TimedEngine engine(start, opts);
  const Workload w = Workload::load("resnet18_convs");
  const HwConfig truth = test::ideal_cfg({"dram.latency=37", "dma.wgt_policy=row_serial", "alu.cycles=5"});
  CalibrationModel model(w, synthetic(w, truth, engine, Metric::Gops), engine);
  const auto params = parse_fit_parameters("dram.latency=10:80,dma.wgt_policy,alu.cycles=1:12");
  const CalibrationOutcome out = calibrate(start, params, model);
  CHECK(std::abs(out.after.params().dram_latency - 37) <= 2);
  CHECK(out.after.params().wgt_dma == "row_serial");
  CHECK(out.after.params().alu_cycles == 5);
  CHECK(out.mean_before > 0.05);
  CHECK(out.mean_after < 0.005);
  CHECK(out.loo_mean < 0.02);
  for (const auto& p : out.parameters) CHECK(p.identifiable);
}

// Device cycles do not include host time, so cycle measurements cannot identify host.ns_per_insn: the
// fit must say so and leave it where it started.
TEST_CASE("a parameter the measurements cannot identify is reported and kept", "[calibration]") {
  const HwConfig start = test::ideal_cfg({"host.ns_per_insn=250"});
  TimedEngine::Options opts;
  opts.data = false;
  TimedEngine engine(start, opts);
  const Workload w = Workload::load("resnet18_convs");
  const HwConfig truth = test::ideal_cfg({"dram.latency=30"});
  CalibrationModel model(w, synthetic(w, truth, engine, Metric::Cycles), engine);
  const CalibrationOutcome out = calibrate(start, parse_fit_parameters("dram.latency=10:80,host.ns_per_insn=0:2000"), model);
  REQUIRE(out.parameters.size() == 2);
  CHECK(out.parameters[0].identifiable);
  CHECK(out.after.params().dram_latency == 30);
  CHECK_FALSE(out.parameters[1].identifiable);
  CHECK(out.parameters[1].spread < 0.002);
  CHECK(out.after.params().host_ns_per_insn == 250);
}

TEST_CASE("fit parameter lists are checked", "[calibration]") {
  CHECK_THROWS_WITH(parse_fit_parameters("nope"), Catch::Contains("'nope' is not a parameter"));
  CHECK_THROWS_WITH(parse_fit_parameters("LOG_BLOCK"), Catch::Contains("shapes the hardware"));
  CHECK_THROWS_WITH(parse_fit_parameters("dram.latency=50:10"), Catch::Contains("LO < HI"));
  CHECK_THROWS_WITH(parse_fit_parameters("dram.latency=-5:10"), Catch::Contains("leaves its limits"));
  CHECK_THROWS_WITH(parse_fit_parameters("dram.latency,dram.latency"), Catch::Contains("twice"));
  CHECK_THROWS_WITH(parse_fit_parameters("dma.inp_policy=1:2"), Catch::Contains("takes no range"));
  CHECK_THROWS_WITH(parse_fit_parameters(""), Catch::Contains("at least one"));
}

TEST_CASE("measurement files are checked row by row", "[calibration]") {
  const Workload w = Workload::load("resnet18_convs");
  auto err = [&](const std::string& text) {
    try {
      parse_measurements(text, "m.csv", w);
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(err("layer,threads,schedule\nC2,1,vta2018\n").find("gops, cycles or time_us") != std::string::npos);
  CHECK(err("layer,threads,gops\nC2,1,3\n").find("lacks the column 'schedule'") != std::string::npos);
  CHECK(err("layer,threads,schedule,gops\nC99,1,vta2018,3\n").find("m.csv:2") != std::string::npos);
  CHECK(err("layer,threads,schedule,gops\nC2,1,vta2018,fast\n").find("m.csv:2, column 4 (gops): 'fast'") != std::string::npos);
  CHECK(err("layer,threads,schedule,gops\nC2,1,vta2018,0\n").find("positive") != std::string::npos);
  CHECK(err("layer,threads,schedule,gops\nC2,1,vta2018,-3\n").find("m.csv:2") != std::string::npos);
  CHECK(err("layer,threads,schedule,gops\nC2,3,vta2018,3\n").find("threads") != std::string::npos);
  CHECK(err("layer,threads,schedule,gops,cycles\nC2,1,vta2018,3,4\n").find("not several") != std::string::npos);
  CHECK(err("layer,threads,schedule,gops,config\nC2,1,vta2018,3,dram.latency=x\n").find("dram.latency") != std::string::npos);
  CHECK(err("layer,threads,schedule,gops\n").find("no measurements") != std::string::npos);
  const auto ok = parse_measurements("layer,threads,schedule,cycles,config\nC2,2,auto,1000,dram.latency=40;clock_mhz=200\n", "m.csv", w);
  REQUIRE(ok.size() == 1);
  CHECK(ok[0].metric == Metric::Cycles);
  CHECK(ok[0].config.size() == 2);
}
