// Shared port and DRAM devices (see dram_model.h).
#include "models/timing/dram_model.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace vtasim {

DeviceAccess FixedLatencyDevice::access(Cycles arrival, uint64_t, uint32_t bytes, bool is_write) {
  DeviceAccess a;
  a.first_data = double(arrival + (is_write ? write_latency_ : read_latency_));
  a.min_cycles = cap_ > 0 ? double(bytes) / cap_ : 0.0;
  return a;
}

SharedPort::SharedPort(uint32_t port_bytes, std::unique_ptr<DramDevice> device)
    : port_bytes_(port_bytes), device_(std::move(device)) {}

uint64_t SharedPort::ticks(double cycles) { return uint64_t(std::llround(cycles * double(kTicksPerCycle))); }

SharedPort::Probe SharedPort::probe(uint64_t addr, uint32_t bytes, bool is_write) {
  const DeviceAccess d = device_->access(0, addr, bytes, is_write);
  return {ticks(d.first_data), std::max(uint64_t(beats_for(bytes, port_bytes_)) * kTicksPerCycle, ticks(d.min_cycles))};
}

BurstGrant SharedPort::serve(Cycles arrival, uint64_t addr, uint32_t bytes, bool is_write) {
  BurstGrant g;
  g.beats = beats_for(bytes, port_bytes_);
  const DeviceAccess d = device_->access(arrival, addr, bytes, is_write);
  const uint64_t start = std::max(ticks(d.first_data), free_ticks_);
  free_ticks_ = start + std::max(uint64_t(g.beats) * kTicksPerCycle, ticks(d.min_cycles));
  device_->served(double(start) / double(kTicksPerCycle), double(free_ticks_) / double(kTicksPerCycle), addr, bytes,
                  is_write);
  const auto whole = [](uint64_t t) { return Cycles((t + kTicksPerCycle - 1) / kTicksPerCycle); };
  g.data_start = whole(start);
  g.done = whole(free_ticks_);
  return g;
}

void SharedPort::reset() {
  free_ticks_ = 0;
  device_->reset();
}

std::unique_ptr<DramDevice> make_dram_device(const HwConfig& cfg) {
  const HwParams& p = cfg.params();
  if (p.dram_model == "fixed") {
    const double cap = p.dram_gbps > 0 && cfg.mem_bytes_per_cycle() < double(cfg.port_bytes_per_cycle())
                           ? cfg.mem_bytes_per_cycle()
                           : 0.0;
    return std::make_unique<FixedLatencyDevice>(Cycles(p.dram_latency), Cycles(cfg.write_latency()), cap);
  }
  // The configuration validates dram.model against its choices, so this is an internal fault.
  throw std::logic_error("no DRAM device model named '" + p.dram_model + "'");
}

SharedPort make_shared_port(const HwConfig& cfg) {
  return SharedPort(cfg.port_bytes_per_cycle(), make_dram_device(cfg));
}

}  // namespace vtasim
