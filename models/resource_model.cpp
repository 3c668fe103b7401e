// FPGA resource estimate (see resource_model.h).
#include "models/resource_model.h"

#include <algorithm>
#include <cmath>

namespace vtasim {

FpgaPart part_for_target(const std::string& target) {
  if (target == "ultra96") return {"xczu3eg (Ultra96)", 360, 2, 216, 70560, 141120, false};
  if (target == "zcu104") return {"xczu7ev (ZCU104)", 1728, 2, 312, 230400, 460800, false};
  if (target == "de10nano") return {"5CSEBA6 (DE10-Nano)", 112, 3, 553.0 * 10 / 36, 41910, 83820, true};
  return {"xc7z020 (Pynq-Z1)", 220, 2, 140, 53200, 106400, false};
}

double bram36_for(uint64_t depth, uint64_t width, bool m10k) {
  struct Aspect {
    uint64_t depth, width;
    double cost;  // in RAMB36 equivalents
  };
  static const Aspect xilinx[] = {{512, 72, 1.0},   {1024, 36, 1.0}, {2048, 18, 1.0},  {4096, 9, 1.0},
                                  {8192, 4, 1.0},   {16384, 2, 1.0}, {32768, 1, 1.0},  {512, 36, 0.5},
                                  {1024, 18, 0.5},  {2048, 9, 0.5},  {4096, 4, 0.5},   {8192, 2, 0.5},
                                  {16384, 1, 0.5}};
  static const Aspect intel[] = {{256, 40, 10.0 / 36}, {512, 20, 10.0 / 36}, {1024, 10, 10.0 / 36},
                                 {2048, 5, 10.0 / 36}, {4096, 2, 10.0 / 36}, {8192, 1, 10.0 / 36}};
  double best = 1e300;
  auto consider = [&](const Aspect& a) {
    const double n = double((depth + a.depth - 1) / a.depth) * double((width + a.width - 1) / a.width);
    best = std::min(best, n * a.cost);
  };
  if (m10k) {
    for (const auto& a : intel) consider(a);
  } else {
    for (const auto& a : xilinx) consider(a);
  }
  return best;
}

ResourceEstimate estimate_resources(const HwConfig& cfg) {
  ResourceEstimate e;
  e.part = part_for_target(cfg.params().target);
  const double macs = double(cfg.macs_per_cycle());
  const double lanes = double(cfg.batch()) * cfg.block_out();
  e.dsp = std::ceil(macs / e.part.macs_per_dsp);
  auto bram = [&](MemType t) { return bram36_for(cfg.depth(t), uint64_t(cfg.elem_bytes(t)) * 8, e.part.intel_m10k); };
  e.bram_uop = bram(MemType::Uop);
  e.bram_inp = bram(MemType::Inp);
  e.bram_wgt = bram(MemType::Wgt);
  e.bram_acc = bram(MemType::Acc);
  e.bram_out = bram(MemType::Out);
  e.bram36 = e.bram_uop + e.bram_inp + e.bram_wgt + e.bram_acc + e.bram_out;
  // Control, fetch, DMA engines and AXI: a fixed base; then the GEMM adder trees (about 12 LUTs per
  // MAC for int8 products summed into int32) and the ALU (about 180 LUTs per 32-bit lane).
  e.luts = 9000 + 12 * macs + 180 * lanes;
  e.ffs = 12000 + 20 * macs + 120 * lanes;
  const struct {
    const char* name;
    double used, have;
  } use[] = {{"DSP", e.dsp, e.part.dsp}, {"BRAM", e.bram36, e.part.bram36}, {"LUT", e.luts, e.part.luts},
             {"FF", e.ffs, e.part.ffs}};
  for (const auto& u : use) {
    const double frac = u.used / u.have;
    if (frac > e.utilisation) {
      e.utilisation = frac;
      e.limiting = u.name;
    }
  }
  e.fits = e.utilisation <= 1.0;
  return e;
}

}  // namespace vtasim
