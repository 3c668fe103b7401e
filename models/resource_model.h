// An analytic FPGA resource estimate for a configuration: DSP slices for the GEMM core, block RAMs
// for each on-chip buffer, and a rough LUT/FF count, against the part its TARGET implies.
//
// Assumptions (documented in the README as well):
//  - DSP: two int8 x int8 multiply-accumulates per DSP slice (the INT8 packing Xilinx describes for
//    DSP48 slices: two products sharing one operand), so BATCH x BLOCK_IN x BLOCK_OUT / 2 slices;
//    Intel Cyclone V variable-precision blocks take three 9-bit products each. The tensor ALU uses
//    LUTs (adders, comparators, shifters).
//  - Block RAM: each buffer is an array of depth x width bits (width = one element, read in one
//    cycle); it is built from RAMB36 blocks in the aspect (512x72, 1Kx36, 2Kx18, 4Kx9, 8Kx4, 16Kx2,
//    32Kx1) that needs the fewest, or RAMB18 halves of them where that is smaller; the out buffer is
//    separate from acc. Cyclone V uses M10K blocks (256x40 .. 8Kx1). Counts are RAMB36 equivalents.
//  - LUT/FF: a fixed control/DMA base plus per-MAC adder-tree and per-lane ALU terms, fitted to the
//    order of magnitude of published VTA builds; treat them as indicative only.
#pragma once

#include <string>

#include "models/hw_config.h"

namespace vtasim {

struct FpgaPart {
  std::string name;
  double dsp;
  double macs_per_dsp;
  double bram36;       // RAMB36 equivalents (M10K blocks counted as 10/36 of one)
  double luts;
  double ffs;
  bool intel_m10k;     // memory blocks are M10K (10 Kbit) instead of RAMB36/18
};

// The part a TARGET is built on (pynq/sim/tsim: xc7z020, ultra96: xczu3eg, zcu104: xczu7ev,
// de10nano: 5CSEBA6).
FpgaPart part_for_target(const std::string& target);

struct ResourceEstimate {
  FpgaPart part;
  double dsp = 0;
  double bram36 = 0;  // all buffers
  double bram_uop = 0, bram_inp = 0, bram_wgt = 0, bram_acc = 0, bram_out = 0;
  double luts = 0;
  double ffs = 0;
  bool fits = true;
  std::string limiting;  // the resource that overflows (or the tightest one when it fits)
  double utilisation = 0;  // of the limiting resource
};

ResourceEstimate estimate_resources(const HwConfig& cfg);

// Blocks (RAMB36 equivalents) for one depth x width array.
double bram36_for(uint64_t depth, uint64_t width_bits, bool intel_m10k);

}  // namespace vtasim
