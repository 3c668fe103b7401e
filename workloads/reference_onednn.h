// The reference convolution computed by oneDNN: s8 x s8 -> s32 (exact), then vtasim's own bias,
// shift, clip and ReLU on the int32 sums. oneDNN is loaded on first use from a plug-in
// (libvtasim_onednn.so), so runs that compute no reference never load it. Used for conv, grouped conv and dense layers when oneDNN is
// built in and exact on this CPU; otherwise the hand-written loops of reference_conv.h serve (they also
// cross-check oneDNN in the tests). Pooling and residual adds keep their own references: their
// semantics are those of VTA's ALU (zero padding in max-pool, multiply-and-shift averages), not
// oneDNN's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workloads/reference_conv.h"
#include "workloads/tensor.h"

namespace vtasim {

// Which implementation computes the references: "onednn" or "loops" (and why, when loops).
struct ReferenceChoice {
  bool onednn = false;
  std::string reason;  // e.g. "oneDNN 2.6.3, avx512_core_vnni" or why oneDNN is not used
};

// oneDNN is used when the build has it, its plug-in loads, the CPU has VNNI (without it oneDNN's int8 kernels sum
// pairs of products in saturating 16-bit arithmetic, which is not exact for int8 x int8), and the
// environment variable VTASIM_REFERENCE is unset or "onednn" ("loops" forces the hand-written
// references; any other value is a user error). Decided once per process.
const ReferenceChoice& reference_choice();

// groups 1: dense convolution. Weights (oc, ic, kh, kw); with groups > 1 only the in-group entries
// are read (as reference_grouped_conv2d). Nothing when oneDNN is not in use or declines the shape.
std::optional<Int8Tensor> try_onednn_conv2d(const ConvShape& s, int groups, const Int8Tensor& input, const Int8Tensor& weights,
                         const std::vector<int32_t>& bias, const Epilogue& ep);

// The reference the simulator checks against: oneDNN where reference_choice() says so, else the loops.
Int8Tensor reference_convolution(const ConvShape& s, int groups, const Int8Tensor& input, const Int8Tensor& weights,
                                 const std::vector<int32_t>& bias, const Epilogue& ep);

}  // namespace vtasim
