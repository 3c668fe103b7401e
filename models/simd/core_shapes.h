// From a core shape known at run time to the kernel instantiated for it at compile time: BATCH 1, 2,
// 4 and BLOCK_IN, BLOCK_OUT 8, 16, 32, 64 (what the configuration's limits admit, hw_config.cpp).
// Pick is a class with `template <int B, int BI, int BO> static Fn get()` returning the kernel for
// that shape or nullptr (use `if constexpr` to leave unsupported shapes uninstantiated); a kernel
// without BLOCK_IN (the ALU) ignores BI. Internal linkage: safe to include from translation units
// built with different instruction-set flags.
#ifndef VTASIM_MODELS_SIMD_CORE_SHAPES_H
#define VTASIM_MODELS_SIMD_CORE_SHAPES_H

namespace vtasim {
namespace simd {
namespace {

template <class Pick, int B, int BI>
auto shape_by_out(int bo) -> decltype(Pick::template get<B, BI, 8>()) {
  switch (bo) {
    case 8: return Pick::template get<B, BI, 8>();
    case 16: return Pick::template get<B, BI, 16>();
    case 32: return Pick::template get<B, BI, 32>();
    case 64: return Pick::template get<B, BI, 64>();
  }
  return nullptr;
}

template <class Pick, int B>
auto shape_by_in(int bi, int bo) -> decltype(Pick::template get<B, 8, 8>()) {
  switch (bi) {
    case 8: return shape_by_out<Pick, B, 8>(bo);
    case 16: return shape_by_out<Pick, B, 16>(bo);
    case 32: return shape_by_out<Pick, B, 32>(bo);
    case 64: return shape_by_out<Pick, B, 64>(bo);
  }
  return nullptr;
}

template <class Pick>
auto kernel_for_shape(int batch, int block_in, int block_out) -> decltype(Pick::template get<1, 8, 8>()) {
  switch (batch) {
    case 1: return shape_by_in<Pick, 1>(block_in, block_out);
    case 2: return shape_by_in<Pick, 2>(block_in, block_out);
    case 4: return shape_by_in<Pick, 4>(block_in, block_out);
  }
  return nullptr;
}

}  // namespace
}  // namespace simd
}  // namespace vtasim

#endif  // VTASIM_MODELS_SIMD_CORE_SHAPES_H
