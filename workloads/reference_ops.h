// Reference implementations of the operators besides the dense convolution, written from their
// definitions (independent of the lowering and the simulator's kernels): grouped convolution, max and
// average pooling, and the residual add. All int8 in, int8 out, NCHW.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/reference_conv.h"
#include "workloads/tensor.h"

namespace vtasim {

// Each of `groups` groups of output channels sees only its own ic / groups input channels; weights are
// (oc, ic, kh, kw) and only their in-group entries are read.
Int8Tensor reference_grouped_conv2d(const ConvShape& s, int groups, const Int8Tensor& input, const Int8Tensor& weights,
                                    const std::vector<int32_t>& bias, const Epilogue& ep);

// Max over each kh x kw window (stride, zero padding: a padded position counts as 0).
Int8Tensor reference_maxpool(const ConvShape& s, const Int8Tensor& input);

// The average as VTA's ALU computes it without a divider: sum x mul >> shift, clipped to int8, with
// mul / 2^shift the closest such fraction to 1 / window (mul at most 127: the ALU's immediate).
struct PoolScale {
  int mul = 1;
  int shift = 0;
};
PoolScale avgpool_scale(int window_elements);
Int8Tensor reference_avgpool(const ConvShape& s, const Int8Tensor& input);

// (a + b) >> shift, clipped to int8, then ReLU if asked.
Int8Tensor reference_add(const Int8Tensor& a, const Int8Tensor& b, const Epilogue& ep);

}  // namespace vtasim
