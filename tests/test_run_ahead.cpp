// DMA masters running ahead of the SystemC kernel (tlm/dma_master.h) must change nothing but the
// number of kernel events: every statistic, every trace span and every output byte is the same with
// run-ahead on and off, for the test programs on several memory systems and for every candidate
// schedule of ResNet-18 layers with one and two threads. Likewise batched DMA (a run of trains in one
// transaction, tlm/dma_extension.h), which untraced runs use: every statistic is the same with it on
// and off, with run-ahead on and off, and in runs that move data every output byte. Each test case
// runs in its own process.
#include <random>

#include <catch2/catch.hpp>

#include "runtime/conv_lowering.h"
#include "runtime/conv_schedule.h"
#include "runtime/run_request.h"
#include "test_configs.h"
#include "test_programs.h"
#include "tlm/timed_engine.h"

using namespace vtasim;
using namespace vtasim::test;

namespace {

struct Outcome {
  std::string stats;  // every statistic, as JSON
  std::string trace;  // every span and counter sample
  std::vector<uint8_t> dram;
};

Outcome run(TimedEngine& engine, const ProgramImage& program, bool ahead, double mhz) {
  engine.set_run_ahead(ahead);
  ProgramImage img = program;
  TraceRecorder trace;
  Outcome o;
  o.stats = engine.run_timed(img, &trace).to_json(mhz);
  o.trace = trace.to_json(mhz, "run-ahead test");
  o.dram = std::move(img.dram);
  return o;
}

void check_same(TimedEngine& engine, const ProgramImage& program, double mhz) {
  const Outcome on = run(engine, program, true, mhz), off = run(engine, program, false, mhz);
  CHECK(on.stats == off.stats);
  CHECK(on.trace == off.trace);
  CHECK(on.dram == off.dram);
}

// A timing-only run (no data, no trace: where batches are sent) with batches on and off, and both
// with run-ahead off (every batch then ends at the first train that must wait).
void check_batch_same(TimedEngine& engine, const ProgramImage& program, double mhz) {
  std::string with[2][2];
  for (bool batch : {true, false}) {
    for (bool ahead : {true, false}) {
      engine.set_batch_dma(batch);
      engine.set_run_ahead(ahead);
      ProgramImage img = program;
      with[batch][ahead] = engine.run_timing_only(img, nullptr)->to_json(mhz);
    }
  }
  engine.set_batch_dma(true);
  engine.set_run_ahead(true);
  CHECK(with[1][1] == with[0][1]);
  CHECK(with[1][0] == with[0][0]);
  CHECK(with[1][1] == with[0][0]);
}

// An untraced run that moves data (its batches carry the staging buffers' bytes) with batches on and
// off: every statistic and every DRAM byte the same. Counts the runs whose DRAM the program changed.
int stored_runs = 0;
void check_batch_data_same(TimedEngine& engine, const ProgramImage& program, double mhz) {
  Outcome with[2];
  for (bool batch : {true, false}) {
    engine.set_batch_dma(batch);
    ProgramImage img = program;
    with[batch].stats = engine.run_timed(img, nullptr).to_json(mhz);
    with[batch].dram = std::move(img.dram);
  }
  engine.set_batch_dma(true);
  CHECK(with[1].stats == with[0].stats);
  CHECK(with[1].dram == with[0].dram);
  stored_runs += with[1].dram != program.dram;
}

using Check = void (*)(TimedEngine&, const ProgramImage&, double);

// `check` on the test programs under forty memory systems drawn at random (fixed seed; see
// random_memory_system); returns how many programs it saw.
int on_random_memory_systems(uint32_t seed, Check check) {
  TimedEngine engine(ideal_cfg());
  std::mt19937 rng(seed);
  int checked = 0;
  for (int k = 0; k < 40; ++k) {
    const std::vector<std::string> sets = random_memory_system(rng);
    const HwConfig cfg = ideal_cfg(sets);
    engine.retime(cfg);
    for (const auto& [name, image] : program_catalogue(cfg)) {
      INFO(name << " under " << Catch::rangeToString(sets));
      check(engine, image, cfg.params().clock_mhz);
      ++checked;
    }
  }
  return checked;
}

// `check` on the two best candidate schedules of `layers` with one and two threads, on the
// calibrated Pynq board (row-serial DMA, capped DRAM, L2 cache) under each of `variants`, on a
// timing-only engine; returns how many programs it saw.
int on_resnet_candidates(const std::vector<std::vector<std::string>>& variants, const std::vector<std::string>& layers,
                         Check check) {
  TimedEngine::Options timing;
  timing.data = false;
  TimedEngine engine(HwConfig::defaults(), timing);
  const Workload w = Workload::load("resnet18_convs");
  int checked = 0;
  for (const auto& sets : variants) {
    const HwConfig cfg = HwConfig::from_json_text("{}", "test", sets);
    engine.retime(cfg);
    for (const ConvLayer& layer : select_layers(w, layers)) {
      const PackedConvData zeros = zero_conv_data(layer, cfg);
      for (uint32_t threads : {1u, 2u}) {
        for (const ConvSchedule& s : auto_candidates(layer, cfg, threads, 2)) {
          INFO(layer.name << " t" << threads << " " << s.describe() << " under " << Catch::rangeToString(sets));
          check(engine, compile_conv(layer, cfg, s, zeros).image, cfg.params().clock_mhz);
          ++checked;
        }
      }
    }
  }
  return checked;
}

}  // namespace

TEST_CASE("run-ahead changes nothing in the test programs on several memory systems", "[timed][run_ahead]") {
  TimedEngine engine(ideal_cfg());
  int checked = 0;
  for (const auto& sets : memory_system_variants()) {
    const HwConfig cfg = ideal_cfg(sets);
    engine.retime(cfg);
    for (const auto& [name, image] : program_catalogue(cfg)) {
      INFO(name << " under " << Catch::rangeToString(sets));
      check_same(engine, image, cfg.params().clock_mhz);
      ++checked;
    }
  }
  CHECK(checked == 35);
}

TEST_CASE("run-ahead changes nothing in the test programs on random memory systems", "[timed][run_ahead]") {
  CHECK(on_random_memory_systems(20261201, check_same) == 40 * 7);
}

TEST_CASE("run-ahead changes nothing for the ResNet-18 candidate schedules", "[timed][run_ahead]") {
  const int n = on_resnet_candidates(
      {{}, {"dram.gbps=0", "dram.latency=16"}, {"port.outstanding=4", "dram.write_latency=3", "dram.gbps=0.2"}},
      {"C3", "C8", "C11", "C12"}, check_same);
  CHECK(n >= 4 * 2 * 3);
}

TEST_CASE("batched DMA changes nothing in the test programs on random memory systems", "[timed][run_ahead][batch]") {
  CHECK(on_random_memory_systems(20261202, check_batch_same) == 40 * 7);
}

TEST_CASE("batched DMA changes nothing for the ResNet-18 candidate schedules", "[timed][run_ahead][batch]") {
  const int n = on_resnet_candidates({{},
                                      {"dram.gbps=0", "dram.latency=16", "cache.kib=0"},
                                      {"port.outstanding=4", "dram.write_latency=3", "dram.gbps=0.2"}},
                                     {"C1", "C3", "C8", "C11", "C12"}, check_batch_same);
  CHECK(n >= 5 * 2 * 3);
}

TEST_CASE("batched DMA moves the same data in the test programs on random memory systems", "[timed][run_ahead][batch]") {
  CHECK(on_random_memory_systems(20261203, check_batch_data_same) == 40 * 7);
  CHECK(stored_runs >= 40 * 5);  // five of the seven programs store results that differ from the image
}
