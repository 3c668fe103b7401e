// Compiled by hls_kernels_check.sh as strict C++14 without exceptions or RTTI: instantiates every
// kernel template for a few shapes so template bodies are checked, not just declared.
#include "compute_kernel.h"
#include "compute_top.h"
#include "dma_kernel.h"

template void vtasim::hls::gemm_insn<1, 16, 16>(const LoopFields&, const UopFormat&, const uint32_t*, const int8_t*,
                                                const int8_t*, int32_t*, int8_t*);
template void vtasim::hls::gemm_insn<4, 64, 8>(const LoopFields&, const UopFormat&, const uint32_t*, const int8_t*,
                                               const int8_t*, int32_t*, int8_t*);
template void vtasim::hls::alu_insn<2, 32>(const LoopFields&, const AluFields&, const UopFormat&, const uint32_t*,
                                           int32_t*, int8_t*);

int main() {
  static uint8_t sram[64];
  static uint8_t dram[64];
  vtasim::hls::load_2d(sram, dram, 8, 4, 2, 2, 1, 1, 1, 1);
  vtasim::hls::store_2d(dram, 8, sram, 4, 2, 2);
  return sram[0];
}
