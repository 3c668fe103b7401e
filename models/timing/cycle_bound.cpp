// Lower bound on a program's timed cycles (see cycle_bound.h).
#include "models/timing/cycle_bound.h"

#include <algorithm>
#include <array>
#include <limits>

#include "models/pipeline.h"
#include "models/timing/compute_timing.h"
#include "models/timing/dram_model.h"
#include "models/vta_core.h"

namespace vtasim {

namespace {

// One module's DMA master alone on its own copy of the port: the rules of tlm/dma_master.cpp (rows
// under the issue policy, bursts of at most port.max_burst, at most port.outstanding in flight)
// without any other master's traffic.
class SoloDma {
 public:
  explicit SoloDma(const HwConfig& cfg)
      : port_(make_shared_port(cfg)),
        window_(uint32_t(cfg.params().max_outstanding)),
        max_burst_(cfg.max_burst_bytes()),
        row_cycles_(Cycles(cfg.params().dma_row_cycles)) {}

  // The cycle a transfer started at `now` has all its data across the port.
  Cycles transfer(Cycles now, const DramRows& rows, DmaPolicy policy, bool write) {
    Cycles end = now, row_issued = now, row_done = now;
    for (uint32_t r = 0; r < rows.rows; ++r) {
      now = std::max(now, next_row_issue(policy, row_issued, row_done, row_cycles_));
      const uint64_t row_addr = rows.addr + uint64_t(r) * rows.stride_bytes;
      for (uint32_t off = 0; off < rows.row_bytes; off += max_burst_) {
        const uint32_t bytes = std::min(max_burst_, rows.row_bytes - off);
        now = window_.earliest_issue(now);
        const Cycles done = port_.serve(now, row_addr + off, bytes, write).done;
        window_.issued(done);
        row_issued = now;
        row_done = std::max(row_done, done);
        end = std::max(end, done);
      }
    }
    return std::max(now, end);
  }

  // The first burst of a fetch at cycle 0: when its data has arrived.
  Cycles first_fetch(uint32_t bytes) { return port_.serve(0, 0, bytes, false).done; }

 private:
  SharedPort port_;
  OutstandingWindow window_;
  uint32_t max_burst_;
  Cycles row_cycles_;
};

// Every burst's data phase through the one port, the first no earlier than the smallest latency.
class PortTotal {
 public:
  explicit PortTotal(const HwConfig& cfg) : port_(make_shared_port(cfg)), max_burst_(cfg.max_burst_bytes()) {}
  void add_rows(const DramRows& rows, bool write) {
    for (uint32_t r = 0; r < rows.rows; ++r)
      for (uint32_t off = 0; off < rows.row_bytes; off += max_burst_) add(std::min(max_burst_, rows.row_bytes - off), write);
  }
  void add(uint32_t bytes, bool write) {
    const SharedPort::Probe p = port_.probe(0, bytes, write);
    first_ = std::min(first_, p.first_data_ticks);
    busy_ += p.occupancy_ticks;
  }
  Cycles cycles() const {
    if (busy_ == 0) return 0;
    return Cycles((first_ + busy_ + SharedPort::kTicksPerCycle - 1) / SharedPort::kTicksPerCycle);
  }

 private:
  SharedPort port_;
  uint32_t max_burst_;
  uint64_t first_ = std::numeric_limits<uint64_t>::max();
  uint64_t busy_ = 0;
};

}  // namespace

std::optional<CycleBound> cycle_lower_bound(const std::vector<Insn>& program, const MemBases& bases,
                                            const HwConfig& cfg) {
  if (cfg.params().dram_model != "fixed") return std::nullopt;
  const ComputeTiming t = ComputeTiming::of(cfg);
  const size_t n = program.size();
  PortTotal port(cfg);

  // Fetch: the instruction bytes cross the port in whole-instruction bursts; instruction i is
  // dispatched no earlier than i + 1 cycles after the first burst arrived.
  const uint32_t insn_burst = std::max<uint32_t>(kInsnBytes, cfg.max_burst_bytes() / kInsnBytes * kInsnBytes);
  Cycles first_fetch = 0;
  {
    const uint64_t total = uint64_t(n) * kInsnBytes;
    for (uint64_t off = 0; off < total; off += insn_burst) port.add(uint32_t(std::min<uint64_t>(insn_burst, total - off)), false);
    if (n) first_fetch = SoloDma(cfg).first_fetch(uint32_t(std::min<uint64_t>(insn_burst, total)));
  }

  std::array<std::vector<uint32_t>, kStageCount> queue;  // each stage's instructions, in order
  for (size_t i = 0; i < n; ++i) queue[size_t(stage_of(program[i], i))].push_back(uint32_t(i));
  std::array<SoloDma, kStageCount> dma{SoloDma(cfg), SoloDma(cfg), SoloDma(cfg)};
  std::array<Cycles, kStageCount> free{};
  std::array<size_t, kStageCount> next{};
  std::array<std::vector<Cycles>, kTokenQueueCount> pushed;  // when each token was pushed, in order
  std::array<size_t, kTokenQueueCount> popped{};
  Cycles end = 0;

  // Runs the next instruction of `s` if the tokens it pops exist; false otherwise.
  const auto step = [&](Stage s) {
    const size_t si = size_t(s);
    const uint32_t index = queue[si][next[si]];
    const Insn& insn = program[index];
    Cycles start = std::max(free[si], first_fetch + index + 1);
    std::array<std::optional<TokenQueue>, 2> pops;
    for (bool prev : {true, false}) {
      const auto q = pop_queue(s, prev);
      if (!(prev ? insn.pop_prev_dep : insn.pop_next_dep) || !q) continue;
      pops[prev ? 0 : 1] = q;
    }
    for (const auto& q : pops) {
      if (!q) continue;
      const size_t qi = size_t(*q);
      if (popped[qi] >= pushed[qi].size()) return false;
      start = std::max(start, pushed[qi][popped[qi]]);
    }
    for (const auto& q : pops)
      if (q) ++popped[size_t(*q)];

    Cycles finish = start;
    switch (insn.opcode) {
      case Opcode::Load:
      case Opcode::Store:
        if (insn.is_noop()) {
          finish += t.noop;
        } else {
          const bool write = insn.opcode == Opcode::Store;
          const DramRows rows = dram_rows(insn, bases, cfg);
          port.add_rows(rows, write);
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
  return CycleBound{end, port.cycles()};
}

}  // namespace vtasim
