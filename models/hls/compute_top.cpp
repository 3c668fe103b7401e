// Synthesis top for the default design's compute stage (see compute_top.h).
#include "compute_top.h"

namespace vtasim {
namespace hls {

void vta_compute_top(uint8_t opcode, const LoopFields& loops, const AluFields& alu,
                     const uint32_t uop_mem[kTopUopDepth],
                     const int8_t inp_mem[kTopInpDepth * kTopBatch * kTopBlockIn],
                     const int8_t wgt_mem[kTopWgtDepth * kTopBlockOut * kTopBlockIn],
                     int32_t acc_mem[kTopAccDepth * kTopBatch * kTopBlockOut],
                     int8_t out_mem[kTopAccDepth * kTopBatch * kTopBlockOut]) {
  VTASIM_HLS(INTERFACE s_axilite port = opcode)
  VTASIM_HLS(INTERFACE s_axilite port = loops)
  VTASIM_HLS(INTERFACE s_axilite port = alu)
  VTASIM_HLS(INTERFACE bram port = uop_mem)
  VTASIM_HLS(INTERFACE bram port = inp_mem)
  VTASIM_HLS(INTERFACE bram port = wgt_mem)
  VTASIM_HLS(INTERFACE bram port = acc_mem)
  VTASIM_HLS(INTERFACE bram port = out_mem)
  VTASIM_HLS(ARRAY_RESHAPE variable = inp_mem cyclic factor = 16 dim = 1)
  VTASIM_HLS(ARRAY_RESHAPE variable = wgt_mem cyclic factor = 256 dim = 1)
  VTASIM_HLS(ARRAY_RESHAPE variable = acc_mem cyclic factor = 16 dim = 1)
  VTASIM_HLS(ARRAY_RESHAPE variable = out_mem cyclic factor = 16 dim = 1)
  const UopFormat fmt = {11, 11, 10};
  if (opcode == 2) {
    gemm_insn<kTopBatch, kTopBlockIn, kTopBlockOut>(loops, fmt, uop_mem, inp_mem, wgt_mem, acc_mem, out_mem);
  } else if (opcode == 4) {
    alu_insn<kTopBatch, kTopBlockOut>(loops, alu, fmt, uop_mem, acc_mem, out_mem);
  }
}

}  // namespace hls
}  // namespace vtasim
