// Memory-system timing (see memory_timing.h).
#include "memory_timing.h"

#include <algorithm>
#include <cmath>

namespace vtasim {

void split_rows_into_bursts(uint64_t addr, uint64_t stride, uint32_t rows, uint32_t row_bytes,
                            uint32_t max_burst_bytes, std::vector<Burst>& out) {
  for (uint32_t r = 0; r < rows; ++r) {
    const uint64_t row_addr = addr + uint64_t(r) * stride;
    for (uint32_t off = 0; off < row_bytes; off += max_burst_bytes) {
      const uint32_t n = std::min(max_burst_bytes, row_bytes - off);
      out.push_back({row_addr + off, n, uint64_t(r) * row_bytes + off});
    }
  }
}

BandwidthLatencyModel::BandwidthLatencyModel(uint32_t port_bytes, Cycles latency, double cap)
    : port_bytes_(port_bytes), latency_(latency), cap_(cap > 0 && cap < double(port_bytes) ? cap : 0) {}

BurstGrant BandwidthLatencyModel::serve(Cycles arrival, uint64_t, uint32_t bytes, bool) {
  BurstGrant g;
  g.beats = (bytes + port_bytes_ - 1) / port_bytes_;
  // The channel is free from free_ on (fractional when a cap does not divide evenly, so rounding
  // never accumulates); the data phase lasts the port's beats or the DRAM's time, whichever is longer.
  const double start = std::max(double(arrival + latency_), free_);
  const double length = cap_ > 0 ? std::max(double(g.beats), double(bytes) / cap_) : double(g.beats);
  free_ = start + length;
  g.data_start = Cycles(std::ceil(start - 1e-9));
  g.done = Cycles(std::ceil(free_ - 1e-9));
  return g;
}

}  // namespace vtasim
