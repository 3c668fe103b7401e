// Packing between plain NCHW / OIHW tensors and VTA's blocked layouts:
//   activations (N/BATCH, C/BLOCK_IN, H, W, BATCH, BLOCK_IN)
//   weights     (OC/BLOCK_OUT, IC/BLOCK_IN, KH, KW, BLOCK_OUT, BLOCK_IN)
//   bias        (N/BATCH, OC/BLOCK_OUT, 1, 1, BATCH, BLOCK_OUT)
// Channel and batch counts are zero-padded up to whole blocks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "workloads/tensor.h"

namespace vtasim {

struct BlockShape {
  int batch = 1;
  int block_in = 16;
  int block_out = 16;
};

inline int ceil_div(int a, int b) { return (a + b - 1) / b; }

// input (n, c, h, w) -> blocked bytes; c is padded to a multiple of block_in, n to batch.
std::vector<int8_t> pack_activations(const Int8Tensor& input, const BlockShape& bs);
// weights (oc, ic, kh, kw) -> blocked bytes.
std::vector<int8_t> pack_weights(const Int8Tensor& weights, const BlockShape& bs);
// bias (oc) for n images -> blocked int32 values (each batch row holds the same bias).
std::vector<int32_t> pack_bias(const std::vector<int32_t>& bias, int n, const BlockShape& bs);
// blocked output (channels in blocks of block_out) -> (n, c, h, w), padding dropped; `blocked` holds
// the whole blocked tensor (a program image's output region is read in place).
Int8Tensor unpack_activations(const int8_t* blocked, int n, int c, int h, int w, int block_c, const BlockShape& bs);
inline Int8Tensor unpack_activations(const std::vector<int8_t>& blocked, int n, int c, int h, int w, int block_c,
                                     const BlockShape& bs) {
  return unpack_activations(blocked.data(), n, c, h, w, block_c, bs);
}

}  // namespace vtasim
