// A synthesis top for the compute stage of the default (Pynq, 1 x 16 x 16) design, built from the
// same kernels the simulator runs. See vitis_hls.tcl.
#ifndef VTASIM_HLS_COMPUTE_TOP_H
#define VTASIM_HLS_COMPUTE_TOP_H

#include <cstdint>

#include "compute_kernel.h"

namespace vtasim {
namespace hls {

constexpr int kTopBatch = 1;
constexpr int kTopBlockIn = 16;
constexpr int kTopBlockOut = 16;
constexpr uint32_t kTopUopDepth = 8192;
constexpr uint32_t kTopInpDepth = 2048;
constexpr uint32_t kTopWgtDepth = 1024;
constexpr uint32_t kTopAccDepth = 2048;

// opcode: 2 = GEMM, 4 = ALU (VTA's opcodes); anything else does nothing.
void vta_compute_top(uint8_t opcode, const LoopFields& loops, const AluFields& alu,
                     const uint32_t uop_mem[kTopUopDepth],
                     const int8_t inp_mem[kTopInpDepth * kTopBatch * kTopBlockIn],
                     const int8_t wgt_mem[kTopWgtDepth * kTopBlockOut * kTopBlockIn],
                     int32_t acc_mem[kTopAccDepth * kTopBatch * kTopBlockOut],
                     int8_t out_mem[kTopAccDepth * kTopBatch * kTopBlockOut]);

}  // namespace hls
}  // namespace vtasim

#endif  // VTASIM_HLS_COMPUTE_TOP_H
