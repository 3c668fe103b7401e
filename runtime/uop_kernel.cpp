// Affine micro-op kernel lowering (see uop_kernel.h).
#include "runtime/uop_kernel.h"

#include <algorithm>

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

bool lower_kernel(const AffineKernel& k, const KernelLimits& lim, LoweredKernel& out, std::string& why, bool enumerate) {
  std::vector<KernelDim> dims;
  for (const auto& d : k.dims)
    if (d.extent > 1) dims.push_back(d);
  // Innermost list dimension: the largest one that moves dst.
  int inner = -1;
  for (int i = 0; i < int(dims.size()); ++i) {
    if (dims[size_t(i)].dst != 0 && (inner < 0 || dims[size_t(i)].extent > dims[size_t(inner)].extent)) inner = i;
  }
  if (inner < 0) {
    why = "every micro-op writes the same accumulator (no dimension moves dst); consecutive micro-ops would "
          "collide in the pipeline";
    return false;
  }
  // Loop levels: the two largest remaining dimensions whose factors fit their fields.
  auto fits = [&](const KernelDim& d) {
    return d.extent <= lim.max_iter && d.dst <= lim.max_dst_factor && d.src <= lim.max_src_factor &&
           d.wgt <= lim.max_wgt_factor;
  };
  std::vector<int> order;
  for (int i = 0; i < int(dims.size()); ++i)
    if (i != inner) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return dims[size_t(a)].extent > dims[size_t(b)].extent; });
  std::vector<int> loops;
  for (int i : order) {
    if (loops.size() < 2 && fits(dims[size_t(i)])) loops.push_back(i);
  }
  std::vector<int> list;
  for (int i : order)
    if (std::find(loops.begin(), loops.end(), i) == loops.end()) list.push_back(i);
  list.push_back(inner);

  out = LoweredKernel{};
  if (!loops.empty()) {
    const auto& d = dims[size_t(loops[0])];
    out.iter_out = d.extent;
    out.dst_factor_out = d.dst;
    out.src_factor_out = d.src;
    out.wgt_factor_out = d.wgt;
  }
  if (loops.size() > 1) {
    const auto& d = dims[size_t(loops[1])];
    out.iter_in = d.extent;
    out.dst_factor_in = d.dst;
    out.src_factor_in = d.src;
    out.wgt_factor_in = d.wgt;
  }
  uint64_t count = 1;
  for (int i : list) count *= dims[size_t(i)].extent;
  if (count > lim.max_uops) {
    why = "the micro-op kernel needs " + std::to_string(count) + " micro-ops, more than the " +
          std::to_string(lim.max_uops) + "-entry micro-op buffer";
    return false;
  }
  out.list_size = uint32_t(count);
  if (!enumerate) return true;
  // Enumerate the list dimensions, last one fastest.
  std::vector<uint32_t> idx(list.size(), 0);
  out.uops.reserve(size_t(count));
  for (uint64_t n = 0; n < count; ++n) {
    Uop u{k.dst_base, k.src_base, k.wgt_base};
    for (size_t j = 0; j < list.size(); ++j) {
      const auto& d = dims[size_t(list[j])];
      u.dst += idx[j] * d.dst;
      u.src += idx[j] * d.src;
      u.wgt += idx[j] * d.wgt;
    }
    out.uops.push_back(u);
    for (size_t j = list.size(); j-- > 0;) {
      if (++idx[j] < dims[size_t(list[j])].extent) break;
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
