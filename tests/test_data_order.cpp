// The data order a timing-only run records, replayed on the program's data image (models/data_order.h),
// must leave every DRAM byte a timed run with data leaves: for the test programs on random memory
// systems, for ResNet-18 candidate schedules recorded on their all-zero timing image and replayed on
// their seeded data (as the run pipeline does), and for a program whose modules race (its result
// depends on the order the simulation chose; the untimed engine's order gives another). A replay
// refuses an order recorded for another program and a program that stores over its instructions.
#include <algorithm>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "models/data_order.h"
#include "models/functional_engine.h"
#include "runtime/conv_lowering.h"
#include "runtime/conv_schedule.h"
#include "runtime/run_request.h"
#include "test_configs.h"
#include "test_programs.h"
#include "tlm/timed_engine.h"

using namespace vtasim;
using namespace vtasim::test;

namespace {

// Where two memories first differ, for the message ("same" if they do not); compared without
// Catch printing megabytes of bytes.
std::string first_change(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  if (a.size() != b.size()) return "sizes " + std::to_string(a.size()) + " and " + std::to_string(b.size());
  const auto m = std::mismatch(a.begin(), a.end(), b.begin());
  return m.first == a.end() ? "same" : "byte " + std::to_string(m.first - a.begin());
}

// The DRAM a timed run with data leaves.
std::vector<uint8_t> timed_dram(TimedEngine& engine, ProgramImage image) {
  engine.run_timed(image);
  return std::move(image.dram);
}

// The order recorded by a timing-only run of `recorded_on`, replayed on `data`: the DRAM it leaves
// (empty if the replay refused).
std::vector<uint8_t> replayed_dram(TimedEngine& engine, const HwConfig& cfg, const ProgramImage& recorded_on,
                                   ProgramImage data) {
  DataOrder order;
  engine.run_timing_only(recorded_on, nullptr, &order);
  if (!replay_data_order(cfg, data, decode_program(data, cfg.isa()), order)) return {};
  return std::move(data.dram);
}

// The image with every instruction passed through `change`.
template <typename Change>
ProgramImage with_insns_changed(const ProgramImage& image, const HwConfig& cfg, Change change) {
  ProgramImage out = image;
  std::vector<Insn> insns = decode_program(out, cfg.isa());
  for (size_t i = 0; i < insns.size(); ++i) {
    change(insns[i], i);
    insn_word_to_bytes(cfg.isa().encode(insns[i]), &out.dram[out.insn_addr - out.dram_floor + i * kInsnBytes]);
  }
  return out;
}

const std::vector<std::string> kPynqVariants[] = {
    {},  // the calibrated Pynq board: row-serial DMA, capped DRAM, the L2 cache
    {"dram.gbps=0", "dram.latency=16", "cache.kib=0"},
    {"port.outstanding=4", "dram.write_latency=3", "dram.gbps=0.2"}};

}  // namespace

TEST_CASE("a replayed data order leaves the timed run's memory: test programs, random memory systems",
          "[timed][data_order]") {
  TimedEngine engine(ideal_cfg());
  std::mt19937 rng(20261204);
  int checked = 0, changed = 0;
  for (int k = 0; k < 30; ++k) {
    const std::vector<std::string> sets = random_memory_system(rng);
    const HwConfig cfg = ideal_cfg(sets);
    engine.retime(cfg);
    for (const auto& [name, image] : program_catalogue(cfg)) {
      INFO(name << " under " << Catch::rangeToString(sets));
      const std::vector<uint8_t> want = timed_dram(engine, image);
      const std::vector<uint8_t> got = replayed_dram(engine, cfg, image, image);
      REQUIRE(!got.empty());
      CHECK(first_change(got, want) == "same");
      ++checked;
      changed += first_change(want, image.dram) != "same";
    }
  }
  CHECK(checked == 30 * 7);
  CHECK(changed >= 30 * 5);  // five of the seven programs store results that differ from the image
}

TEST_CASE("a data order recorded on the zero image replays the seeded layer bit for bit", "[timed][data_order]") {
  TimedEngine engine(HwConfig::defaults());
  const Workload w = Workload::load("resnet18_convs");
  int checked = 0;
  for (const auto& sets : kPynqVariants) {
    const HwConfig cfg = HwConfig::from_json_text("{}", "test", sets);
    engine.retime(cfg);
    for (const ConvLayer& layer : select_layers(w, {"C3", "C8", "C11", "C12"})) {
      const PackedConvData zeros = zero_conv_data(layer, cfg);
      const PackedConvData data = pack_conv_data(layer, cfg, make_conv_data(layer, 7));
      for (uint32_t threads : {1u, 2u}) {
        for (const ConvSchedule& s : auto_candidates(layer, cfg, threads, 2)) {
          INFO(layer.name << " t" << threads << " " << s.describe() << " under " << Catch::rangeToString(sets));
          const ProgramImage seeded = compile_conv(layer, cfg, s, data).image;
          const std::vector<uint8_t> want = timed_dram(engine, seeded);
          const std::vector<uint8_t> got = replayed_dram(engine, cfg, compile_conv(layer, cfg, s, zeros).image, seeded);
          REQUIRE(!got.empty());
          CHECK(first_change(got, want) == "same");
          CHECK(first_change(want, seeded.dram) != "same");  // the layer's output was written
          ++checked;
        }
      }
    }
  }
  CHECK(checked >= 3 * 4 * 2);
}

TEST_CASE("a replay follows the simulated order where modules race", "[timed][data_order]") {
  // A two-thread layer with the load module's tokens to compute taken away: compute no longer waits
  // for its inputs, so what each GEMM reads depends on how the modules interleave.
  const HwConfig cfg = HwConfig::defaults();
  TimedEngine engine(cfg);
  const ConvLayer layer = select_layers(Workload::load("resnet18_convs"), {"C12"}).front();
  const PackedConvData data = pack_conv_data(layer, cfg, make_conv_data(layer, 11));
  const ConvSchedule s = auto_candidates(layer, cfg, 2, 1).front();
  const ProgramImage intact = compile_conv(layer, cfg, s, data).image;
  const ProgramImage racing = with_insns_changed(intact, cfg, [&](Insn& insn, size_t i) {
    const Stage st = stage_of(insn, i);
    if (st == Stage::Load) insn.push_next_dep = false;
    if (st == Stage::Compute) insn.pop_prev_dep = false;
  });
  const std::vector<uint8_t> timed = timed_dram(engine, racing);
  ProgramImage untimed = racing;
  FunctionalEngine(cfg).run(untimed);
  REQUIRE(first_change(timed, timed_dram(engine, intact)) != "same");  // the race changes the result
  REQUIRE(first_change(timed, untimed.dram) != "same");  // and the untimed engine's order gives another
  CHECK(first_change(replayed_dram(engine, cfg, racing, racing), timed) == "same");
}

TEST_CASE("a replay refuses another program's order and a program that stores over its instructions",
          "[timed][data_order]") {
  const HwConfig cfg = ideal_cfg();
  TimedEngine engine(cfg);
  const ProgramImage gemm = gemm_program(cfg), alu = alu_program(cfg);
  DataOrder order;
  engine.run_timing_only(gemm, nullptr, &order);
  ProgramImage other = alu;
  CHECK_FALSE(replay_data_order(cfg, other, decode_program(other, cfg.isa()), order));
  CHECK(first_change(other.dram, alu.dram) == "same");  // nothing changed
  ProgramImage same = gemm;
  CHECK(replay_data_order(cfg, same, decode_program(same, cfg.isa()), order));

  // The same program with its output base moved so that its first store ends on its last instruction
  // bytes: a run with data would rewrite them.
  ProgramImage overwriting = gemm;
  const std::vector<Insn> insns = decode_program(gemm, cfg.isa());
  const auto store = std::find_if(insns.begin(), insns.end(), [](const Insn& i) { return i.opcode == Opcode::Store && !i.is_noop(); });
  REQUIRE(store != insns.end());
  const DramRows rows = dram_rows(*store, gemm.bases, cfg);
  const uint64_t extent = uint64_t(rows.rows - 1) * rows.stride_bytes + rows.row_bytes;
  const uint64_t code_end = gemm.insn_addr + uint64_t(gemm.insn_count) * kInsnBytes;
  REQUIRE(code_end >= extent);
  overwriting.bases.out = gemm.bases.out + (code_end - extent) - rows.addr;
  engine.run_timing_only(overwriting, nullptr, &order);
  ProgramImage replay = overwriting;
  CHECK_FALSE(replay_data_order(cfg, replay, decode_program(replay, cfg.isa()), order));
  CHECK(first_change(replay.dram, overwriting.dram) == "same");
}
