// Micro-op kernels as affine loop nests. A kernel is a set of dimensions, each with an extent and
// the amount it adds to the dst, src and wgt indices; lowering picks up to two of them as the GEMM/ALU
// instruction's loop levels (iter_out, iter_in and their factors) and enumerates the rest as the
// micro-op list, so any dimension order the hardware can express is available.
//
// The hazard rule (the pipeline does not check read-after-write on acc): no two consecutive micro-ops
// may write the same acc index. Lowering puts a dimension that moves dst innermost in the list, which
// keeps consecutive micro-ops apart within an iteration and across iteration boundaries; a kernel
// where no such dimension exists is reported.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "models/isa.h"

namespace vtasim {

struct KernelDim {
  const char* name;
  uint32_t extent;
  uint32_t dst;  // index stride of this dimension
  uint32_t src;
  uint32_t wgt;
};

// A kernel's dimensions, kept in place (a convolution has six): a schedule search sizes thousands
// of kernels and allocates nothing for them.
class KernelDims {
 public:
  static constexpr size_t kMax = 8;
  KernelDims() = default;
  KernelDims(std::initializer_list<KernelDim> dims);  // std::length_error beyond kMax
  const KernelDim* begin() const { return dims_; }
  const KernelDim* end() const { return dims_ + size_; }
  size_t size() const { return size_; }
  const KernelDim& operator[](size_t i) const { return dims_[i]; }

 private:
  KernelDim dims_[kMax] = {};
  size_t size_ = 0;
};

struct AffineKernel {
  KernelDims dims;
  uint32_t dst_base = 0;
  uint32_t src_base = 0;
  uint32_t wgt_base = 0;
};

// A lowered kernel: the micro-op list and the instruction's loop fields.
struct LoweredKernel {
  std::vector<Uop> uops;  // empty when lowered without enumerating (sizes only)
  uint32_t list_size = 0; // micro-ops in the list
  uint32_t iter_out = 1, iter_in = 1;
  uint32_t dst_factor_out = 0, dst_factor_in = 0;
  uint32_t src_factor_out = 0, src_factor_in = 0;
  uint32_t wgt_factor_out = 0, wgt_factor_in = 0;

  void apply_loops(Insn& insn) const;
};

// Limits the lowering must respect (field widths of the configuration).
struct KernelLimits {
  uint32_t max_iter;        // 2^14 - 1
  uint32_t max_dst_factor;  // 2^acc_bits - 1, and so on
  uint32_t max_src_factor;
  uint32_t max_wgt_factor;
  uint32_t max_uops;        // micro-op buffer depth
};

// Lowers a kernel; returns false and sets `why` when no valid lowering exists (hazard, field widths,
// or more micro-ops than the buffer holds). With enumerate false only the loop choice and the list
// size are computed (what a schedule search needs); the micro-ops and the hazard check are skipped.
bool lower_kernel(const AffineKernel& k, const KernelLimits& limits, LoweredKernel& out, std::string& why,
                  bool enumerate = true);

// True if two consecutive micro-ops of the executed sequence (including across loop iterations)
// write the same acc index. Independent of how the kernel was lowered.
bool has_write_hazard(const LoweredKernel& k);

}  // namespace vtasim
