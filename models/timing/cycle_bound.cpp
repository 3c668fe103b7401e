// Lower bound on a program's timed cycles (see cycle_bound.h).
#include "models/timing/cycle_bound.h"

#include <algorithm>
#include <array>
#include <limits>

#include "models/pipeline.h"
#include "models/timing/compute_timing.h"
#include "models/timing/dram_model.h"

namespace vtasim {

namespace {

// How long bursts occupy the one port (ticks), and the earliest any data can cross it after its
// request. Occupancy is cached per burst size (a transfer has at most two).
class PortUse {
 public:
  explicit PortUse(const HwConfig& cfg) : port_(make_shared_port(cfg)), max_burst_(cfg.max_burst_bytes()) {}
  uint64_t rows(const DramRows& rows, bool write) {
    const uint32_t full = rows.row_bytes / max_burst_, rest = rows.row_bytes % max_burst_;
    uint64_t per_row = 0;
    if (full) per_row += full * burst(max_burst_, write);
    if (rest) per_row += burst(rest, write);
    return per_row * rows.rows;
  }
  uint64_t burst(uint32_t bytes, bool write) {
    Entry& e = cache_[write];
    if (e.bytes[0] == bytes) return e.ticks[0];
    if (e.bytes[1] == bytes) return e.ticks[1];
    const SharedPort::Probe p = port_.probe(0, bytes, write);
    first_ = std::min(first_, p.first_data_ticks);
    e.bytes[1] = e.bytes[0], e.ticks[1] = e.ticks[0];
    e.bytes[0] = bytes, e.ticks[0] = p.occupancy_ticks;
    return p.occupancy_ticks;
  }
  uint64_t first_data() const { return first_; }  // ticks after the request, over every burst seen
  // Ticks from a request to its first data crossing the port (the device's latency).
  uint64_t latency(bool write) {
    if (!latency_known_[write]) {
      latency_[write] = port_.probe(0, max_burst_, write).first_data_ticks;
      latency_known_[write] = true;
    }
    return latency_[write];
  }

 private:
  struct Entry {
    uint32_t bytes[2] = {0, 0};
    uint64_t ticks[2] = {0, 0};
  };
  SharedPort port_;
  uint32_t max_burst_;
  Entry cache_[2];
  uint64_t first_ = std::numeric_limits<uint64_t>::max();
  uint64_t latency_[2] = {0, 0};
  bool latency_known_[2] = {false, false};
};

// One module's DMA master alone on its own port: the rules of tlm/dma_master.cpp (rows under the
// issue policy, bursts of at most port.max_burst, at most port.outstanding in flight) and of
// SharedPort::serve for a fixed-latency device (data no earlier than the request plus the latency,
// one burst after another), without any other master's traffic.
class SoloDma {
 public:
  SoloDma(const HwConfig& cfg, PortUse& use)
      : use_(use),
        window_(uint32_t(cfg.params().max_outstanding)),
        max_burst_(cfg.max_burst_bytes()),
        row_cycles_(Cycles(cfg.params().dma_row_cycles)) {}

  // The cycle a transfer started at `now` has all its data across the port.
  Cycles transfer(Cycles now, const DramRows& rows, DmaPolicy policy, bool write) {
    const uint64_t latency = use_.latency(write);
    const uint32_t full = rows.row_bytes / max_burst_, tail = rows.row_bytes % max_burst_;
    const uint64_t full_ticks = full ? use_.burst(max_burst_, write) : 0, tail_ticks = tail ? use_.burst(tail, write) : 0;
    Cycles end = now, row_issued = now, row_done = now;
    for (uint32_t r = 0; r < rows.rows; ++r) {
      now = std::max(now, next_row_issue(policy, row_issued, row_done, row_cycles_));
      for (uint32_t b = 0; b < full + (tail ? 1 : 0); ++b) {
        const uint64_t occupancy = b < full ? full_ticks : tail_ticks;
        now = window_.earliest_issue(now);
        free_ = std::max(now * kTicksPerCycle + latency, free_) + occupancy;
        const Cycles done = (free_ + kTicksPerCycle - 1) / kTicksPerCycle;
        window_.issued(done);
        row_issued = now;
        row_done = std::max(row_done, done);
        end = std::max(end, done);
      }
    }
    return std::max(now, end);
  }

 private:
  PortUse& use_;
  OutstandingWindow window_;
  uint32_t max_burst_;
  Cycles row_cycles_;
  uint64_t free_ = 0;  // ticks: when its port is free again
};

Cycles ticks_to_cycles(uint64_t ticks) { return Cycles((ticks + kTicksPerCycle - 1) / kTicksPerCycle); }

}  // namespace

std::optional<CycleBound> cycle_lower_bound(const std::vector<Insn>& program, const MemBases& bases,
                                            const HwConfig& cfg) {
  if (cfg.params().dram_model != "fixed") return std::nullopt;
  const ComputeTiming t = ComputeTiming::of(cfg);
  const size_t n = program.size();
  PortUse port(cfg);
  uint64_t all_ticks = 0;  // every burst's occupancy

  // Fetch: the instruction bytes cross the port in whole-instruction bursts; instruction i is
  // dispatched no earlier than i + 1 cycles after the first burst arrived.
  const uint32_t insn_burst = std::max<uint32_t>(kInsnBytes, cfg.max_burst_bytes() / kInsnBytes * kInsnBytes);
  Cycles first_fetch = 0;
  if (n) {
    const uint64_t total = uint64_t(n) * kInsnBytes;
    all_ticks += (total / insn_burst) * port.burst(insn_burst, false);
    if (total % insn_burst) all_ticks += port.burst(uint32_t(total % insn_burst), false);
    first_fetch = ticks_to_cycles(port.latency(false) + port.burst(uint32_t(std::min<uint64_t>(insn_burst, total)), false));
  }

  std::array<std::vector<uint32_t>, kStageCount> queue;  // each stage's instructions, in order
  for (size_t i = 0; i < n; ++i) queue[size_t(stage_of(program[i], i))].push_back(uint32_t(i));
  std::array<SoloDma, kStageCount> dma{SoloDma(cfg, port), SoloDma(cfg, port), SoloDma(cfg, port)};
  std::array<Cycles, kStageCount> free{};
  std::array<size_t, kStageCount> next{};
  std::array<std::vector<Cycles>, kTokenQueueCount> pushed;  // when each token was pushed, in order
  std::array<size_t, kTokenQueueCount> popped{};
  Cycles end = 0;

  // Places the next instruction of `s` if the tokens it pops exist; false otherwise.
  const auto step = [&](Stage s) {
    const size_t si = size_t(s);
    const uint32_t index = queue[si][next[si]];
    const Insn& insn = program[index];
    Cycles start = std::max(free[si], first_fetch + index + 1);
    std::array<std::optional<TokenQueue>, 2> pops;
    for (bool prev : {true, false}) {
      const auto q = pop_queue(s, prev);
      if ((prev ? insn.pop_prev_dep : insn.pop_next_dep) && q) pops[prev ? 0 : 1] = q;
    }
    for (const auto& q : pops) {
      if (q && popped[size_t(*q)] >= pushed[size_t(*q)].size()) return false;
    }
    for (const auto& q : pops)
      if (q) start = std::max(start, pushed[size_t(*q)][popped[size_t(*q)]++]);

    Cycles finish = start;
    switch (insn.opcode) {
      case Opcode::Load:
      case Opcode::Store:
        if (insn.is_noop()) {
          finish += t.noop;
        } else {
          const bool write = insn.opcode == Opcode::Store;
          const DramRows rows = dram_rows(insn, bases, cfg);
          all_ticks += port.rows(rows, write);
          finish = dma[si].transfer(start, rows, dma_policy(cfg, insn.memory_type), write);
          if (!write) finish += pad_cycles(insn, t);
        }
        break;
      case Opcode::Gemm: finish += gemm_cycles(insn, t); break;
      case Opcode::Alu: finish += alu_cycles(insn, t); break;
      case Opcode::Finish: finish += t.noop; break;
    }
    free[si] = finish;
    end = std::max(end, finish);
    for (bool prev : {true, false}) {
      const auto q = push_queue(s, prev);
      if ((prev ? insn.push_prev_dep : insn.push_next_dep) && q) pushed[size_t(*q)].push_back(finish);
    }
    ++next[si];
    return true;
  };

  for (bool progress = true; progress;) {
    progress = false;
    for (Stage s : kStages) {
      while (next[size_t(s)] < queue[size_t(s)].size() && step(s)) progress = true;
    }
  }
  for (Stage s : kStages)
    if (next[size_t(s)] < queue[size_t(s)].size()) return std::nullopt;

  CycleBound b;
  b.critical_path = end;
  if (all_ticks) b.port = ticks_to_cycles(port.first_data() + all_ticks);
  return b;
}

}  // namespace vtasim
