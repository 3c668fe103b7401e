// Affine micro-op kernel lowering (see uop_kernel.h).
#include "runtime/uop_kernel.h"

#include <stdexcept>

namespace vtasim {

void LoweredKernel::apply_loops(Insn& insn) const {
  insn.iter_out = iter_out;
  insn.iter_in = iter_in;
  insn.dst_factor_out = dst_factor_out;
  insn.dst_factor_in = dst_factor_in;
  insn.src_factor_out = src_factor_out;
  insn.src_factor_in = src_factor_in;
  insn.wgt_factor_out = wgt_factor_out;
  insn.wgt_factor_in = wgt_factor_in;
}

KernelDims::KernelDims(std::initializer_list<KernelDim> dims) {
  if (dims.size() > kMax) {
    throw std::length_error("a micro-op kernel has at most " + std::to_string(kMax) + " dimensions, not " +
                            std::to_string(dims.size()));
  }
  for (const KernelDim& d : dims) dims_[size_++] = d;
}

bool lower_kernel(const AffineKernel& k, const KernelLimits& lim, LoweredKernel& out, std::string& why, bool enumerate) {
  // Fixed arrays throughout: a schedule search lowers thousands of kernels (sizes only).
  constexpr size_t kMax = KernelDims::kMax;
  KernelDim dims[kMax];
  size_t n = 0;
  for (const auto& d : k.dims)
    if (d.extent > 1) dims[n++] = d;
  // Innermost list dimension: the largest one that moves dst.
  size_t inner = kMax;
  for (size_t i = 0; i < n; ++i) {
    if (dims[i].dst != 0 && (inner == kMax || dims[i].extent > dims[inner].extent)) inner = i;
  }
  if (inner == kMax) {
    why = "every micro-op writes the same accumulator (no dimension moves dst); consecutive micro-ops would "
          "collide in the pipeline";
    return false;
  }
  // The other dimensions, largest first (equal extents keep their order).
  size_t order[kMax], no = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i == inner) continue;
    size_t at = no++;
    for (; at > 0 && dims[order[at - 1]].extent < dims[i].extent; --at) order[at] = order[at - 1];
    order[at] = i;
  }
  // Loop levels: the two largest of them whose factors fit their fields; the rest, then the inner
  // dimension, make the list.
  auto fits = [&](const KernelDim& d) {
    return d.extent <= lim.max_iter && d.dst <= lim.max_dst_factor && d.src <= lim.max_src_factor &&
           d.wgt <= lim.max_wgt_factor;
  };
  size_t loops[2], nl = 0, list[kMax], nlist = 0;
  for (size_t j = 0; j < no; ++j) {
    if (nl < 2 && fits(dims[order[j]])) loops[nl++] = order[j];
    else list[nlist++] = order[j];
  }
  list[nlist++] = inner;

  out = LoweredKernel{};
  if (nl > 0) {
    const auto& d = dims[loops[0]];
    out.iter_out = d.extent;
    out.dst_factor_out = d.dst;
    out.src_factor_out = d.src;
    out.wgt_factor_out = d.wgt;
  }
  if (nl > 1) {
    const auto& d = dims[loops[1]];
    out.iter_in = d.extent;
    out.dst_factor_in = d.dst;
    out.src_factor_in = d.src;
    out.wgt_factor_in = d.wgt;
  }
  uint64_t count = 1;
  for (size_t j = 0; j < nlist; ++j) count *= dims[list[j]].extent;
  if (count > lim.max_uops) {
    why = "the micro-op kernel needs " + std::to_string(count) + " micro-ops, more than the " +
          std::to_string(lim.max_uops) + "-entry micro-op buffer";
    return false;
  }
  out.list_size = uint32_t(count);
  if (!enumerate) return true;
  // Enumerate the list dimensions, last one fastest.
  uint32_t idx[kMax] = {};
  out.uops.reserve(size_t(count));
  for (uint64_t u_n = 0; u_n < count; ++u_n) {
    Uop u{k.dst_base, k.src_base, k.wgt_base};
    for (size_t j = 0; j < nlist; ++j) {
      const auto& d = dims[list[j]];
      u.dst += idx[j] * d.dst;
      u.src += idx[j] * d.src;
      u.wgt += idx[j] * d.wgt;
    }
    out.uops.push_back(u);
    for (size_t j = nlist; j-- > 0;) {
      if (++idx[j] < dims[list[j]].extent) break;
      idx[j] = 0;
    }
  }
  if (has_write_hazard(out)) {
    why = "consecutive micro-ops write the same accumulator";
    return false;
  }
  return true;
}

bool has_write_hazard(const LoweredKernel& k) {
  if (k.uops.empty()) return false;
  // Adjacent pairs inside one pass over the list.
  for (size_t j = 1; j < k.uops.size(); ++j)
    if (k.uops[j].dst == k.uops[j - 1].dst) return true;
  // The list restarts: last micro-op of one iteration, first of the next. Offsets are affine, so
  // every boundary of the same kind is the same comparison.
  const int64_t first = k.uops.front().dst, last = k.uops.back().dst;
  if (k.iter_in > 1 && last == first + int64_t(k.dst_factor_in)) return true;
  if (k.iter_out > 1 && last + int64_t(k.dst_factor_in) * (k.iter_in - 1) == first + int64_t(k.dst_factor_out)) return true;
  return false;
}

}  // namespace vtasim
