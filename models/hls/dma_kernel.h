// The load and store modules' data movement: a 2-D strided copy between DRAM and an on-chip buffer,
// with zero padding inserted on loads. Elements are opaque groups of bytes.
// Synthesizable subset: C++14, <cstdint> only; runtime sizes only narrow loops whose maximum is a
// compile-time constant, no heap or STL.
#ifndef VTASIM_HLS_DMA_KERNEL_H
#define VTASIM_HLS_DMA_KERNEL_H

#include <cstdint>

#include "hls_pragma.h"

namespace vtasim {
namespace hls {

// Loop maxima of the synthesis build (enumerators: only that build uses them).
enum : uint32_t {
  kMaxElemBytes = 4096,         // largest element of any supported configuration (64 x 64 int8)
  kMaxRows = 65535 + 15 + 15,   // 16-bit size field plus two 4-bit pads
  kMaxCols = 65535 + 15 + 15
};

inline void copy_elem(uint8_t* dst, const uint8_t* src, uint32_t elem_bytes) {
  VTASIM_HLS(INLINE)
VTASIM_HLS_LABEL(COPY_ELEM)
  VTASIM_BOUNDED_FOR(k, elem_bytes, kMaxElemBytes) { dst[k] = src[k]; }
}

inline void zero_elems(uint8_t* dst, uint32_t count, uint32_t elem_bytes) {
  VTASIM_HLS(INLINE)
VTASIM_HLS_LABEL(ZERO_ELEMS)
  VTASIM_BOUNDED_FOR(k, count * elem_bytes, kMaxCols * kMaxElemBytes) { dst[k] = 0; }
}

// Writes the SRAM region starting at sram (element sram_base already applied) row by row with row
// width x_pad_0 + x_size + x_pad_1: y_pad_0 zero rows, then for each of y_size rows x_pad_0 zeros,
// x_size elements from src + y * src_row_stride_bytes, x_pad_1 zeros; then y_pad_1 zero rows.
// With all pads 0 this is the plain 2-D load used for weights and micro-ops.
inline void load_2d(uint8_t* sram, const uint8_t* src, uint64_t src_row_stride_bytes, uint32_t elem_bytes,
                    uint32_t y_size, uint32_t x_size, uint32_t y_pad_0, uint32_t y_pad_1, uint32_t x_pad_0,
                    uint32_t x_pad_1) {
  const uint32_t row_elems = x_pad_0 + x_size + x_pad_1;
  const uint64_t row_bytes = uint64_t(row_elems) * elem_bytes;
  uint8_t* dst = sram;
VTASIM_HLS_LABEL(LOAD_TOP_PAD)
  VTASIM_BOUNDED_FOR(y, y_pad_0, kMaxRows) {
    zero_elems(dst, row_elems, elem_bytes);
    dst += row_bytes;
  }
VTASIM_HLS_LABEL(LOAD_ROWS)
  VTASIM_BOUNDED_FOR(y, y_size, kMaxRows) {
    zero_elems(dst, x_pad_0, elem_bytes);
    const uint8_t* row = src + uint64_t(y) * src_row_stride_bytes;
    uint8_t* body = dst + uint64_t(x_pad_0) * elem_bytes;
  VTASIM_HLS_LABEL(LOAD_COLS)
    VTASIM_BOUNDED_FOR(x, x_size, kMaxCols) {
      VTASIM_HLS(PIPELINE II = 1)
      copy_elem(body + uint64_t(x) * elem_bytes, row + uint64_t(x) * elem_bytes, elem_bytes);
    }
    zero_elems(body + uint64_t(x_size) * elem_bytes, x_pad_1, elem_bytes);
    dst += row_bytes;
  }
VTASIM_HLS_LABEL(LOAD_BOTTOM_PAD)
  VTASIM_BOUNDED_FOR(y, y_pad_1, kMaxRows) {
    zero_elems(dst, row_elems, elem_bytes);
    dst += row_bytes;
  }
}

// Reads y_size x x_size elements contiguously from sram and writes row y to
// dst + y * dst_row_stride_bytes.
inline void store_2d(uint8_t* dst, uint64_t dst_row_stride_bytes, const uint8_t* sram, uint32_t elem_bytes,
                     uint32_t y_size, uint32_t x_size) {
  const uint8_t* src = sram;
VTASIM_HLS_LABEL(STORE_ROWS)
  VTASIM_BOUNDED_FOR(y, y_size, kMaxRows) {
    uint8_t* row = dst + uint64_t(y) * dst_row_stride_bytes;
  VTASIM_HLS_LABEL(STORE_COLS)
    VTASIM_BOUNDED_FOR(x, x_size, kMaxCols) {
      VTASIM_HLS(PIPELINE II = 1)
      copy_elem(row + uint64_t(x) * elem_bytes, src, elem_bytes);
      src += elem_bytes;
    }
  }
}

}  // namespace hls
}  // namespace vtasim

#endif  // VTASIM_HLS_DMA_KERNEL_H
