// Timing of the memory system in plain C++: how a DMA row becomes bursts, how many bursts a master
// may have in flight, and when the shared port and DRAM deliver a burst. The SystemC modules call
// these and spend the resulting time; nothing here knows SystemC.
//
// Time is counted in accelerator cycles.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/hw_config.h"
#include "models/isa.h"
#include "models/program_image.h"

namespace vtasim {

using Cycles = uint64_t;

// The DRAM side of a LOAD/STORE: `rows` rows of `row_bytes` bytes, row y at addr + y * stride_bytes.
struct DramRows {
  uint64_t addr = 0;
  uint64_t stride_bytes = 0;
  uint32_t rows = 0;
  uint32_t row_bytes = 0;
  bool wraps = false;  // the first address passes 2^64 (base address plus offset): not executable
  uint64_t total_bytes() const { return uint64_t(rows) * row_bytes; }
};
// The DRAM rows of a LOAD/STORE under the configuration's element sizes (empty for a no-op).
DramRows dram_rows(const Insn& insn, const MemBases& bases, const HwConfig& cfg);

// One burst: `bytes` at DRAM address `addr`, taken from / put to `offset` in the master's staging
// buffer.
struct Burst {
  uint64_t addr = 0;
  uint32_t bytes = 0;
  uint64_t offset = 0;
};

// Splits `rows` rows of `row_bytes` bytes (row r at addr + r * stride) into bursts of at most
// `max_burst_bytes`; rows are never merged (each row is its own burst stream). Staging offsets are
// packed (row r at r * row_bytes). Appends to `out`.
void split_rows_into_bursts(uint64_t addr, uint64_t stride, uint32_t rows, uint32_t row_bytes,
                            uint32_t max_burst_bytes, std::vector<Burst>& out);

// The outstanding-request limit of one DMA master: at most `limit` bursts in flight. A burst may be
// issued once the burst `limit` places before it has completed.
class OutstandingWindow {
 public:
  explicit OutstandingWindow(uint32_t limit) : ring_(limit, 0) {}
  // Earliest cycle at or after `now` at which the next burst may be issued.
  Cycles earliest_issue(Cycles now) const {
    const Cycles oldest = ring_[head_];
    return oldest > now ? oldest : now;
  }
  void issued(Cycles completion) {
    ring_[head_] = completion;
    if (++head_ == ring_.size()) head_ = 0;
  }
  void reset() {
    for (auto& c : ring_) c = 0;
    head_ = 0;
  }
  // How many bursts (at most `want`) may issue at `now` one after another without waiting.
  uint32_t free_at(Cycles now, uint32_t want) const {
    uint32_t n = 0;
    for (size_t k = head_; n < want && n < ring_.size() && ring_[k] <= now; k = k + 1 == ring_.size() ? 0 : k + 1) ++n;
    return n;
  }

 private:
  std::vector<Cycles> ring_;
  size_t head_ = 0;
};

// How a DMA master issues the rows of a 2-D transfer.
//  - Pipelined: each row's first burst issues dma.row_cycles after the previous row's last burst was
//    issued; bursts stream with up to port.outstanding in flight.
//  - RowSerial: each row's first burst issues dma.row_cycles after the previous row completed (its
//    data arrived, or its write finished): one row in flight, every row pays the round trip.
enum class DmaPolicy : uint8_t { Pipelined, RowSerial };

// The policy the configuration gives the transfers of a memory type (dma.inp_policy, dma.wgt_policy,
// dma.compute_policy for micro-ops and biases, dma.store_policy).
DmaPolicy dma_policy(const HwConfig& cfg, MemType t);

// The cycle at which the next row's first burst may issue.
inline Cycles next_row_issue(DmaPolicy p, Cycles prev_row_issued, Cycles prev_row_done, Cycles row_cycles) {
  const Cycles after = p == DmaPolicy::RowSerial && prev_row_done > prev_row_issued ? prev_row_done : prev_row_issued;
  return after + row_cycles;
}

// When a burst's data has crossed the port.
struct BurstGrant {
  Cycles data_start = 0;  // first beat on the port
  Cycles done = 0;        // last beat on the port
  uint32_t bytes = 0;
  uint32_t beats = 0;
  bool cache_hit = false;  // a read served from the cache (cache.kib)
};

// How the rows of a 2-D transfer are issued.
struct RowIssue {
  DmaPolicy policy = DmaPolicy::Pipelined;
  Cycles row_cycles = 0;
};

struct DmaResult {
  Cycles beats = 0;     // port cycles this transfer's data occupied
  Cycles overhead = 0;  // the master's own per-row cycles (loop control)
  Cycles end = 0;       // absolute cycle the last burst completed
};

// The issue side of a 2-D transfer: its rows under the row rule, split into bursts of at most
// `max_burst` bytes, at most the window's limit in flight, as trains (the bursts of one row that the
// window lets go at one instant). The DMA master asks for the next train, issues it at its time and
// reports when each burst's data crossed the port; this class holds the rules, the master the waiting.
class TransferIssue {
 public:
  // `now`: when the transfer starts. The window is the master's (it outlives the transfer).
  TransferIssue(const DramRows& rows, uint32_t max_burst, const RowIssue& issue, OutstandingWindow& window, Cycles now)
      : rows_(rows), max_burst_(max_burst), issue_(issue), window_(window),
        per_row_((rows.row_bytes + max_burst - 1) / max_burst), now_(now), row_issued_(now), row_done_(now) {
    result_.end = now;
  }
  bool done() const { return per_row_ == 0 || row_ >= rows_.rows; }

  struct Train {
    Cycles at = 0;         // when it issues: after the row rule and the window allow
    uint64_t addr = 0;
    uint64_t bytes = 0;
    uint64_t offset = 0;   // in the staging buffer, whose row r is at r * row_bytes
    uint32_t bursts = 0;
  };
  // The next train (asking again without issued() gives the same).
  Train next() const {
    Cycles at = burst_ == 0 ? std::max(now_, next_row_issue(issue_.policy, row_issued_, row_done_, issue_.row_cycles)) : now_;
    at = std::max(at, window_.earliest_issue(at));
    Train t;
    t.at = at;
    t.bursts = window_.free_at(at, per_row_ - burst_);
    const uint64_t off = uint64_t(burst_) * max_burst_;
    t.bytes = std::min<uint64_t>(uint64_t(t.bursts) * max_burst_, rows_.row_bytes - off);
    t.addr = rows_.addr + uint64_t(row_) * rows_.stride_bytes + off;
    t.offset = uint64_t(row_) * rows_.row_bytes + off;
    return t;
  }
  // The train next() gave went out; `grants`: its bursts' completions, in order.
  void issued(const Train& t, const BurstGrant* grants, size_t n) {
    for (size_t i = 0; i < n; ++i) granted(grants[i]);
    issued(t);
  }
  // The same a burst at a time: granted() for each of the train's bursts in order, then issued(t).
  void granted(const BurstGrant& g) {
    window_.issued(g.done);
    row_done_ = std::max(row_done_, g.done);
    result_.beats += g.beats;
  }
  void issued(const Train& t) {
    if (burst_ == 0) result_.overhead += issue_.row_cycles;
    now_ = t.at;
    result_.end = std::max(result_.end, row_done_);
    row_issued_ = now_;
    burst_ += t.bursts;
    if (burst_ >= per_row_) burst_ = 0, ++row_;
  }
  // The master's own time (the last issue) and the transfer's beats, overhead and last completion.
  Cycles now() const { return now_; }
  const DmaResult& result() const { return result_; }

 private:
  DramRows rows_;
  uint32_t max_burst_;
  RowIssue issue_;
  OutstandingWindow& window_;
  uint32_t per_row_;
  uint32_t row_ = 0, burst_ = 0;  // the next train's row and first burst in it
  Cycles now_, row_issued_, row_done_;
  DmaResult result_;
};

// Port beats a burst of `bytes` occupies (partial beats round up).
inline uint32_t beats_for(uint64_t bytes, uint32_t port_bytes) { return uint32_t((bytes + port_bytes - 1) / port_bytes); }

}  // namespace vtasim
