// AVX2 GEMM micro-op step. Compiled with -mavx2 (models/CMakeLists.txt); runs only on CPUs that
// report AVX2. Inputs and weights are widened to 16 bits and multiplied pairwise (vpmaddwd: two
// int8 x int8 products summed into int32, exact); eight output rows are reduced together with
// horizontal adds. Needs BLOCK_IN a multiple of 16 and BLOCK_OUT a multiple of 8.
#include <immintrin.h>

#include "models/simd/gemm_loops.h"
#include "models/simd/gemm_simd.h"

namespace vtasim {
namespace simd {
namespace {

struct Avx2Step {
  template <int BI, int BO>
  static inline void run(const int8_t* x, const int8_t* w, int32_t* acc, int8_t* out) {
    constexpr int kChunks = BI / 16;
    __m256i xv[kChunks];
    for (int c = 0; c < kChunks; ++c)
      xv[c] = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + 16 * c)));
    // Picks byte 0 of every 32-bit lane (the low 8 bits of each accumulator) into bytes 0..3 of
    // each 128-bit half.
    const __m256i low_bytes = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,  //
                                               0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    for (int o = 0; o < BO; o += 8) {
      __m256i s[8];
      for (int r = 0; r < 8; ++r) {
        const int8_t* row = w + (o + r) * BI;
        __m256i t = _mm256_madd_epi16(
            _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row))), xv[0]);
        for (int c = 1; c < kChunks; ++c)
          t = _mm256_add_epi32(
              t, _mm256_madd_epi16(
                     _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 16 * c))), xv[c]));
        s[r] = t;
      }
      // Per 128-bit half: u0 = [row0, row1, row2, row3] partial sums, u1 likewise for rows 4..7.
      const __m256i u0 = _mm256_hadd_epi32(_mm256_hadd_epi32(s[0], s[1]), _mm256_hadd_epi32(s[2], s[3]));
      const __m256i u1 = _mm256_hadd_epi32(_mm256_hadd_epi32(s[4], s[5]), _mm256_hadd_epi32(s[6], s[7]));
      const __m256i sum = _mm256_add_epi32(_mm256_permute2x128_si256(u0, u1, 0x20),
                                           _mm256_permute2x128_si256(u0, u1, 0x31));
      __m256i* a = reinterpret_cast<__m256i*>(acc + o);
      const __m256i next = _mm256_add_epi32(_mm256_loadu_si256(a), sum);  // wraps modulo 2^32, as the hardware
      _mm256_storeu_si256(a, next);
      const __m256i bytes = _mm256_shuffle_epi8(next, low_bytes);
      const int32_t lo = _mm256_extract_epi32(bytes, 0), hi = _mm256_extract_epi32(bytes, 4);
      __builtin_memcpy(out + o, &lo, 4);
      __builtin_memcpy(out + o + 4, &hi, 4);
    }
  }
};

template <int B, int BI, int BO>
void gemm_avx2(const hls::LoopFields& f, const hls::UopFormat& fmt, const uint32_t* uop, const int8_t* inp,
               const int8_t* wgt, int32_t* acc, int8_t* out) {
  gemm_loops<B, BI, BO, Avx2Step>(f, fmt, uop, inp, wgt, acc, out);
}

template <int B, int BI>
GemmInsnFn by_out(int bo) {
  switch (bo) {
    case 8: return &gemm_avx2<B, BI, 8>;
    case 16: return &gemm_avx2<B, BI, 16>;
    case 32: return &gemm_avx2<B, BI, 32>;
    case 64: return &gemm_avx2<B, BI, 64>;
  }
  return nullptr;
}

template <int B>
GemmInsnFn by_in(int bi, int bo) {
  switch (bi) {
    case 16: return by_out<B, 16>(bo);
    case 32: return by_out<B, 32>(bo);
    case 64: return by_out<B, 64>(bo);
  }
  return nullptr;  // BLOCK_IN 8: half a vector; the portable kernel serves it
}

}  // namespace

GemmInsnFn gemm_avx2_kernel(int batch, int block_in, int block_out) {
  switch (batch) {
    case 1: return by_in<1>(block_in, block_out);
    case 2: return by_in<2>(block_in, block_out);
    case 4: return by_in<4>(block_in, block_out);
  }
  return nullptr;
}

}  // namespace simd
}  // namespace vtasim
