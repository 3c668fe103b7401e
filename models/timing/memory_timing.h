// Timing of the memory system in plain C++: how a DMA row becomes bursts, how many bursts a master
// may have in flight, and when the shared port and DRAM deliver a burst. The SystemC modules call
// these and spend the resulting time; nothing here knows SystemC.
//
// Time is counted in accelerator cycles.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vtasim {

using Cycles = uint64_t;

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
    head_ = (head_ + 1) % ring_.size();
  }
  void reset() {
    for (auto& c : ring_) c = 0;
    head_ = 0;
  }

 private:
  std::vector<Cycles> ring_;
  size_t head_ = 0;
};

// Port beats a burst of `bytes` occupies (partial beats round up).
inline uint32_t beats_for(uint64_t bytes, uint32_t port_bytes) { return uint32_t((bytes + port_bytes - 1) / port_bytes); }

}  // namespace vtasim
