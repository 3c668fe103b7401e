// The proven lower bound on a program's timed cycles (models/timing/cycle_bound.h): a hand-derived
// case where it is exact, a case where port contention puts the simulation above it, and the bound
// against the timed engine for every candidate schedule of the ResNet-18 layers on several memory
// systems and core shapes. Each test case runs in its own process (one SystemC elaboration each).
#include <catch2/catch.hpp>

#include <random>

#include "models/timing/cycle_bound.h"
#include "runtime/conv_lowering.h"
#include "runtime/conv_schedule.h"
#include "runtime/run_request.h"
#include "test_configs.h"
#include "test_programs.h"
#include "tlm/timed_engine.h"

using namespace vtasim;
using namespace vtasim::test;

namespace {

CycleBound bound_of(const ProgramImage& img, const HwConfig& cfg) {
  const auto b = cycle_lower_bound(decode_program(img, cfg.isa()), img.bases, img.insn_addr, cfg);
  REQUIRE(b);
  return *b;
}

// The bound with the program's ColdBursts worked out (as the schedule search keeps them), which may
// claim more reads as misses than the bound alone.
CycleBound kept_bound_of(const ProgramImage& img, const HwConfig& cfg) {
  const std::vector<Insn> prog = decode_program(img, cfg.isa());
  const ColdBursts kept(prog, img.bases, img.insn_addr, cfg);
  const auto b = cycle_lower_bound(prog, img.bases, img.insn_addr, cfg, &kept);
  REQUIRE(b);
  return *b;
}

TimedEngine::Options timing_only() {
  TimedEngine::Options o;
  o.data = false;
  return o;
}

// Every candidate schedule (8 best estimates) of `layers` with one and two threads, under each
// retimed variant of `cfg`: the bound never exceeds the simulated cycles. Returns how many programs
// were checked.
// `shape`: the settings of the core all variants share.
int check_candidates(const std::vector<std::string>& shape, const std::vector<std::string>& layers,
                     const std::vector<std::vector<std::string>>& variants) {
  const auto make = [&](const std::vector<std::string>& sets) {
    std::vector<std::string> all = shape;
    all.insert(all.end(), sets.begin(), sets.end());
    return HwConfig::from_json_text("{}", "test", all);
  };
  TimedEngine engine(make({}), timing_only());
  const Workload w = Workload::load("resnet18_convs");
  int checked = 0;
  for (const auto& sets : variants) {
    const HwConfig retimed = make(sets);
    engine.retime(retimed);
    for (const ConvLayer& layer : select_layers(w, layers)) {
      const PackedConvData data = zero_conv_data(layer, retimed);
      for (uint32_t threads : {1u, 2u}) {
        for (const ConvSchedule& s : auto_candidates(layer, retimed, threads, 8)) {
          CompiledConv prog = compile_conv(layer, retimed, s, data);
          const Cycles cycles = engine.run_timed(prog.image).cycles;
          const CycleBound b = bound_of(prog.image, retimed);
          INFO(layer.name << " t" << threads << " " << s.describe() << " under " << Catch::rangeToString(sets));
          CHECK(b.critical_path <= cycles);
          CHECK(b.port <= cycles);
          const CycleBound kept = kept_bound_of(prog.image, retimed);
          CHECK(kept.value() <= cycles);
          CHECK(kept.value() >= b.value());
          ++checked;
        }
      }
    }
  }
  return checked;
}

}  // namespace

// Three rows of 4 INP elements (64 B = 8 beats each), row-serial, latency L = 30, loop control R = 5;
// a micro-op no-op on compute waits for its token, then FINISH. Nothing else uses the port while the
// load runs, so the bound is the simulated time exactly:
//   fetch: 3 instructions = 48 B = 6 beats, arriving at 30 + 6 = 36; the LOAD is dispatched at 37;
//   LOAD: 3 x (R + L + 8) = 129 cycles, ends at 166; the no-op pops its token then: 167; FINISH: 168.
TEST_CASE("the bound of a lone row-serial load is its hand-derived time", "[bound]") {
  const HwConfig cfg = ideal_cfg({"dram.latency=30", "dma.inp_policy=row_serial", "dma.row_cycles=5"});
  ProgramBuilder pb(cfg);
  const uint32_t ib = pb.put(MemType::Inp, random_bytes(24 * 16, 1));
  pb.load(MemType::Inp, 0, ib, 3, 4, 8).push_next_dep = true;
  pb.noop(Opcode::Load, MemType::Uop).pop_prev_dep = true;
  pb.finish();
  ProgramImage img = pb.image();
  const CycleBound b = bound_of(img, cfg);
  CHECK(b.critical_path == 168);
  CHECK(b.port == 30 + 6 + 3 * 8);  // the first latency, then every beat: fetch 6, load 24
  TimedEngine engine(cfg);
  CHECK(engine.run_timed(img).cycles == 168);
}

// The same three rows loaded twice, behind a cache (hit latency H = 4) that keeps them: the first
// load pays L per row as above, the second H instead.
//   fetch: 4 instructions = 64 B = 8 beats, arriving at 30 + 8 = 38; LOAD 1 dispatched at 39;
//   LOAD 1: 3 x (R + L + 8) = 129, ends at 168; LOAD 2: 3 x (R + H + 8) = 51, ends at 219;
//   the no-op pops its token: 220; FINISH: 221.
// The bound cannot know the instructions are not in the cache already (fetch may hit: 4 + 8 = 12,
// LOAD 1 dispatched at 13, 26 cycles earlier) but knows LOAD 1 misses (the first read of lines only the
// load module touches): 221 - 26 = 195. Without the cache LOAD 2 pays L again: 221 + 3 x 26 = 299.
TEST_CASE("a cache serves a repeated load at its hit latency, and the bound follows", "[bound][cache]") {
  std::optional<TimedEngine> engine;
  for (const bool cached : {true, false}) {
    const HwConfig cfg = ideal_cfg({"dram.latency=30", "dma.inp_policy=row_serial", "dma.row_cycles=5",
                                    cached ? "cache.kib=1" : "cache.kib=0", "cache.line=32", "cache.ways=2",
                                    "cache.hit_latency=4"});
    ProgramBuilder pb(cfg);
    const uint32_t ib = pb.put(MemType::Inp, random_bytes(24 * 16, 1));
    pb.load(MemType::Inp, 0, ib, 3, 4, 8);
    pb.load(MemType::Inp, 0, ib, 3, 4, 8).push_next_dep = true;
    pb.noop(Opcode::Load, MemType::Uop).pop_prev_dep = true;
    pb.finish();
    ProgramImage img = pb.image();
    if (engine) engine->retime(cfg);
    else engine.emplace(cfg);
    INFO((cached ? "cached" : "no cache"));
    CHECK(engine->run_timed(img).cycles == (cached ? 221u : 299u));
    CHECK(bound_of(img, cfg).critical_path == (cached ? 195u : 299u));
  }
}

// Three loads of the same three rows apart by the cache's set period (16 sets of 32-byte lines, so
// 512 bytes = 32 INP elements), then the first again: with 2 ways the loads at +512 and +1024 B push
// its lines out, and every load misses (R = 5, L = 30, 8 beats a row: 3 x 43 = 129 cycles each).
//   fetch: 6 instructions = 96 B = 12 beats, arriving at 30 + 12 = 42; LOAD 1 dispatched at 43;
//   four loads: 4 x 129 = 516, ending at 559; the no-op pops its token: 560; FINISH: 561.
// With the program's ColdBursts the bound knows the fourth load misses (its lines were pushed out by
// the load module's own requests): 561 less fetch's possible hit (26, as above) = 535. The bound
// alone takes it for a possible hit, 3 x (R + H + 8) = 51 instead of 129: 535 - 78 = 457.
TEST_CASE("the bound knows a load whose lines the module itself pushed out of the cache misses", "[bound][cache]") {
  const HwConfig cfg = ideal_cfg({"dram.latency=30", "dma.inp_policy=row_serial", "dma.row_cycles=5", "cache.kib=1",
                                  "cache.line=32", "cache.ways=2", "cache.hit_latency=4"});
  ProgramBuilder pb(cfg);
  const uint32_t ib = pb.put(MemType::Inp, random_bytes(96 * 16, 3));
  pb.load(MemType::Inp, 0, ib, 3, 4, 8);
  pb.load(MemType::Inp, 0, ib + 32, 3, 4, 8);
  pb.load(MemType::Inp, 0, ib + 64, 3, 4, 8);
  pb.load(MemType::Inp, 0, ib, 3, 4, 8).push_next_dep = true;
  pb.noop(Opcode::Load, MemType::Uop).pop_prev_dep = true;
  pb.finish();
  ProgramImage img = pb.image();
  TimedEngine engine(cfg);
  CHECK(engine.run_timed(img).cycles == 561);
  CHECK(kept_bound_of(img, cfg).critical_path == 535);
  CHECK(bound_of(img, cfg).critical_path == 457);
  // With 4 ways (and 2 KiB: the same 16 sets) the first rows stay, the fourth load hits, and the two
  // bounds agree.
  const HwConfig four = ideal_cfg({"dram.latency=30", "dma.inp_policy=row_serial", "dma.row_cycles=5", "cache.kib=2",
                                   "cache.line=32", "cache.ways=4", "cache.hit_latency=4"});
  engine.retime(four);
  CHECK(engine.run_timed(img).cycles == 561 - 78);
  CHECK(kept_bound_of(img, four).critical_path == 457);
  CHECK(bound_of(img, four).critical_path == 457);
}

// Lines another module touched may be in the cache: the store module writes three rows (the cache
// allocates on writes), and only then, after tokens through compute, the load module reads the same
// bytes, which hit. The load module never touched them itself, but its reads must not be counted as
// sure misses: both bounds stay at or below the simulation.
TEST_CASE("the bound does not count a read of lines another module brought in as a miss", "[bound][cache]") {
  const HwConfig cfg = ideal_cfg({"dram.latency=30", "dma.inp_policy=row_serial", "dma.row_cycles=5", "cache.kib=1",
                                  "cache.line=32", "cache.ways=2", "cache.hit_latency=4"});
  ProgramBuilder pb(cfg);
  const uint32_t ob = pb.alloc(MemType::Out, 24);
  pb.store(0, ob, 3, 4, 8).push_prev_dep = true;
  Insn& relay = pb.noop(Opcode::Load, MemType::Uop);  // compute: passes the store's token on to load
  relay.pop_next_dep = true;
  relay.push_prev_dep = true;
  pb.load(MemType::Inp, 0, ob, 3, 4, 8).pop_next_dep = true;  // the same bytes (elements of 16 B both)
  pb.finish();
  ProgramImage img = pb.image();
  TimedEngine engine(cfg);
  const TimedStats stats = engine.run_timed(img);
  CHECK(stats.cache_hit_bytes >= 3 * 64);  // the load's rows came from the cache
  CHECK(bound_of(img, cfg).value() <= stats.cycles);
  CHECK(kept_bound_of(img, cfg).value() <= stats.cycles);
}

// A load and a store that overlap in time share the one port: the simulation serialises their beats,
// the bound gives each module the port to itself, so it stays below (and the port bound catches
// the shared beats instead).
TEST_CASE("port contention puts the simulation above the dependency bound", "[bound]") {
  const HwConfig cfg = ideal_cfg({"dram.latency=10"});
  ProgramBuilder pb(cfg);
  const uint32_t ib = pb.put(MemType::Inp, random_bytes(64 * 16, 2));
  const uint32_t ob = pb.alloc(MemType::Out, 64);
  pb.load(MemType::Inp, 0, ib, 1, 64, 64);  // 1024 B = 128 beats
  pb.store(0, ob, 1, 64, 64);               // 1024 B = 128 beats, at the same time
  pb.finish();
  ProgramImage img = pb.image();
  const CycleBound b = bound_of(img, cfg);
  TimedEngine engine(cfg);
  const Cycles cycles = engine.run_timed(img).cycles;
  CHECK(b.critical_path < cycles);
  CHECK(b.port >= 10 + 256);  // both transfers' beats one after another
  CHECK(b.value() <= cycles);
}

TEST_CASE("the bound holds for the test programs on several memory systems", "[bound]") {
  const HwConfig base = ideal_cfg();
  TimedEngine engine(base);
  int checked = 0;
  auto variants = memory_system_variants();
  variants.push_back({"gemm.fill_per=instruction", "alu.model=lanes", "alu.lanes=4"});
  for (const auto& sets : variants) {
    const HwConfig cfg = ideal_cfg(sets);
    engine.retime(cfg);
    for (auto& [name, image] : program_catalogue(cfg)) {
      INFO(name << " under " << Catch::rangeToString(sets));
      const Cycles cycles = engine.run_timed(image).cycles;
      CHECK(bound_of(image, cfg).value() <= cycles);
      ++checked;
    }
  }
  CHECK(checked == 42);
}

// Forty memory systems drawn at random (fixed seed; see random_memory_system), caches of every size
// among them (a cache lets a read be faster when another module's burst brought its lines in: the
// bound must allow for that).
TEST_CASE("the bound holds for the test programs on random memory systems", "[bound][cache]") {
  TimedEngine engine(ideal_cfg());
  std::mt19937 rng(1201);
  int checked = 0;
  for (int k = 0; k < 40; ++k) {
    const std::vector<std::string> sets = random_memory_system(rng);
    const HwConfig cfg = ideal_cfg(sets);
    engine.retime(cfg);
    for (auto& [name, image] : program_catalogue(cfg)) {
      INFO(name << " under " << Catch::rangeToString(sets));
      const Cycles cycles = engine.run_timed(image).cycles;
      CHECK(bound_of(image, cfg).value() <= cycles);
      CHECK(kept_bound_of(image, cfg).value() <= cycles);
      ++checked;
    }
  }
  CHECK(checked == 40 * 7);
}

TEST_CASE("the bound holds for every candidate schedule of ResNet-18 (Pynq board)", "[bound]") {
  const int n = check_candidates({}, {"C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11", "C12"},
                                 {{}, {"dram.latency=16", "dram.gbps=0", "dma.wgt_policy=pipelined"},
                                  {"port.outstanding=2", "dram.write_latency=200", "dma.row_cycles=9"},
                                  {"cache.kib=0"},
                                  {"cache.kib=16", "cache.ways=1", "cache.hit_latency=60", "dram.gbps=0.2"}});
  CHECK(n > 12 * 2 * 5);
}

TEST_CASE("the bound holds for every candidate schedule on a 2 x 32 x 32 core", "[bound]") {
  const int n = check_candidates({"LOG_BATCH=1", "LOG_BLOCK=5"}, {"C2", "C5", "C9", "C12"},
                                 {{}, {"dram.gbps=2", "dram.latency=80", "dma.inp_policy=row_serial"}});
  CHECK(n > 4 * 2 * 2);
}

// A program's ColdBursts, worked out once, serve the bound wherever they fit (the same cache size,
// ways, line and burst size, any timing): a bound at least the one worked out without them (they
// may claim more misses). They are passed over where they do not fit: a classification for 64-byte
// lines, or for a cache of other ways, given to the board changes nothing.
TEST_CASE("the bound takes a program's kept cold bursts only where they fit", "[bound][cache]") {
  const HwConfig board = HwConfig::defaults();  // the Pynq board: a 512 KiB cache of 32-byte lines, 8 ways
  const Workload w = Workload::load("resnet18_convs");
  int checked = 0;
  for (const ConvLayer& layer : select_layers(w, {"C2", "C9", "C12"})) {
    const PackedConvData zeros = zero_conv_data(layer, board);
    for (const ConvSchedule& s : auto_candidates(layer, board, 1, 3)) {
      const ProgramImage img = compile_conv(layer, board, s, zeros).image;
      const std::vector<Insn> prog = decode_program(img, board.isa());
      const ColdBursts kept(prog, img.bases, img.insn_addr, board);
      const HwConfig wide = HwConfig::from_json_text("{}", "test", {"cache.line=64"});
      const HwConfig two_way = HwConfig::from_json_text("{}", "test", {"cache.ways=2"});
      const ColdBursts other(prog, img.bases, img.insn_addr, wide);
      const ColdBursts other_ways(prog, img.bases, img.insn_addr, two_way);
      CHECK(kept.fits(board));
      CHECK_FALSE(other.fits(board));
      CHECK_FALSE(other_ways.fits(board));
      for (const auto& sets : std::vector<std::vector<std::string>>{{}, {"dram.latency=90", "dram.gbps=0.2"}}) {
        const HwConfig cfg = HwConfig::from_json_text("{}", "test", sets);
        INFO(layer.name << " " << s.describe() << " " << Catch::rangeToString(sets));
        const auto fresh = cycle_lower_bound(prog, img.bases, img.insn_addr, cfg);
        REQUIRE(fresh);
        CHECK(cycle_lower_bound(prog, img.bases, img.insn_addr, cfg, &kept)->value() >= fresh->value());
        CHECK(cycle_lower_bound(prog, img.bases, img.insn_addr, cfg, &other)->value() == fresh->value());
        CHECK(cycle_lower_bound(prog, img.bases, img.insn_addr, cfg, &other_ways)->value() == fresh->value());
        CHECK(cycle_lower_bound(prog, img.bases, img.insn_addr, wide, &other)->value() >=
              cycle_lower_bound(prog, img.bases, img.insn_addr, wide)->value());
        ++checked;
      }
    }
  }
  CHECK(checked == 3 * 3 * 2);
}
