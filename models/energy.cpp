// Energy from access counts (see energy.h).
#include "models/energy.h"

#include <cmath>

namespace vtasim {

namespace {

MemType mem_type_of(Buffer b) {
  switch (b) {
    case Buffer::Uop: return MemType::Uop;
    case Buffer::Inp: return MemType::Inp;
    case Buffer::Wgt: return MemType::Wgt;
    case Buffer::Acc: return MemType::Acc;
    case Buffer::Out: break;
  }
  return MemType::Out;
}

}  // namespace

double EnergyBreakdown::total() const {
  double t = 0;
  for (double v : components()) t += v;
  return t;
}

std::vector<double> EnergyBreakdown::components() const {
  return {mac, alu, sram[0], sram[1], sram[2], sram[3], sram[4], dram, static_energy};
}

const std::vector<std::string>& EnergyBreakdown::component_names() {
  static const std::vector<std::string> n = {"mac", "alu", "uop", "inp", "wgt", "acc", "out", "dram", "static"};
  return n;
}

EnergyBreakdown& EnergyBreakdown::operator+=(const EnergyBreakdown& o) {
  mac += o.mac;
  alu += o.alu;
  for (int b = 0; b < kBufferCount; ++b) sram[b] += o.sram[b];
  dram += o.dram;
  static_energy += o.static_energy;
  return *this;
}

EnergyBreakdown EnergyBreakdown::scaled(double f) const {
  EnergyBreakdown e = *this;
  e.mac *= f;
  e.alu *= f;
  for (double& v : e.sram) v *= f;
  e.dram *= f;
  e.static_energy *= f;
  return e;
}

uint64_t entry_bits(const HwConfig& cfg, Buffer b) { return uint64_t(cfg.elem_bytes(mem_type_of(b))) * 8; }

double sram_pj_per_bit(const HwConfig& cfg, Buffer b) {
  const HwParams& p = cfg.params();
  const double kib = double(cfg.depth(mem_type_of(b))) * double(cfg.elem_bytes(mem_type_of(b))) / 1024.0;
  return p.energy_sram_pj_per_bit * std::pow(kib / p.energy_sram_ref_kib, p.energy_sram_exponent);
}

EnergyBreakdown energy_of(const AccessCounts& a, uint64_t dram_bytes, double seconds, const HwConfig& cfg) {
  const HwParams& p = cfg.params();
  EnergyBreakdown e;
  e.mac = double(a.macs) * (p.energy_mac_pj + p.energy_acc_pj);
  e.alu = double(a.alu_ops()) * p.energy_alu_pj;
  for (int k = 0; k < kBufferCount; ++k) {
    const Buffer b = Buffer(k);
    const double bits_read = double(a.reads[k]) * double(entry_bits(cfg, b));
    const double bits_written = double(a.writes[k]) * double(entry_bits(cfg, b));
    e.sram[k] = sram_pj_per_bit(cfg, b) * (bits_read + p.energy_sram_write_ratio * bits_written);
  }
  e.dram = double(dram_bytes) * p.energy_dram_pj_per_byte;
  e.static_energy = p.energy_static_mw * 1e-3 * seconds * 1e12;  // mW -> W, J -> pJ
  return e;
}

}  // namespace vtasim
