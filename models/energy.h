// Energy estimated from exact access counts: each counted event (MAC, accumulate, ALU lane
// operation, SRAM bit read or written, DRAM byte) times its energy from the energy.* parameters, plus
// static power times time. Estimates from counts, not measurements. Plain C++.
#pragma once

#include <string>
#include <vector>

#include "models/counters.h"
#include "models/hw_config.h"

namespace vtasim {

struct EnergyBreakdown {
  double mac = 0;                    // multiplies and accumulates of the GEMM core
  double alu = 0;                    // ALU lane operations
  double sram[kBufferCount] = {};    // reads and writes per buffer (uop, inp, wgt, acc, out)
  double dram = 0;                   // bytes over the memory port
  double static_energy = 0;          // energy.static_mw x time
  double total() const;
  // Component values in the order of component_names(), in the same unit as the fields.
  std::vector<double> components() const;
  static const std::vector<std::string>& component_names();  // mac, alu, uop, inp, wgt, acc, out, dram, static
  EnergyBreakdown& operator+=(const EnergyBreakdown& o);
  EnergyBreakdown scaled(double factor) const;
};

// Per-bit read energy of a buffer of the configuration: energy.sram_pj_per_bit x
// (size / energy.sram_ref_kib)^energy.sram_exponent.
double sram_pj_per_bit(const HwConfig& cfg, Buffer b);
// Bits of one entry of a buffer.
uint64_t entry_bits(const HwConfig& cfg, Buffer b);

// In pJ. `seconds` is the run's device time (0 for an engine without time: no static energy).
EnergyBreakdown energy_of(const AccessCounts& a, uint64_t dram_bytes, double seconds, const HwConfig& cfg);

}  // namespace vtasim
