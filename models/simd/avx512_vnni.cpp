// AVX-512 VNNI GEMM micro-op step. Compiled with -mavx512f -mavx512bw -mavx512vl -mavx512vnni
// (models/CMakeLists.txt); runs only on CPUs that report all four.
//
// vpdpbusd multiplies unsigned by signed bytes and sums groups of four into int32 lanes, exactly (no
// saturation in this form). The signed input x is offset to the unsigned x + 128 (a sign-bit flip),
// and the excess 128 * sum(w) is computed with the same instruction and subtracted:
//   sum x*w = sum (x + 128)*w - sum 128*w.
// Four output rows of 16 bytes fill one 512-bit register; sixteen rows (four registers) are reduced
// together with unpacks, then put in row order with one permute. Needs BLOCK_IN and BLOCK_OUT
// multiples of 16.
#include <immintrin.h>

#include "models/simd/core_shapes.h"
#include "models/simd/insn_loops.h"
#include "models/simd/host_kernels.h"

namespace vtasim {
namespace simd {
namespace {

struct VnniStep {
  // Rows r..r+3 of chunk c (16 bytes each) in one register; contiguous when BLOCK_IN is 16.
  template <int BI>
  static inline __m512i four_rows(const int8_t* w, int r, int c) {
    if (BI == 16) return _mm512_loadu_si512(w + r * 16);
    const auto at = [&](int j) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + (r + j) * BI + 16 * c)); };
    __m512i v = _mm512_zextsi128_si512(at(0));
    v = _mm512_inserti32x4(v, at(1), 1);
    v = _mm512_inserti32x4(v, at(2), 2);
    return _mm512_inserti32x4(v, at(3), 3);
  }

  template <int BI, int BO>
  static inline void run(const int8_t* x, const int8_t* w, int32_t* acc, int8_t* out) {
    constexpr int kChunks = BI / 16;
    const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
    __m512i xu[kChunks];
    for (int c = 0; c < kChunks; ++c)
      xu[c] = _mm512_xor_si512(_mm512_broadcast_i32x4(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + 16 * c))),
                               flip);
    // Lane m = 4j + k of the reduced vector holds row 4k + j; this puts row m at lane m.
    const __m512i order = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
    for (int o = 0; o < BO; o += 16) {
      __m512i d[4];
      for (int k = 0; k < 4; ++k) {
        __m512i p = _mm512_setzero_si512(), q = _mm512_setzero_si512();
        for (int c = 0; c < kChunks; ++c) {
          const __m512i wv = four_rows<BI>(w, o + 4 * k, c);
          p = _mm512_dpbusd_epi32(p, xu[c], wv);
          q = _mm512_dpbusd_epi32(q, flip, wv);
        }
        d[k] = _mm512_sub_epi32(p, q);  // 128-bit lane j: four partial sums of row o + 4k + j
      }
      const __m512i s01 = _mm512_add_epi32(_mm512_unpacklo_epi32(d[0], d[1]), _mm512_unpackhi_epi32(d[0], d[1]));
      const __m512i s23 = _mm512_add_epi32(_mm512_unpacklo_epi32(d[2], d[3]), _mm512_unpackhi_epi32(d[2], d[3]));
      const __m512i rows = _mm512_add_epi32(_mm512_unpacklo_epi64(s01, s23), _mm512_unpackhi_epi64(s01, s23));
      const __m512i sum = _mm512_permutexvar_epi32(order, rows);
      const __m512i next = _mm512_add_epi32(_mm512_loadu_si512(acc + o), sum);  // wraps modulo 2^32
      _mm512_storeu_si512(acc + o, next);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + o), _mm512_cvtepi32_epi8(next));  // low 8 bits
    }
  }
};

template <int B, int BI, int BO>
void gemm_vnni(const hls::LoopFields& f, const hls::UopFormat& fmt, const uint32_t* uop, const int8_t* inp,
               const int8_t* wgt, int32_t* acc, int8_t* out) {
  gemm_loops<B, BI, BO, VnniStep>(f, fmt, uop, inp, wgt, acc, out);
}

struct VnniGemm {
  template <int B, int BI, int BO>
  static GemmInsnFn get() {
    if constexpr (BI % 16 == 0 && BO % 16 == 0) return &gemm_vnni<B, BI, BO>;
    return nullptr;  // BLOCK 8: the AVX2 or portable kernel serves it
  }
};

}  // namespace

GemmInsnFn gemm_avx512_kernel(int batch, int block_in, int block_out) {
  return kernel_for_shape<VnniGemm>(batch, block_in, block_out);
}

}  // namespace simd
}  // namespace vtasim
