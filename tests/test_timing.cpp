// The plain C++ timing math of the timed model, against hand-derived numbers.
#include <catch2/catch.hpp>

#include <random>

#include <algorithm>

#include "models/timing/compute_timing.h"
#include "models/timing/dram_model.h"
#include "models/timing/memory_timing.h"
#include "test_configs.h"

using namespace vtasim;

namespace {

// The default memory path: a port of `port_bytes` in front of a fixed-latency device.
SharedPort port(uint32_t port_bytes, Cycles latency, double cap_bytes_per_cycle) {
  return SharedPort(port_bytes, std::make_unique<FixedLatencyDevice>(latency, cap_bytes_per_cycle));
}

// One master streaming `n` bursts of `bytes` from cycle 0 with an outstanding limit; returns the
// completion of the last.
Cycles stream(SharedPort& m, uint32_t n, uint32_t bytes, uint32_t outstanding) {
  OutstandingWindow w(outstanding);
  Cycles now = 0, last = 0;
  for (uint32_t k = 0; k < n; ++k) {
    now = w.earliest_issue(now);
    const BurstGrant g = m.serve(now, 0, bytes, false);
    w.issued(g.done);
    last = g.done;
  }
  return last;
}

}  // namespace

TEST_CASE("one request of N bytes costs latency plus beats", "[timing]") {
  SharedPort m = port(8, 16, 0);
  const BurstGrant g = m.serve(100, 0, 128, false);
  CHECK(g.beats == 16);
  CHECK(g.data_start == 116);
  CHECK(g.done == 132);
  SharedPort odd = port(8, 16, 0);
  CHECK(odd.serve(0, 0, 20, true).beats == 3);  // partial beats round up
}

TEST_CASE("back-to-back requests pipeline up to the outstanding limit", "[timing]") {
  // latency 16, 16-beat bursts: with 2+ outstanding the port streams: 16 + 10 * 16.
  SharedPort a = port(8, 16, 0);
  CHECK(stream(a, 10, 128, 4) == 16 + 10 * 16);
  // One outstanding request: every burst pays its latency: 10 * (16 + 16).
  SharedPort b = port(8, 16, 0);
  CHECK(stream(b, 10, 128, 1) == 10 * (16 + 16));
  // Latency 40 with 2 outstanding: a burst may issue when the one two back is done.
  // Bursts 0,1 issue at 0: done 56, 72; burst 2 issues at 56 -> data 96..112; burst 3 at 72 -> 112..128.
  SharedPort c = port(8, 40, 0);
  CHECK(stream(c, 4, 128, 2) == 128);
}

TEST_CASE("two masters share the port and each gets about half", "[timing]") {
  SharedPort m = port(8, 16, 0);
  OutstandingWindow wa(4), wb(4);
  Cycles ta = 0, tb = 0, done_a = 0, done_b = 0;
  uint64_t bytes_a = 0, bytes_b = 0;
  const Cycles horizon = 20000;
  // Event loop: the master whose next issue comes first goes first (ties: a).
  while (true) {
    const Cycles ia = wa.earliest_issue(ta), ib = wb.earliest_issue(tb);
    if (std::min(ia, ib) >= horizon) break;
    if (ia <= ib) {
      const BurstGrant g = m.serve(ia, 0, 128, false);
      wa.issued(g.done);
      ta = ia;
      done_a = g.done;
      bytes_a += 128;
    } else {
      const BurstGrant g = m.serve(ib, 0, 128, false);
      wb.issued(g.done);
      tb = ib;
      done_b = g.done;
      bytes_b += 128;
    }
  }
  const double share = double(bytes_a) / double(bytes_a + bytes_b);
  CHECK(share == Approx(0.5).margin(0.05));
  // Together they keep the port busy: ~8 bytes per cycle.
  CHECK(double(bytes_a + bytes_b) / double(std::max(done_a, done_b)) == Approx(8.0).margin(0.2));
}

TEST_CASE("a DRAM bandwidth cap below the port rate stretches bursts without drift", "[timing]") {
  SharedPort half = port(8, 16, 4.0);
  CHECK(half.serve(0, 0, 128, false).done == 16 + 32);
  CHECK(half.serve(0, 0, 128, false).done == 16 + 64);
  // 3 bytes per cycle: 16-byte bursts take 5.33 cycles; completions round up, the sum does not drift.
  SharedPort third = port(8, 16, 3.0);
  CHECK(third.serve(0, 0, 16, false).done == 22);  // 16 + 5.33
  CHECK(third.serve(0, 0, 16, false).done == 27);  // 16 + 10.67
  CHECK(third.serve(0, 0, 16, false).done == 32);  // 16 + 16
  // A cap at or above the port rate changes nothing.
  SharedPort none = port(8, 16, 8.0);
  CHECK(none.serve(0, 0, 128, false).done == 32);
}

// A program that starts late in a long process gets the same timing, shifted: the port counts its
// sub-cycle ticks from the program's start, so 10^14 cycles in (beyond 2^48, where ticks since cycle 0
// would overflow 64 bits) the 3-bytes-per-cycle sequence above is exact.
TEST_CASE("the port's timing does not depend on when the program started", "[timing]") {
  const Cycles t0 = 100000000000000;  // 1e14
  SharedPort third = port(8, 16, 3.0);
  third.reset(t0);
  CHECK(third.serve(t0, 0, 16, false).done == t0 + 22);
  CHECK(third.serve(t0, 0, 16, false).done == t0 + 27);
  CHECK(third.serve(t0 + 100, 0, 16, false).done == t0 + 100 + 16 + 6);  // idle port: 5.33 rounds up
}

TEST_CASE("bursts split at the maximum length and never merge rows", "[timing]") {
  std::vector<Burst> b;
  split_rows_into_bursts(1000, 512, 2, 300, 128, b);
  REQUIRE(b.size() == 6);
  CHECK(b[0].addr == 1000);
  CHECK(b[0].bytes == 128);
  CHECK(b[1].addr == 1128);
  CHECK(b[2].bytes == 44);
  CHECK(b[3].addr == 1512);  // second row starts at its stride
  CHECK(b[3].offset == 300); // packed in the staging buffer
  CHECK(b[5].bytes == 44);
}

TEST_CASE("GEMM, ALU and padding cycle counts", "[timing]") {
  const ComputeTiming t = ComputeTiming::of(test::ideal_cfg({"gemm.fill=4", "alu.cycles=3", "alu.imm_cycles=1", "dma.pad_cycles=2", "noop.cycles=1"}));
  Insn g;
  g.opcode = Opcode::Gemm;
  g.uop_bgn = 2;
  g.uop_end = 7;
  g.iter_out = 3;
  g.iter_in = 2;
  CHECK(loop_uops(g) == 30);
  CHECK(gemm_cycles(g, t) == 30 + 6 * 4);
  Insn a = g;
  a.opcode = Opcode::Alu;
  CHECK(alu_cycles(a, t) == 30 * 3 + 6 * 4);
  a.use_imm = true;
  CHECK(alu_cycles(a, t) == 30 * 1 + 6 * 4);
  Insn empty = g;
  empty.uop_end = 2;
  CHECK(gemm_cycles(empty, t) == 1);

  Insn l;
  l.opcode = Opcode::Load;
  l.memory_type = MemType::Inp;
  l.y_size = 4;
  l.x_size = 5;
  l.y_pad_0 = 1;
  l.y_pad_1 = 1;
  l.x_pad_0 = 1;
  l.x_pad_1 = 2;
  // (1+5+2) x (1+4+1) = 48 elements written, 20 from DRAM
  CHECK(sram_extent(l).pad_elems == 28);
  CHECK(pad_cycles(l, t) == 56);
  l.memory_type = MemType::Wgt;
  CHECK(sram_extent(l).pad_elems == 0);
  CHECK(pad_cycles(l, t) == 0);
}

TEST_CASE("the fill is paid per instruction, outer or inner iteration as configured", "[timing]") {
  // 3 outer x 2 inner iterations over 5 micro-ops: 30 micro-ops, fill 10.
  Insn g;
  g.opcode = Opcode::Gemm;
  g.uop_end = 5;
  g.iter_out = 3;
  g.iter_in = 2;
  auto cycles = [&](const char* per) {
    return gemm_cycles(g, ComputeTiming::of(test::ideal_cfg({"gemm.fill=10", std::string("gemm.fill_per=") + per})));
  };
  CHECK(cycles("instruction") == 30 + 1 * 10);
  CHECK(cycles("outer") == 30 + 3 * 10);
  CHECK(cycles("inner") == 30 + 6 * 10);
}

// ComputeWork sums what gemm_cycles and alu_cycles give instruction by instruction, under every fill
// rule and ALU cost: random GEMM and ALU instructions (immediate or tensor operand, some running no
// micro-op at all).
TEST_CASE("compute work reduced to counts times as its instructions do", "[timing]") {
  std::mt19937 rng(7);
  for (const char* per : {"instruction", "outer", "inner"}) {
    const ComputeTiming t = ComputeTiming::of(test::ideal_cfg(
        {"gemm.fill=6", std::string("gemm.fill_per=") + per, "alu.cycles=5", "alu.imm_cycles=2", "noop.cycles=3"}));
    ComputeWork work;
    uint64_t sum = 0;
    for (int k = 0; k < 200; ++k) {
      Insn i;
      i.opcode = rng() % 2 ? Opcode::Gemm : Opcode::Alu;
      i.use_imm = rng() % 2;
      i.uop_bgn = rng() % 4;
      i.uop_end = i.uop_bgn + (k % 7 == 0 ? 0 : rng() % 9);
      i.iter_out = 1 + rng() % 5;
      i.iter_in = k % 11 == 0 ? 0 : 1 + rng() % 5;
      work.add(i);
      sum += i.opcode == Opcode::Gemm ? gemm_cycles(i, t) : alu_cycles(i, t);
    }
    INFO("fill per " << per);
    CHECK(work.idle > 0);
    CHECK(work.cycles(t) == sum);
  }
}

TEST_CASE("the lanes ALU model costs a micro-op by its lanes plus control", "[timing]") {
  // 1 x 16 accumulator lanes through a 1-lane ALU: 16 passes, plus 3 (tensor) or 1 (immediate) cycles
  // of control, per micro-op; 4 micro-ops in one iteration, fill 2.
  const HwConfig cfg = test::ideal_cfg({"alu.model=lanes", "alu.lanes=1", "alu.overhead=3",
                                                            "alu.imm_overhead=1", "gemm.fill=2"});
  Insn a;
  a.opcode = Opcode::Alu;
  a.uop_end = 4;
  a.iter_out = a.iter_in = 1;
  const ComputeTiming t = ComputeTiming::of(cfg);
  CHECK(alu_cycles(a, t) == 4 * (16 + 3) + 2);
  a.use_imm = true;
  CHECK(alu_cycles(a, t) == 4 * (16 + 1) + 2);
  // Four lanes per cycle on a 2 x 32 core: 64 / 4 = 16 passes.
  const HwConfig wide = test::ideal_cfg({"alu.model=lanes", "alu.lanes=4", "LOG_BATCH=1",
                                                             "LOG_BLOCK=5"});
  CHECK(ComputeTiming::of(wide).alu_tensor == 16);
}

TEST_CASE("the padding pass costs its zero elements and the rows it walks", "[timing]") {
  const ComputeTiming t = ComputeTiming::of(test::ideal_cfg({"dma.pad_cycles=1", "dma.pad_row_cycles=3"}));
  Insn l;
  l.opcode = Opcode::Load;
  l.memory_type = MemType::Inp;
  l.y_size = 4;
  l.x_size = 5;
  l.y_pad_0 = l.y_pad_1 = 1;  // 6 SRAM rows of 5 + 2 = 7 elements, 42 - 20 = 22 of them zeros
  l.x_pad_0 = l.x_pad_1 = 1;
  CHECK(pad_cycles(l, t) == 22 * 1 + 6 * 3);
  l.memory_type = MemType::Wgt;  // weights: no zeros, but the pass still walks the 4 rows
  CHECK(pad_cycles(l, t) == 4 * 3);
  l.memory_type = MemType::Uop;  // micro-op loads have no such pass
  CHECK(pad_cycles(l, t) == 0);
}

TEST_CASE("row issue: pipelined rows follow each other, row-serial rows wait for the previous one", "[timing]") {
  // Previous row's last burst issued at 100, its data done at 160, 4 cycles of loop control per row.
  CHECK(next_row_issue(DmaPolicy::Pipelined, 100, 160, 4) == 104);
  CHECK(next_row_issue(DmaPolicy::RowSerial, 100, 160, 4) == 164);
  CHECK(next_row_issue(DmaPolicy::RowSerial, 100, 90, 0) == 100);  // already done: no wait
}

// A 64-byte cache of 16-byte lines, 2 ways: 2 sets; lines 0, 2, 4 (addresses 0, 32, 64) share set 0.
TEST_CASE("the line cache keeps the most recently used lines of each set", "[timing][cache]") {
  LineCache c(64, 16, 2);
  CHECK_FALSE(c.holds(0, 16));
  c.holds_then_touch(0, 16);   // line 0
  c.holds_then_touch(32, 16);  // line 2 (set 0 now full)
  CHECK(c.holds(0, 16));
  CHECK(c.holds(32, 8));
  CHECK_FALSE(c.holds(0, 48));  // lines 0, 1, 2: line 1 was never touched
  c.holds_then_touch(0, 1);                // line 0 is now the more recent one of set 0
  c.holds_then_touch(64, 16);              // line 4 evicts line 2, the least recently used
  CHECK(c.holds(0, 16));
  CHECK_FALSE(c.holds(32, 16));
  CHECK(c.holds(64, 16));
  c.holds_then_touch(16, 32);  // lines 1 and 2 (set 1, then set 0: line 2 evicts line 0)
  CHECK(c.holds(16, 16));
  CHECK_FALSE(c.holds(0, 16));
  c.clear();
  CHECK_FALSE(c.holds(64, 16));
  // One pass judges the lines as they were before it: lines 0..5 cover set 0 three times (0, 2, 4).
  CHECK_FALSE(c.holds_then_touch(0, 96));
  CHECK(c.holds(32, 16));  // lines 2, 4 (set 0) and 3, 5 (set 1) are the most recent
  CHECK(c.holds(64, 32));
  CHECK_FALSE(c.holds(0, 16));
  CHECK(c.holds_then_touch(32, 16));
  CHECK_FALSE(c.holds_then_touch(0, 32));  // line 0 was evicted by line 4
  LineCache none(0, 16, 2);  // no capacity: nothing is ever held
  none.holds_then_touch(0, 16);
  CHECK_FALSE(none.holds(0, 16));
}

// The line cache against a plain reference: per set, a list of lines from the most to the least
// recently used. Random requests over a range a few times the cache's size, for several shapes
// (direct-mapped, 3 ways over 5 sets, 8, 16 and 32 ways, lines past 2^32, models emptied at once and
// set by set), with clears in between.
TEST_CASE("the line cache behaves as a textbook LRU cache", "[timing][cache]") {
  struct Shape {
    uint64_t bytes;
    uint32_t line, ways;
    uint64_t far = 0;    // added to every other request's address (lines numbered 2^32 and beyond)
    uint64_t range = 0;  // requests fall in [0, range) (0: four times the cache's size)
  };
  for (const Shape sh : {Shape{256, 16, 1}, Shape{480, 32, 3}, Shape{4096, 32, 8}, Shape{2048, 64, 2}, Shape{4096, 16, 16},
                         Shape{2048, 16, 32}, Shape{4096, 32, 8, uint64_t(1) << 40}, Shape{2048, 16, 32, uint64_t(1) << 40},
                         // more lines than LineCache empties at once: its sets are emptied as reached
                         Shape{uint64_t(4) << 20, 32, 8, 0, 1 << 16}, Shape{uint64_t(4) << 20, 16, 4, uint64_t(1) << 40, 1 << 16}}) {
    LineCache c(sh.bytes, sh.line, sh.ways);
    const uint64_t sets = sh.bytes / (uint64_t(sh.line) * sh.ways);
    std::vector<std::vector<uint64_t>> ref(sets);  // most recent first
    const auto ref_clear = [&] { for (auto& s : ref) s.clear(); };
    uint64_t rng = 88172645463325252ull;
    const auto next = [&] { rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17; return rng; };
    int hits = 0;
    for (int k = 0; k < 20000; ++k) {
      if (k % 5000 == 4999) {
        c.clear();
        ref_clear();
      }
      const uint64_t addr = next() % (sh.range ? sh.range : 4 * sh.bytes) + (k % 2 ? sh.far : 0);
      const uint32_t bytes = uint32_t(1 + next() % (3 * sh.line));
      bool all = true;
      for (uint64_t l = addr / sh.line; l <= (addr + bytes - 1) / sh.line; ++l) {
        const auto& s = ref[l % sets];
        all = all && std::find(s.begin(), s.end(), l) != s.end();
      }
      INFO("shape " << sh.bytes << "/" << sh.line << "/" << sh.ways << ", request " << k);
      REQUIRE(c.holds(addr, bytes) == all);
      REQUIRE(c.holds_then_touch(addr, bytes) == all);
      for (uint64_t l = addr / sh.line; l <= (addr + bytes - 1) / sh.line; ++l) {
        auto& s = ref[l % sets];
        const auto it = std::find(s.begin(), s.end(), l);
        if (it != s.end()) s.erase(it);
        s.insert(s.begin(), l);
        if (s.size() > sh.ways) s.pop_back();
      }
      hits += all;
    }
    CHECK(hits > 100);  // the requests exercise hits as well as misses
  }
}

// The cache keeps 32 bits of each key (line + 1) and full tags only once a line numbered 2^32 or
// beyond comes in. Line 4 (key 5) and the line of key 16 * 2^32 + 5 have the same low 32 bits and fall
// in the same set of 16: they must still be told apart, in either order.
TEST_CASE("the line cache tells lines with equal digests apart", "[timing][cache]") {
  LineCache c(8 * 64 * 16, 64, 8);  // 16 sets of 8 ways: line L in set L % 16
  const uint64_t low = 4;
  const uint64_t far = ((uint64_t(16) << 32) | 5) - 1;
  REQUIRE(far % 16 == low % 16);
  CHECK_FALSE(c.holds_then_touch(low * 64, 64));
  CHECK_FALSE(c.holds_then_touch(far * 64, 64));  // a different line with the same digest: a miss
  CHECK(c.holds_then_touch(low * 64, 64));
  CHECK(c.holds_then_touch(far * 64, 64));
  c.clear();
  CHECK_FALSE(c.holds_then_touch(far * 64, 64));
  CHECK_FALSE(c.holds_then_touch(low * 64, 64));  // only the far line was brought in
  CHECK(c.holds_then_touch(far * 64, 64));
}

// Latency 30, hit latency 4, 8-byte port, DRAM capped at 4 bytes per cycle. A 64-byte read misses:
// data from 30 for 64 / 4 = 16 cycles (the cap), done 46. The same read again hits: data from
// 50 + 4 = 54 for 8 beats at the port's rate, done 62. A write of the same lines goes to the DRAM
// (latency 30, capped) although they are present, and a read of other lines misses again.
TEST_CASE("a cached read is served at the hit latency and the port's rate", "[timing][cache]") {
  SharedPort p(8, std::make_unique<CachedDevice>(LineCache(1024, 32, 2), 4,
                                                 std::make_unique<FixedLatencyDevice>(30, 4.0)));
  CHECK(p.serve(0, 256, 64, false).done == 46);
  CHECK(p.serve(50, 256, 64, false).done == 62);
  CHECK(p.serve(100, 256, 64, true).done == 146);
  CHECK(p.serve(200, 512, 64, false).done == 246);
  // A read that finds only part of its lines is a miss.
  CHECK(p.serve(300, 512 - 32, 64, false).done == 346);
  p.reset();  // a new program starts with an empty cache
  CHECK(p.serve(0, 256, 64, false).done == 46);
}
