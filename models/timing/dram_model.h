// The memory behind the accelerator's single shared port, in two parts so either can be replaced
// alone:
//  - SharedPort: the port's first-come-first-served serialisation. Requests are served in the order
//    they arrive; a burst's data phase occupies the port for one beat per port width.
//  - DramDevice: when the memory itself can deliver a request (latency, bandwidth, and whatever state
//    a richer model keeps: banks, open rows, refresh).
// make_dram_device() builds the device the configuration's dram.model names; a new DRAM model is a
// new DramDevice subclass plus one entry there (and its name in dram.model's choices).
//
// Time is counted in accelerator cycles; the port keeps time in exact integer sub-cycle ticks so that
// a bandwidth cap that does not divide a beat evenly neither accumulates rounding nor makes a
// program's timing depend on the absolute time it started at.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>

#include "models/hw_config.h"
#include "models/timing/cache_model.h"
#include "models/timing/memory_timing.h"

namespace vtasim {

// Time inside the port and the device is kept in ticks: kTicksPerCycle ticks make a cycle.
constexpr uint64_t kTicksPerCycle = uint64_t(1) << 16;

// What the device needs for one request, in ticks.
struct DeviceAccess {
  uint64_t first_data = 0;  // earliest tick the first beat can leave the device
  uint64_t min_ticks = 0;   // shortest time the device needs to move the bytes (0: no limit of its own)
  bool cache_hit = false;   // served from a cache in front of the DRAM
};

class DramDevice {
 public:
  virtual ~DramDevice() = default;
  // `arrival`: cycles since the program started.
  virtual DeviceAccess access(Cycles arrival, uint64_t addr, uint32_t bytes, bool is_write) = 0;
  // The same for a request the port serves now (served() follows before any other request); a device
  // may update its state here already. By default access().
  virtual DeviceAccess begin(Cycles arrival, uint64_t addr, uint32_t bytes, bool is_write) {
    return access(arrival, addr, bytes, is_write);
  }
  // The port scheduled the request's data phase [start, end) (ticks); a stateful device updates itself.
  virtual void served(uint64_t start, uint64_t end, uint64_t addr, uint32_t bytes, bool is_write) {
    (void)start, (void)end, (void)addr, (void)bytes, (void)is_write;
  }
  // Whether served() does anything (the port skips the call, once per burst, when it does not).
  virtual bool uses_served() const { return false; }
  virtual void reset() {}
};

// dram.model = "fixed": a fixed latency before the first beat (its own for writes), and optionally a
// bandwidth below the port rate (bytes per cycle; 0 or at least the port rate means none).
class FixedLatencyDevice final : public DramDevice {
 public:
  FixedLatencyDevice(Cycles read_latency, Cycles write_latency, double cap_bytes_per_cycle)
      : read_latency_(read_latency), write_latency_(write_latency), cap_(cap_bytes_per_cycle) {}
  FixedLatencyDevice(Cycles latency, double cap_bytes_per_cycle) : FixedLatencyDevice(latency, latency, cap_bytes_per_cycle) {}
  // (Inline: the port calls it once per burst, without a virtual call where it knows the device.)
  DeviceAccess access(Cycles arrival, uint64_t, uint32_t bytes, bool is_write) override {
    DeviceAccess a;
    a.first_data = (arrival + (is_write ? write_latency_ : read_latency_)) * kTicksPerCycle;
    if (cap_ > 0) a.min_ticks = cap_ticks(bytes);
    return a;
  }
  DeviceAccess begin(Cycles arrival, uint64_t addr, uint32_t bytes, bool is_write) override {
    return FixedLatencyDevice::access(arrival, addr, bytes, is_write);  // one call, not two
  }

 private:
  // The ticks the cap gives `bytes`, kept for the last two sizes asked about (a transfer's bursts come
  // in two sizes at most): no division per burst.
  uint64_t cap_ticks(uint32_t bytes) {
    if (bytes == sizes_[0]) return ticks_[0];
    if (bytes == sizes_[1]) return ticks_[1];
    const uint32_t slot = next_slot_;
    next_slot_ ^= 1;
    sizes_[slot] = bytes;
    return ticks_[slot] = ticks_for(bytes);
  }
  uint64_t ticks_for(uint32_t bytes) const;

  Cycles read_latency_, write_latency_;
  double cap_;
  uint32_t sizes_[2] = {0, 0};  // (0 bytes take 0 ticks)
  uint64_t ticks_[2] = {0, 0};
  uint32_t next_slot_ = 0;
};

// A cache in front of another device (cache.kib > 0): a read whose lines are all present is served
// after the hit latency at the port's rate; any other request goes to the device behind it. Every
// request, read or write, then brings its lines in (a write-allocate cache).
class CachedDevice final : public DramDevice {
 public:
  CachedDevice(LineCache cache, Cycles hit_latency, std::unique_ptr<DramDevice> behind)
      : cache_(std::move(cache)), hit_latency_(hit_latency), behind_(std::move(behind)),
        fixed_(dynamic_cast<FixedLatencyDevice*>(behind_.get())) {}
  DeviceAccess access(Cycles arrival, uint64_t addr, uint32_t bytes, bool is_write) override;
  DeviceAccess begin(Cycles arrival, uint64_t addr, uint32_t bytes, bool is_write) override {
    // One pass over the lines: whether all are present, and they are brought in (the request is served).
    hit_ = cache_.holds_then_touch(addr, bytes) && !is_write;
    if (hit_) return {(arrival + hit_latency_) * kTicksPerCycle, 0, true};
    return fixed_ ? fixed_->FixedLatencyDevice::begin(arrival, addr, bytes, is_write)
                  : behind_->begin(arrival, addr, bytes, is_write);
  }
  void served(uint64_t start, uint64_t end, uint64_t addr, uint32_t bytes, bool is_write) override;
  bool uses_served() const override { return behind_->uses_served(); }
  void reset() override;

 private:
  LineCache cache_;
  bool hit_ = false;  // whether the request begin() took was a hit
  Cycles hit_latency_;
  std::unique_ptr<DramDevice> behind_;
  FixedLatencyDevice* fixed_;  // behind_ when it is the fixed-latency device (called without a virtual call)
};

class SharedPort {
 public:
  SharedPort(uint32_t port_bytes, std::unique_ptr<DramDevice> device);
  // The data phase starts once the device can deliver and the port is free; it lasts the port's
  // beats or the device's minimum, whichever is longer. (Inline: it runs once per burst, and the
  // caller then keeps the grant in registers.)
  BurstGrant serve(Cycles arrival, uint64_t addr, uint32_t bytes, bool is_write) {
    BurstGrant g;
    g.bytes = bytes;
    g.beats = uint32_t((uint64_t(bytes) + port_bytes_ - 1) >> port_shift_);  // port_bytes_ is a power of two
    const Cycles at = arrival - origin_;
    const DeviceAccess d = cached_  ? cached_->CachedDevice::begin(at, addr, bytes, is_write)
                           : fixed_ ? fixed_->FixedLatencyDevice::begin(at, addr, bytes, is_write)
                                    : device_->begin(at, addr, bytes, is_write);
    g.cache_hit = d.cache_hit;
    const uint64_t start = std::max(d.first_data, free_ticks_);
    free_ticks_ = start + std::max(uint64_t(g.beats) * kTicksPerCycle, d.min_ticks);
    if (device_uses_served_) device_->served(start, free_ticks_, addr, bytes, is_write);
    g.data_start = origin_ + (start + kTicksPerCycle - 1) / kTicksPerCycle;
    g.done = origin_ + (free_ticks_ + kTicksPerCycle - 1) / kTicksPerCycle;
    return g;
  }
  // Idle again, for a program that starts at cycle `origin`: the port keeps its time relative to it,
  // so a long process does not run out of ticks (sim.watchdog bounds one program's cycles).
  void reset(Cycles origin = 0);

  // What a request arriving at cycle 0 would need on an idle port, in ticks, without serving it: when
  // its data could first cross the port, and how long its data phase occupies the port.
  struct Probe {
    uint64_t first_data_ticks = 0;
    uint64_t occupancy_ticks = 0;
  };
  Probe probe(uint64_t addr, uint32_t bytes, bool is_write);

  static constexpr uint64_t kTicksPerCycle = vtasim::kTicksPerCycle;

 private:
  uint32_t port_bytes_;
  uint32_t port_shift_ = 0;  // log2(port_bytes_)
  std::unique_ptr<DramDevice> device_;
  // device_ when it is one of the two devices of this file (their begin() is called directly).
  CachedDevice* cached_ = nullptr;
  FixedLatencyDevice* fixed_ = nullptr;
  bool device_uses_served_ = false;
  Cycles origin_ = 0;
  uint64_t free_ticks_ = 0;  // when the port is free again, after origin_
};

// The device dram.model names, with the configuration's latency and bandwidth cap, behind the
// configuration's cache (cache.kib) unless `with_cache` is false.
std::unique_ptr<DramDevice> make_dram_device(const HwConfig& cfg, bool with_cache = true);
// The whole memory path of a configuration: its port in front of its device (and cache).
SharedPort make_shared_port(const HwConfig& cfg, bool with_cache = true);

}  // namespace vtasim
