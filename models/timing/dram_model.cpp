// Shared port and DRAM devices (see dram_model.h).
#include "models/timing/dram_model.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace vtasim {

uint64_t FixedLatencyDevice::ticks_for(uint32_t bytes) const {
  return uint64_t(std::llround(double(bytes) / cap_ * double(kTicksPerCycle)));
}

DeviceAccess CachedDevice::access(Cycles arrival, uint64_t addr, uint32_t bytes, bool is_write) {
  if (!is_write && cache_.holds(addr, bytes)) return {(arrival + hit_latency_) * kTicksPerCycle, 0, true};
  return behind_->access(arrival, addr, bytes, is_write);
}

void CachedDevice::served(uint64_t start, uint64_t end, uint64_t addr, uint32_t bytes, bool is_write) {
  if (!hit_) behind_->served(start, end, addr, bytes, is_write);
}

void CachedDevice::reset() {
  cache_.clear();
  behind_->reset();
}

SharedPort::SharedPort(uint32_t port_bytes, std::unique_ptr<DramDevice> device)
    : port_bytes_(port_bytes), device_(std::move(device)) {
  if (port_bytes_ == 0 || (port_bytes_ & (port_bytes_ - 1))) {
    throw std::logic_error("SharedPort: the port's width must be a power of two (port.bits is validated so)");
  }
  while ((1u << port_shift_) < port_bytes_) ++port_shift_;
  device_uses_served_ = device_->uses_served();
  cached_ = dynamic_cast<CachedDevice*>(device_.get());
  fixed_ = dynamic_cast<FixedLatencyDevice*>(device_.get());
}

SharedPort::Probe SharedPort::probe(uint64_t addr, uint32_t bytes, bool is_write) {
  const DeviceAccess d = device_->access(0, addr, bytes, is_write);
  return {d.first_data, std::max(uint64_t(beats_for(bytes, port_bytes_)) * kTicksPerCycle, d.min_ticks)};
}

void SharedPort::reset(Cycles origin) {
  origin_ = origin;
  free_ticks_ = 0;
  device_->reset();
}

namespace {

std::unique_ptr<DramDevice> make_memory_device(const HwConfig& cfg) {
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

}  // namespace

std::unique_ptr<DramDevice> make_dram_device(const HwConfig& cfg, bool with_cache) {
  const HwParams& p = cfg.params();
  auto device = make_memory_device(cfg);
  if (p.cache_kib <= 0 || !with_cache) return device;
  LineCache cache(uint64_t(p.cache_kib) * 1024, uint32_t(p.cache_line), uint32_t(p.cache_ways));
  return std::make_unique<CachedDevice>(std::move(cache), Cycles(p.cache_hit_latency), std::move(device));
}

SharedPort make_shared_port(const HwConfig& cfg, bool with_cache) {
  return SharedPort(cfg.port_bytes_per_cycle(), make_dram_device(cfg, with_cache));
}

}  // namespace vtasim
