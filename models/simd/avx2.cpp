// AVX2 GEMM and ALU micro-op steps. Compiled with -mavx2 (models/CMakeLists.txt); runs only on CPUs
// that report AVX2.
// GEMM: inputs and weights are widened to 16 bits and multiplied pairwise (vpmaddwd: two int8 x int8
// products summed into int32, exact); eight output rows are reduced together with horizontal adds.
// Needs BLOCK_IN a multiple of 16 and BLOCK_OUT a multiple of 8.
// ALU: eight lanes at a time, the opcode chosen once per micro-op; every BATCH x BLOCK_OUT is a
// multiple of 8.
// Line cache: an 8-way set's eight 32-bit keys are one register (see touch_lines8_avx2).
#include <immintrin.h>

#include "models/simd/core_shapes.h"
#include "models/simd/insn_loops.h"
#include "models/simd/host_kernels.h"

namespace vtasim {
namespace simd {
namespace {

// Low 8 bits of each of eight 32-bit lanes, stored as eight bytes.
inline void store_low_bytes(__m256i v, int8_t* out) {
  const __m256i low_bytes = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,  //
                                             0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m256i bytes = _mm256_shuffle_epi8(v, low_bytes);
  const int32_t lo = _mm256_extract_epi32(bytes, 0), hi = _mm256_extract_epi32(bytes, 4);
  __builtin_memcpy(out, &lo, 4);
  __builtin_memcpy(out + 4, &hi, 4);
}

struct Avx2Step {
  template <int BI, int BO>
  static inline void run(const int8_t* x, const int8_t* w, int32_t* acc, int8_t* out) {
    constexpr int kChunks = BI / 16;
    __m256i xv[kChunks];
    for (int c = 0; c < kChunks; ++c)
      xv[c] = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + 16 * c)));
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
      store_low_bytes(next, out + o);
    }
  }
};

struct Avx2AluStep {
  // One opcode over eight lanes, as hls::alu_lane: MIN, MAX, wrapping ADD, MUL by the operand's low 8
  // bits (signed, wrapping), SHR by its low 5 bits taken as -16..15 (negative: shift left).
  template <uint8_t Op>
  static inline __m256i lanes(__m256i a, __m256i b) {
    switch (Op) {
      case 0: return _mm256_min_epi32(a, b);
      case 1: return _mm256_max_epi32(a, b);
      case 2: return _mm256_add_epi32(a, b);
      case 4: return _mm256_mullo_epi32(a, _mm256_srai_epi32(_mm256_slli_epi32(b, 24), 24));
      default: {
        const __m256i s = _mm256_srai_epi32(_mm256_slli_epi32(b, 27), 27);  // low 5 bits, signed
        const __m256i zero = _mm256_setzero_si256();
        const __m256i right = _mm256_srav_epi32(a, _mm256_max_epi32(s, zero));
        const __m256i left = _mm256_sllv_epi32(a, _mm256_max_epi32(_mm256_sub_epi32(zero, s), zero));
        return _mm256_blendv_epi8(right, left, _mm256_cmpgt_epi32(zero, s));
      }
    }
  }

  template <uint8_t Op, int N>
  static inline void row(int32_t* dst, const int32_t* src, int16_t imm, int8_t* out) {
    const __m256i immediate = _mm256_set1_epi32(imm);
    for (int k = 0; k < N; k += 8) {
      __m256i* d = reinterpret_cast<__m256i*>(dst + k);
      const __m256i b = src ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + k)) : immediate;
      const __m256i r = lanes<Op>(_mm256_loadu_si256(d), b);
      _mm256_storeu_si256(d, r);
      store_low_bytes(r, out + k);
    }
  }
};

template <int B, int BO>
void alu_avx2(const hls::LoopFields& f, const hls::AluFields& a, const hls::UopFormat& fmt, const uint32_t* uop,
              int32_t* acc, int8_t* out) {
  alu_loops<B, BO, Avx2AluStep>(f, a, fmt, uop, acc, out);
}

template <int B, int BI, int BO>
void gemm_avx2(const hls::LoopFields& f, const hls::UopFormat& fmt, const uint32_t* uop, const int8_t* inp,
               const int8_t* wgt, int32_t* acc, int8_t* out) {
  gemm_loops<B, BI, BO, Avx2Step>(f, fmt, uop, inp, wgt, acc, out);
}

struct Avx2Kernels {
  struct Gemm {
    template <int B, int BI, int BO>
    static GemmInsnFn get() {
      if constexpr (BI % 16 == 0) return &gemm_avx2<B, BI, BO>;
      return nullptr;  // BLOCK_IN 8: half a vector; the portable kernel serves it
    }
  };
  struct Alu {
    template <int B, int BI, int BO>
    static AluInsnFn get() {
      if constexpr (BI == 8) return &alu_avx2<B, BO>;  // one instantiation per BATCH x BLOCK_OUT
      return nullptr;
    }
  };
};

}  // namespace

AluInsnFn alu_avx2_kernel(int batch, int block_out) {
  return kernel_for_shape<Avx2Kernels::Alu>(batch, 8, block_out);
}

GemmInsnFn gemm_avx2_kernel(int batch, int block_in, int block_out) {
  return kernel_for_shape<Avx2Kernels::Gemm>(batch, block_in, block_out);
}

bool touch_lines8_avx2(uint32_t* keys, uint64_t set_mask, uint64_t first, uint64_t last) {
  // Per place p of a set, the lanes 0..p set: the places a line found at p (or coming in, p = 7) moves
  // or pushes one back.
  alignas(32) static const int32_t kFront[8][8] = {
      {-1, 0, 0, 0, 0, 0, 0, 0},     {-1, -1, 0, 0, 0, 0, 0, 0},     {-1, -1, -1, 0, 0, 0, 0, 0},
      {-1, -1, -1, -1, 0, 0, 0, 0},  {-1, -1, -1, -1, -1, 0, 0, 0},  {-1, -1, -1, -1, -1, -1, 0, 0},
      {-1, -1, -1, -1, -1, -1, -1, 0}, {-1, -1, -1, -1, -1, -1, -1, -1}};
  const __m256i one_back = _mm256_setr_epi32(0, 0, 1, 2, 3, 4, 5, 6);
  bool all = true;
  for (uint64_t line = first; line <= last; ++line) {
    uint32_t* k = keys + (line & set_mask) * 8;
    const uint32_t key = uint32_t(line + 1);
    if (k[0] == key) continue;  // already the most recently used
    const __m256i ways = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(k));
    const __m256i want = _mm256_set1_epi32(int(key));
    const uint32_t m = uint32_t(_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(ways, want))));
    all &= m != 0;
    const uint32_t p = m ? uint32_t(__builtin_ctz(m)) : 7;
    const __m256i moved = _mm256_blendv_epi8(
        ways, _mm256_permutevar8x32_epi32(ways, one_back), _mm256_load_si256(reinterpret_cast<const __m256i*>(kFront[p])));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(k), _mm256_blend_epi32(moved, want, 1));
  }
  return all;
}

}  // namespace simd
}  // namespace vtasim
