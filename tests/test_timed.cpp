// The timed SystemC/TLM model: hand-derived cycle counts, the golden statistics of a small program,
// equality with the functional engine, timing invariants, deadlocks. Every test case runs in its own
// process (one SystemC elaboration each).
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "models/errors.h"
#include "models/functional_engine.h"
#include "test_configs.h"
#include "test_programs.h"
#include "tlm/timed_engine.h"

using namespace vtasim;
using namespace vtasim::test;

namespace {

// Hand-derived timing: the ideal memory system plus the settings a test names.
HwConfig cfg_with(const std::vector<std::string>& sets) { return ideal_cfg(sets); }

// The trace span of instruction `index`.
const TraceRecorder::Span& span_of(const TraceRecorder& t, int64_t index) {
  for (const auto& s : t.spans())
    if (s.insn == index) return s;
  FAIL("no span for instruction " << index);
  return t.spans().front();
}

void check_invariants(const HwConfig& cfg, const TimedStats& s) {
  // Every module's activities add up to the program's cycles.
  for (int m = 0; m < kModuleCount; ++m) {
    INFO(module_name(Module(m)));
    CHECK(s.modules[m].total() == s.cycles);
    Cycles listed = 0;
    for (Activity a : module_activities(Module(m))) listed += s.modules[m].of(a);
    CHECK(listed == s.cycles);  // nothing charged to an activity the module cannot have
  }
  // At best one GEMM micro-op per cycle, and the port moves at most its width per cycle.
  CHECK(s.cycles >= s.counters.gemm_counter);
  CHECK(double(s.cycles) >= double(s.total_bytes()) / cfg.port_bytes_per_cycle());
  CHECK(s.port_busy_cycles <= s.cycles);
  CHECK(s.finish_cycle <= s.cycles);
}

struct TracedRun {
  TraceRecorder trace;
  TimedStats stats;
};

// Runs the builder's (finished) program on a timed engine of `cfg`, tracing every instruction.
TracedRun run_traced(const HwConfig& cfg, ProgramBuilder& pb) {
  ProgramImage img = pb.image();
  TimedEngine eng(cfg);
  TracedRun r;
  r.stats = eng.run_timed(img, &r.trace);
  return r;
}

// Three rows of 4 INP elements, 8 apart in DRAM, then FINISH.
TracedRun run_three_row_load(const HwConfig& cfg) {
  ProgramBuilder pb(cfg);
  const uint32_t ib = pb.put(MemType::Inp, random_bytes(24 * 16, 1));
  pb.load(MemType::Inp, 0, ib, 3, 4, 8).push_next_dep = true;
  pb.noop(Opcode::Load, MemType::Uop).pop_prev_dep = true;
  pb.finish();
  return run_traced(cfg, pb);
}

}  // namespace

TEST_CASE("a single LOAD costs latency plus beats and padding adds its cycles", "[timed]") {
  const HwConfig cfg = cfg_with({"dma.pad_cycles=3"});
  ProgramBuilder pb(cfg);
  const uint32_t ib = pb.put(MemType::Inp, random_bytes(64, 1));
  pb.load(MemType::Inp, 0, ib, 1, 4, 4).push_next_dep = true;         // 64 B = 8 beats
  pb.load(MemType::Inp, 8, ib, 1, 2, 2, 1, 0, 1, 1).push_next_dep = true;  // 2 + (4 + 4 - 2) pad elements
  pb.noop(Opcode::Load, MemType::Uop).pop_prev_dep = true;
  pb.noop(Opcode::Load, MemType::Uop).pop_prev_dep = true;
  pb.finish();
  const auto& [trace, s] = run_traced(cfg, pb);
  CHECK(span_of(trace, 0).dur == 16 + 8);
  // row width 1 + 2 + 1 = 4, rows 1 + 1 = 2: 8 elements, 2 from DRAM (4 beats), 6 padded x 3 cycles.
  // The port is free by then (the first load finished), so: latency + beats + padding.
  CHECK(span_of(trace, 1).dur == 16 + 4 + 6 * 3);
  CHECK(s.modules[int(Module::Load)].of(Activity::busy()) == 8 + 4 + 18);
  check_invariants(cfg, s);
}

// Three rows of 4 INP elements (64 B = 8 beats each), latency L = 30, loop control R = 5 per row.
// Row-serial: each row issues R after the previous row's data arrived: 3 x (R + L + 8) = 129 cycles,
// of which 3 x (5 + 8) = 39 are the module's own (busy) and 90 round trips (wait_memory).
TEST_CASE("a row-serial 3-row load pays every row's round trip and loop control", "[timed][dma]") {
  const HwConfig cfg = cfg_with({"dram.latency=30", "dma.inp_policy=row_serial", "dma.row_cycles=5"});
  const auto& [trace, s] = run_three_row_load(cfg);
  CHECK(span_of(trace, 0).dur == 3 * (5 + 30 + 8));
  CHECK(s.of(Module::Load).of(Activity::busy()) == 3 * (5 + 8));
  CHECK(s.of(Module::Load).of(Activity::wait_memory()) == 3 * 30);
  check_invariants(cfg, s);
}

// The same load pipelined: rows issue R apart (5, 10, 15); the port serialises their data: the first
// row's data from 5 + 30 = 35 to 43, the next two follow at once: 43 + 16 = 59.
TEST_CASE("a pipelined 3-row load overlaps the round trips", "[timed][dma]") {
  const HwConfig cfg = cfg_with({"dram.latency=30", "dma.row_cycles=5"});
  const auto& [trace, s] = run_three_row_load(cfg);
  CHECK(span_of(trace, 0).dur == 59);
  check_invariants(cfg, s);
}

// A row-serial STORE of 2 rows of 8 OUT elements (128 B = 16 beats each) waits for each row's write:
// 2 x (L + 16) with latency 20 and no loop control = 72.
TEST_CASE("a row-serial store waits for each row's write before the next", "[timed][dma]") {
  const HwConfig cfg = cfg_with({"dram.latency=20", "dma.store_policy=row_serial"});
  ProgramBuilder pb(cfg);
  const uint32_t ob = pb.alloc(MemType::Out, 32);
  Insn& st = pb.store(0, ob, 2, 8, 16);
  st.push_prev_dep = true;
  sync_and_finish(pb, 1);
  const auto& [trace, s] = run_traced(cfg, pb);
  CHECK(span_of(trace, 0).dur == 2 * (20 + 16));
  check_invariants(cfg, s);
}

// The padding pass of a padded INP load: 1 row of 2 elements padded by 1 on every side is 3 SRAM rows
// of 4, 10 zeros; at 1 cycle per zero and 3 per row: 10 + 9 after the transfer (latency 16 + 4 beats).
TEST_CASE("the padding pass adds its per-row cost after the transfer", "[timed][dma]") {
  const HwConfig cfg = cfg_with({"dma.pad_row_cycles=3"});
  ProgramBuilder pb(cfg);
  const uint32_t ib = pb.put(MemType::Inp, random_bytes(32, 1));
  pb.load(MemType::Inp, 0, ib, 1, 2, 2, 1, 1, 1, 1).push_next_dep = true;
  pb.noop(Opcode::Load, MemType::Uop).pop_prev_dep = true;
  pb.finish();
  const auto& [trace, s] = run_traced(cfg, pb);
  CHECK(span_of(trace, 0).dur == 16 + 4 + 10 + 9);
  check_invariants(cfg, s);
}

TEST_CASE("a single GEMM of U micro-ops costs U cycles plus the fill per loop start", "[timed]") {
  const HwConfig cfg = cfg_with({"gemm.fill=7"});
  ProgramBuilder pb(cfg);
  std::vector<Uop> uops;
  for (uint32_t k = 0; k < 10; ++k) uops.push_back({k, k, 0});
  const uint32_t ub = pb.put_uops(uops);
  pb.load(MemType::Uop, 0, ub, 1, 10, 10);
  pb.gemm(0, 10);        // 10 + 7
  pb.gemm(0, 10, 3, 2);  // 60 + 6 * 7
  pb.finish();
  const auto& [trace, s] = run_traced(cfg, pb);
  CHECK(span_of(trace, 1).dur == 17);
  CHECK(span_of(trace, 2).dur == 60 + 42);
  CHECK(s.counters.gemm_counter == 70);
  check_invariants(cfg, s);
}

TEST_CASE("ALU cycles with and without an immediate and a STORE costs latency plus beats", "[timed]") {
  const HwConfig cfg = cfg_with({"alu.cycles=3", "alu.imm_cycles=1", "gemm.fill=2", "dram.latency=20"});
  ProgramBuilder pb(cfg);
  const uint32_t ub = pb.put_uops({{0, 1, 0}, {1, 2, 0}, {2, 3, 0}, {3, 4, 0}});
  const uint32_t ob = pb.alloc(MemType::Out, 8);
  pb.load(MemType::Uop, 0, ub, 1, 4, 4);
  pb.alu(AluOp::Add, 0, 4);             // 4 x 3 + 2
  pb.alu(AluOp::Max, 0, 4, true, -3);   // 4 x 1 + 2
  pb.insns().back().push_next_dep = true;
  Insn& st = pb.store(0, ob, 1, 8, 8);  // 128 B = 16 beats
  st.pop_prev_dep = true;
  st.push_prev_dep = true;
  sync_and_finish(pb, 1);
  const auto& [trace, s] = run_traced(cfg, pb);
  CHECK(span_of(trace, 1).dur == 14);
  CHECK(span_of(trace, 2).dur == 6);
  CHECK(span_of(trace, 3).dur == 20 + 16);
  check_invariants(cfg, s);
}

// The golden numbers below were derived by hand from the documented timing (defaults: latency 16,
// 8-byte port, 16-beat bursts, fill 4, no-op 1 cycle; fetch dispatches one instruction per cycle):
//  fetch reads 6 instructions (96 B, 12 beats) in one burst: data 16..28; dispatches insn k at 29+k.
//  load: insn 0 at 29, 32 B: data 45..49 (busy 4, memory 16), pushes load->compute at 49.
//  compute: insn 1 (LOAD UOP, 4 B) at 30: port reserved by load until 49 -> data 49..50 (busy 1,
//  memory 19); GEMM 50..55 (1 + fill 4), token already there; no-op waits for store->compute from 55
//  to 73 (18), runs 73..74; FINISH 74..75.
//  store: insn 3 at 32, waits for compute->store until 55 (23); 16 B: data 71..73 (busy 2, memory 16).
//  cycles 75; fetch idle 75 - 34 = 41; port busy 12 + 4 + 1 + 2 = 19 in 4 bursts.
TEST_CASE("golden statistics of a small program, field by field", "[timed][golden]") {
  const HwConfig cfg = ideal_cfg();
  ProgramBuilder pb(cfg);
  const uint32_t ib = pb.put(MemType::Inp, random_bytes(32, 7));
  const uint32_t ub = pb.put_uops({{0, 0, 0}});
  const uint32_t ob = pb.alloc(MemType::Out, 1);
  pb.load(MemType::Inp, 0, ib, 1, 2, 2).push_next_dep = true;
  pb.load(MemType::Uop, 0, ub, 1, 1, 1);
  Insn& g = pb.gemm(0, 1);
  g.pop_prev_dep = true;
  g.push_next_dep = true;
  Insn& st = pb.store(0, ob, 1, 1, 1);
  st.pop_prev_dep = true;
  st.push_prev_dep = true;
  sync_and_finish(pb, 1);
  ProgramImage img = pb.image();
  TimedEngine eng(cfg);
  const TimedStats s = eng.run_timed(img);
  std::ifstream in(std::string(VTASIM_SOURCE_DIR) + "/tests/golden/small_program_stats.json");
  REQUIRE(in);
  const auto golden = nlohmann::json::parse(in);
  const auto flat = s.flat(cfg.params().clock_mhz);
  for (auto it = golden.begin(); it != golden.end(); ++it) {
    INFO(it.key());
    bool found = false;
    for (const auto& [name, value] : flat) {
      if (name != it.key()) continue;
      found = true;
      CHECK(value == it.value().get<double>());
    }
    CHECK(found);
  }
  check_invariants(cfg, s);
}

namespace {

void compare_engines(const HwConfig& cfg) {
  TimedEngine eng(cfg);  // one elaborated top runs every program
  for (auto& p : program_catalogue(cfg)) {
    INFO("program " << p.name);
    ProgramImage functional = p.image;
    const EngineRun fr = FunctionalEngine(cfg).run(functional);
    ProgramImage timed = p.image;
    const TimedStats ts = eng.run_timed(timed);
    CHECK(timed.dram == functional.dram);
    CHECK(ts.counters == fr.counters);  // the access counts included
    ProgramImage timing_only = p.image;
    CHECK(eng.run_timing_only(timing_only, nullptr)->counters == fr.counters);
    CHECK(ts.modules[int(Module::Fetch)].instructions == p.image.insn_count);
    check_invariants(cfg, ts);
  }
}

}  // namespace

TEST_CASE("timed and functional engines give the same DRAM image (default core)", "[timed][differential]") {
  compare_engines(ideal_cfg());
}

TEST_CASE("timed and functional engines give the same DRAM image (2 x 32 x 32 with shallow queues)", "[timed][differential]") {
  compare_engines(cfg_with({"LOG_BATCH=1", "LOG_BLOCK=5", "queue.token_depth=2", "queue.cmd_depth=2",
                            "port.outstanding=1", "dram.latency=40"}));
}

TEST_CASE("timed and functional engines give the same DRAM image (8 x 8 with a wide port and a DRAM cap)", "[timed][differential]") {
  compare_engines(cfg_with({"LOG_BLOCK=3", "LOG_INP_BUFF_SIZE=13", "LOG_WGT_BUFF_SIZE=16", "LOG_ACC_BUFF_SIZE=15",
                            "port.bits=128", "dram.gbps=0.9", "port.max_burst=4"}));
}

TEST_CASE("double buffering (two virtual threads) beats the serialised blocked GEMM", "[timed]") {
  const HwConfig cfg = ideal_cfg();
  TimedEngine eng(cfg);
  ProgramImage serial = blocked_gemm_program(cfg, 8, 16, 8, false);
  ProgramImage dbl = blocked_gemm_program(cfg, 8, 16, 8, true);
  const TimedStats s1 = eng.run_timed(serial);
  const TimedStats s2 = eng.run_timed(dbl);
  INFO("serial " << s1.cycles << " cycles, double-buffered " << s2.cycles);
  CHECK(s2.cycles < s1.cycles);
  check_invariants(cfg, s1);
  check_invariants(cfg, s2);
}

TEST_CASE("a program missing a push is a deadlock naming module, queue and instruction", "[timed][deadlock]") {
  const HwConfig cfg = ideal_cfg();
  ProgramBuilder pb(cfg);
  const uint32_t ob = pb.alloc(MemType::Out, 1);
  pb.gemm(0, 0);  // forgets push_next
  Insn& st = pb.store(0, ob, 1, 1, 1);
  st.pop_prev_dep = true;
  pb.finish();
  ProgramImage img = pb.image();
  TimedEngine eng(cfg);
  try {
    eng.run(img);
    FAIL("no deadlock reported");
  } catch (const UserError& e) {
    const std::string msg = e.what();
    INFO(msg);
    CHECK(msg.find("deadlock") != std::string::npos);
    CHECK(msg.find("store waits for a token on the compute->store queue") != std::string::npos);
    CHECK(msg.find("instruction 1") != std::string::npos);
  }
}

TEST_CASE("a deadlock before FINISH names the blocked module", "[timed][deadlock]") {
  const HwConfig cfg = ideal_cfg();
  ProgramBuilder pb(cfg);
  pb.noop(Opcode::Load, MemType::Uop).pop_prev_dep = true;  // nobody pushes load->compute
  pb.finish();
  ProgramImage img = pb.image();
  TimedEngine eng(cfg);
  CHECK_THROWS_WITH(eng.run(img), Catch::Contains("compute waits for a token on the load->compute queue") &&
                                      Catch::Contains("instruction 0"));
}

TEST_CASE("tokens left at FINISH and out-of-bounds accesses are errors on the timed engine", "[timed]") {
  const HwConfig cfg = ideal_cfg();
  ProgramBuilder pb(cfg);
  pb.noop(Opcode::Load, MemType::Inp).push_next_dep = true;
  pb.finish();
  ProgramImage img = pb.image();
  TimedEngine eng(cfg);
  CHECK_THROWS_WITH(eng.run(img), Catch::Contains("tokens left") && Catch::Contains("load->compute"));
}

TEST_CASE("out-of-bounds DRAM access on the timed engine names the instruction", "[timed]") {
  const HwConfig cfg = ideal_cfg();
  ProgramBuilder pb(cfg);
  pb.load(MemType::Wgt, 0, 999999, 1, 1, 1);
  pb.finish();
  ProgramImage img = pb.image();
  TimedEngine eng(cfg);
  CHECK_THROWS_WITH(eng.run(img), Catch::Contains("instruction 0") && Catch::Contains("dram_base 999999"));
}

TEST_CASE("the trace has one track per module and the port, and spans nest", "[timed][trace]") {
  const HwConfig cfg = ideal_cfg();
  ProgramImage img = blocked_gemm_program(cfg, 4, 8, 2, true);
  TimedEngine eng(cfg);
  TraceRecorder trace;
  eng.run(img, &trace);
  // On every track, spans are sequential: each starts at or after the previous one ended.
  for (int track = TraceRecorder::kFetch; track <= TraceRecorder::kPort; ++track) {
    uint64_t end = 0;
    int n = 0;
    for (const auto& s : trace.spans()) {
      if (s.track != track) continue;
      INFO("track " << track << " span " << s.name << " at " << s.start);
      CHECK(s.start >= end);
      end = s.start + s.dur;
      ++n;
    }
    if (track != TraceRecorder::kFetch) CHECK(n > 0);
  }
  const auto doc = nlohmann::json::parse(trace.to_json(100.0, "test"));
  int names = 0, complete = 0, counters = 0;
  for (const auto& e : doc["traceEvents"]) {
    if (e["ph"] == "M" && e["name"] == "thread_name") ++names;
    if (e["ph"] == "X") ++complete;
    if (e["ph"] == "C") ++counters;
  }
  CHECK(names == 5);
  CHECK(complete == int(trace.spans().size()));
  CHECK(counters > 0);
}
