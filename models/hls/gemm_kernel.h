// The GEMM core's micro-op step: BATCH x BLOCK_IN x BLOCK_OUT int8 multiply-accumulates into int32.
// Synthesizable subset: C++14, <cstdint> only, compile-time loop bounds, no heap or STL.
//
// This is also the simulator's hot loop. The reduction over BLOCK_IN is written as a plain sum into
// a local so GCC vectorises it (widening int8 multiplies, int32 adds); accumulation into acc wraps
// modulo 2^32 as the hardware's 32-bit adder does (done in unsigned arithmetic, so no C++ overflow).
#ifndef VTASIM_HLS_GEMM_KERNEL_H
#define VTASIM_HLS_GEMM_KERNEL_H

#include <cstdint>

#include "hls_pragma.h"

namespace vtasim {
namespace hls {

// acc[b][o] = reset ? 0 : acc[b][o] + sum_i inp[b][i] * wgt[o][i];  out[b][o] = low 8 bits of acc.
// Weights are stored output-major (wgt[o][i]), as in VTA.
//
// Loop order for the host compiler: output lanes in chunks of 16, input lane outer, output lane inner,
// partial sums in a local array. GCC vectorises the inner loop across output lanes; a per-output dot
// product is unrolled and left scalar (measured 4-5x slower for 1 x 16 x 16, bench/bench_gemm). For
// synthesis the structure is irrelevant: every loop is unrolled into the MAC array.
template <int BATCH, int BLOCK_IN, int BLOCK_OUT>
inline void gemm_uop(const int8_t inp[BATCH * BLOCK_IN], const int8_t wgt[BLOCK_OUT * BLOCK_IN],
                     int32_t acc[BATCH * BLOCK_OUT], int8_t out[BATCH * BLOCK_OUT], bool reset) {
  VTASIM_HLS(INLINE)
  constexpr int kChunk = BLOCK_OUT < 16 ? BLOCK_OUT : 16;
  if (reset) {
    // A reset reads neither input nor weights (their indices need not be valid): zeros only.
  VTASIM_HLS_LABEL(GEMM_RESET)
    for (int k = 0; k < BATCH * BLOCK_OUT; ++k) {
      acc[k] = 0;
      out[k] = 0;
    }
    return;
  }
VTASIM_HLS_LABEL(GEMM_BATCH)
  for (int b = 0; b < BATCH; ++b) {
  VTASIM_HLS_LABEL(GEMM_CHUNK)
    for (int oc = 0; oc < BLOCK_OUT; oc += kChunk) {
      VTASIM_HLS(UNROLL)
      int32_t sums[kChunk];
    VTASIM_HLS_LABEL(GEMM_CLEAR)
      for (int o = 0; o < kChunk; ++o) sums[o] = 0;
    VTASIM_HLS_LABEL(GEMM_IN)
      for (int i = 0; i < BLOCK_IN; ++i) {
        const int16_t x = inp[b * BLOCK_IN + i];
      VTASIM_HLS_LABEL(GEMM_OUT)
        for (int o = 0; o < kChunk; ++o) {
          // An int8 x int8 product always fits 16 bits; saying so lets the host use 16-bit multiplies.
          const int16_t product = int16_t(x * int16_t(wgt[(oc + o) * BLOCK_IN + i]));
          sums[o] += int32_t(product);
        }
      }
    VTASIM_HLS_LABEL(GEMM_ACC)
      for (int o = 0; o < kChunk; ++o) {
        int32_t& a = acc[b * BLOCK_OUT + oc + o];
        const uint32_t next = uint32_t(a) + uint32_t(sums[o]);
        a = int32_t(next);
        out[b * BLOCK_OUT + oc + o] = int8_t(uint8_t(next & 0xFFu));
      }
    }
  }
}

}  // namespace hls
}  // namespace vtasim

#endif  // VTASIM_HLS_GEMM_KERNEL_H
