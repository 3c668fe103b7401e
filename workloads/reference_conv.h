// The reference convolution every simulated layer is checked against, bit for bit: int8 NCHW input,
// int8 OIHW weights, int32 accumulation, optional int32 bias, arithmetic shift right, clip to int8,
// optional ReLU. Written as plain loops, independent of the simulator's kernels.
#pragma once

#include <cstdint>

#include "workloads/tensor.h"

namespace vtasim {

struct ConvShape {
  int n = 1;        // batch
  int h = 0, w = 0; // input height, width
  int ic = 0, oc = 0;
  int kh = 0, kw = 0;
  int pad = 0, stride = 1;
  int out_h() const { return (h + 2 * pad - kh) / stride + 1; }
  int out_w() const { return (w + 2 * pad - kw) / stride + 1; }
  uint64_t macs() const { return uint64_t(n) * oc * out_h() * out_w() * ic * kh * kw; }
};

struct Epilogue {
  int shift = 0;     // arithmetic shift right applied to the int32 sum (+bias), >= 0
  bool relu = false; // clip at 0 from below after the int8 clip
};

// The requantisation of one int32 sum (bias included): arithmetic shift right (rounding toward minus
// infinity; shifts past 31 leave the sign), clip to int8, then ReLU if asked.
inline int8_t requantize(int32_t sum, const Epilogue& ep) {
  int32_t v = ep.shift >= 31 ? (sum < 0 ? -1 : 0) : (sum >> ep.shift);
  v = v < -128 ? -128 : (v > 127 ? 127 : v);
  if (ep.relu && v < 0) v = 0;
  return int8_t(v);
}

// input (n, ic, h, w); weights (oc, ic, kh, kw); bias (oc) or empty; result (n, oc, out_h, out_w).
// Accumulation wraps modulo 2^32 like the hardware (it cannot overflow for int8 layers of sane size).
Int8Tensor reference_conv2d(const ConvShape& s, const Int8Tensor& input, const Int8Tensor& weights,
                            const std::vector<int32_t>& bias, const Epilogue& ep);

}  // namespace vtasim
