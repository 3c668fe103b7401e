// How one convolution layer maps onto VTA under a schedule: tile geometry, buffer halves, the
// micro-op kernels, validity against every limit of the configuration, and an analytic cost
// estimate. The schedule search, the lowering and the reports all use this one description.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/conv_layer.h"
#include "models/hw_config.h"
#include "models/timing/compute_timing.h"
#include "runtime/uop_kernel.h"

namespace vtasim {

// The tiling knobs of VTA's 2018 convolution schedules. Factors count blocks (oc, ic) or output pixels (h, w);
// w_factor 0 means the whole output width. At most one of the thread counts is 2. kh_factor (an
// addition to the 2018 knobs) splits the kernel's rows over reduction steps, so layers with large
// kernels fit small buffers; 0 means all rows in one step.
struct ConvSchedule {
  uint32_t oc_factor = 1;
  uint32_t ko_factor = 1;
  uint32_t h_factor = 1;
  uint32_t w_factor = 0;
  uint32_t oc_nthread = 1;
  uint32_t h_nthread = 1;
  std::string source;  // "auto", "vta2018", or a file name
  uint32_t kh_factor = 0;

  static ConvSchedule make(uint32_t oc, uint32_t ko, uint32_t h, uint32_t w, uint32_t oc_nthread, uint32_t h_nthread,
                           std::string source, uint32_t kh = 0) {
    return {oc, ko, h, w, oc_nthread, h_nthread, std::move(source), kh};
  }
  uint32_t threads() const { return oc_nthread * h_nthread; }
  std::string describe() const;  // "oc=2 ko=1 h=14 w=56 h_nthread=2"
};

struct ConvPlan {
  // Blocked geometry.
  uint32_t nb = 0, icb = 0, ocb = 0, oh = 0, ow = 0;
  uint32_t kh = 0, kw = 0, stride = 1, pad = 0;
  // One tile.
  uint32_t oc_f = 0, ko = 0, h_f = 0, w_f = 0, kh_f = 0;
  uint32_t in_rows = 0, in_cols = 0;  // input window of a tile, padding included
  uint32_t pixels = 0;                // h_f * w_f
  uint32_t nbuf = 1;                  // buffer halves (virtual threads)
  bool thread_over_oc = false;
  // Buffer use per half (elements). The accumulator starts with the bias rows of both halves (so the
  // ALU's src field, as wide as an input index, always reaches them), then the two tile halves.
  uint32_t inp_half = 0, wgt_half = 0, acc_half = 0;
  uint32_t bias_base(uint32_t half) const { return half * oc_f; }
  uint32_t tile_base(uint32_t half) const { return nbuf * oc_f + half * acc_half; }
  uint32_t inp_tile = 0, wgt_tile = 0, acc_tile = 0;
  // Weight tile layout in SRAM: [o][c][ky][kx] when a step takes whole kernels (one load), else
  // [c][o][ky][kx] (one load per input block).
  uint32_t wgt_o_stride = 0, wgt_c_stride = 0;
  bool split_kernel() const { return kh_f < kh; }
  uint32_t ky_steps() const { return kh / kh_f; }
  // Tiles and reduction steps.
  uint64_t tiles = 0;
  uint32_t steps = 0;  // reduction steps per tile: (icb / ko) x (kh / kh_f)
  // Kernels, lowered with all bases 0.
  LoweredKernel gemm, alu;
};

// Builds the plan; returns false with the reason (naming the limit) if the schedule does not fit.
// With kernels false the micro-op kernels are sized but not enumerated (for schedule searches).
bool plan_conv(const ConvLayer& layer, const HwConfig& cfg, const ConvSchedule& sched, ConvPlan& plan,
               std::string& why, bool kernels = true);
// The same, saying why only where `why` is given (a search that sizes thousands of tilings asks for
// reasons only when none fits).
bool plan_conv(const ConvLayer& layer, const HwConfig& cfg, const ConvSchedule& sched, ConvPlan& plan,
               std::string* why, bool kernels);

// The compute instructions of one tile exactly as the lowering emits them, with the micro-op range
// starting at `uop_bgn` (the lowering passes where the kernel sits; the estimate passes 0):
// the accumulator reset, the GEMM of one reduction step, and the epilogue on the tensor ALU (add the
// bias row, shift right if the layer shifts, clip to int8 with MIN 127 and MAX -128, or MAX 0 for
// ReLU). Dependency flags are the lowering's business.
Insn conv_reset_insn(const ConvPlan& plan, uint32_t uop_bgn);
Insn conv_gemm_insn(const ConvPlan& plan, uint32_t uop_bgn);
std::vector<Insn> conv_epilogue_insns(const ConvPlan& plan, const Epilogue& epilogue, uint32_t uop_bgn);

struct ConvEstimate {
  double cycles = 0;
  double compute_cycles = 0;
  double memory_cycles = 0;
  uint64_t dram_bytes = 0;
};
// What the estimate reads from the configuration, read once for many plans.
struct EstimateInputs {
  double bw = 0, lat = 0, row_work = 0, dma_row_cycles = 0, write_latency = 0;
  double inp_elem = 0, wgt_elem = 0, out_elem = 0, acc_elem = 0;
  bool inp_serial = false, wgt_serial = false, store_serial = false;
  ComputeTiming compute;
  static EstimateInputs of(const HwConfig& cfg);
};
// The compute work an estimate times: one reduction step's GEMM, and the tile's reset and epilogue
// (the instructions the lowering emits, as counts). It depends on the plan and the epilogue only, so
// a search keeps it with each tiling.
struct ConvComputeWork {
  ComputeWork step, tile;
  static ConvComputeWork of(const ConvPlan& plan, const Epilogue& epilogue);
};
// `work` (optional): the plan's ConvComputeWork, else it is worked out.
ConvEstimate estimate_conv(const ConvPlan& plan, const Epilogue& epilogue, const EstimateInputs& in,
                           const ConvComputeWork* work = nullptr);
ConvEstimate estimate_conv(const ConvPlan& plan, const Epilogue& epilogue, const HwConfig& cfg);

}  // namespace vtasim
