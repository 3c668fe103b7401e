// AVX-512 VNNI GEMM micro-op step (and the ALU step, the cache's line step and the seeded tensors'
// generator, below). Compiled with
// -mavx512f -mavx512bw -mavx512vl -mavx512dq -mavx512vnni (models/CMakeLists.txt); runs only on CPUs
// that report all five.
//
// vpdpbusd multiplies unsigned by signed bytes and sums groups of four into int32 lanes, exactly (no
// saturation in this form). The signed input x is offset to the unsigned x + 128 (a sign-bit flip),
// and the excess 128 * sum(w) is computed with the same instruction and subtracted:
//   sum x*w = sum (x + 128)*w - sum 128*w.
// Two forms of the micro-op step. When an instruction reads each weight block many times (a
// convolution tile's GEMM does), its blocks are first repacked so that the 32-bit lanes of a register
// are output rows (Packed, below); otherwise four output rows of 16 bytes fill one 512-bit register
// and sixteen rows (four registers) are reduced together with unpacks, then put in row order with one
// permute (VnniStep). Needs BLOCK_IN and BLOCK_OUT multiples of 16.
#include <immintrin.h>

#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

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

// The ALU micro-op on sixteen lanes at a time (the AVX2 step's arithmetic, as hls::alu_lane: MIN, MAX,
// wrapping ADD, MUL by the operand's low 8 bits, SHR by its low 5 bits taken as -16..15, negative
// shifting left); a row of eight lanes (BATCH 1 x BLOCK_OUT 8) under a mask.
struct Avx512AluStep {
  template <uint8_t Op>
  static inline __m512i lanes(__m512i a, __m512i b) {
    switch (Op) {
      case 0: return _mm512_min_epi32(a, b);
      case 1: return _mm512_max_epi32(a, b);
      case 2: return _mm512_add_epi32(a, b);
      case 4: return _mm512_mullo_epi32(a, _mm512_srai_epi32(_mm512_slli_epi32(b, 24), 24));
      default: {
        const __m512i s = _mm512_srai_epi32(_mm512_slli_epi32(b, 27), 27);  // low 5 bits, signed
        const __m512i zero = _mm512_setzero_si512();
        const __m512i right = _mm512_srav_epi32(a, _mm512_max_epi32(s, zero));
        const __m512i left = _mm512_sllv_epi32(a, _mm512_max_epi32(_mm512_sub_epi32(zero, s), zero));
        return _mm512_mask_blend_epi32(_mm512_cmplt_epi32_mask(s, zero), right, left);
      }
    }
  }

  template <uint8_t Op, int N>
  static inline void row(int32_t* dst, const int32_t* src, int16_t imm, int8_t* out) {
    const __m512i immediate = _mm512_set1_epi32(imm);
    constexpr __mmask16 kLanes = N < 16 ? __mmask16((1u << N) - 1) : __mmask16(0xFFFF);
    for (int k = 0; k < N; k += 16) {
      const __m512i b = src ? _mm512_maskz_loadu_epi32(kLanes, src + k) : immediate;
      const __m512i r = lanes<Op>(_mm512_maskz_loadu_epi32(kLanes, dst + k), b);
      _mm512_mask_storeu_epi32(dst + k, kLanes, r);
      _mm_mask_storeu_epi8(out + k, kLanes, _mm512_cvtepi32_epi8(r));  // low 8 bits
    }
  }
};

template <int B, int BO>
void alu_avx512(const hls::LoopFields& f, const hls::AluFields& a, const hls::UopFormat& fmt, const uint32_t* uop,
                int32_t* acc, int8_t* out) {
  alu_loops<B, BO, Avx512AluStep>(f, a, fmt, uop, acc, out);
}

struct Avx512Alu {
  template <int B, int BI, int BO>
  static AluInsnFn get() {
    if constexpr (BI == 8) return &alu_avx512<B, BO>;  // one instantiation per BATCH x BLOCK_OUT
    return nullptr;
  }
};

// Types of this translation unit's own, so the containers below are instantiated here only: a
// container of a shared type (std::vector<int32_t>) would emit member functions compiled with this
// unit's AVX-512 flags that the linker could take for other units' code.
struct Reg {
  __m512i v;
};
struct Excess {
  int32_t v;  // 128 * (sum of an input row's bytes)
};
struct Step {
  uint32_t acc;   // dst * BATCH * BLOCK_OUT: the accumulator row (and output row) offset
  uint32_t inp;   // src * BATCH * BLOCK_IN: the input row offset, in bytes
  uint32_t wgt;   // packed block of (wgt - first wgt) * Packed::kRegs registers
  uint32_t sum;   // (src - first src) * BATCH: the input's excess sums
};

// The micro-op step on operands prepared once per instruction (worth it when each weight block is
// read many times, as in a convolution tile's GEMM), with no horizontal reduction:
// - weights: per group of 16 output rows and per 4-byte word j of the input, one register whose
//   32-bit lane r holds bytes 4j..4j+3 of row r (a gather), each byte + 128 (a sign-bit flip) so the
//   weights are vpdpbusd's unsigned operand;
// - inputs stay where they are: word j, broadcast from memory, is the signed operand;
// - the flip adds 128 * (sum of the input row) to every lane, worked out once per input row.
// Step: per row group, acc - excess + sum over j of vpdpbusd(packed word j, input word j): BLOCK_IN / 4
// instructions per 16 output rows. All sums wrap modulo 2^32, as the hardware's.
template <int B, int BI, int BO>
struct Packed {
  static constexpr int kGroups = BO / 16, kWords = BI / 4;
  static constexpr int kRegs = kGroups * kWords;  // per weight block

  static void pack_weights(const int8_t* w, Reg* dst) {
    const __m512i row_words = _mm512_mullo_epi32(
        _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), _mm512_set1_epi32(kWords));
    const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
    for (int g = 0; g < kGroups; ++g) {
      for (int j = 0; j < kWords; ++j) {
        const __m512i at = _mm512_add_epi32(row_words, _mm512_set1_epi32(16 * g * kWords + j));
        dst[g * kWords + j].v = _mm512_xor_si512(_mm512_i32gather_epi32(at, w, 4), flip);
      }
    }
  }

  // 128 * (sum of each batch row's bytes): the bytes with their sign bits flipped are x + 128,
  // summed as unsigned by vpsadbw.
  static void input_excess(const int8_t* x, Excess* dst) {
    const __m128i flip = _mm_set1_epi8(static_cast<char>(0x80));
    for (int b = 0; b < B; ++b) {
      __m128i sums = _mm_setzero_si128();
      for (int c = 0; c < BI; c += 16) {
        const __m128i v = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(x + b * BI + c)), flip);
        sums = _mm_add_epi64(sums, _mm_sad_epu8(v, _mm_setzero_si128()));
      }
      const int64_t biased = _mm_cvtsi128_si64(sums) + _mm_extract_epi64(sums, 1);  // sum of x + 128
      dst[b].v = int32_t(128 * (biased - 128 * BI));
    }
  }

  // One input row against one row group's packed words (registers already loaded, or the packed
  // array): each pair of words adds to two independent chains (halving the dependent vpdpbusd latency).
  static __m512i word(const __m512i* w, int j) { return w[j]; }
  static __m512i word(const Reg* w, int j) { return w[j].v; }
  // W: the input words used (the others are zero in every input row the instruction reads, as the
  // padding channels of a layer with few input channels are, so they add nothing).
  template <int W = kWords, typename Words>
  static inline void dot(const int8_t* x, Words w, __m512i& even, __m512i& odd) {
    for (int j = 0; j < W; j += 2) {
      int32_t x0;
      __builtin_memcpy(&x0, x + 4 * j, 4);
      even = _mm512_dpbusd_epi32(even, word(w, j), _mm512_set1_epi32(x0));
      if (j + 1 < W) {
        int32_t x1;
        __builtin_memcpy(&x1, x + 4 * j + 4, 4);
        odd = _mm512_dpbusd_epi32(odd, word(w, j + 1), _mm512_set1_epi32(x1));
      }
    }
  }

  // All BATCH rows of one micro-op: x, excess, acc and out advance by a row per batch element.
  static inline void step(const int8_t* x, const Reg* wp, const Excess* excess, int32_t* acc, int8_t* out) {
    for (int g = 0; g < kGroups; ++g) {
      __m512i w[kWords];  // loaded once for the BATCH rows
      for (int j = 0; j < kWords; ++j) w[j] = wp[g * kWords + j].v;
      for (int b = 0; b < B; ++b) {
        int32_t* a = acc + b * BO + 16 * g;
        __m512i even = _mm512_sub_epi32(_mm512_loadu_si512(a), _mm512_set1_epi32(excess[b].v));
        __m512i odd = _mm512_setzero_si512();
        dot(x + b * BI, w, even, odd);
        const __m512i next = _mm512_add_epi32(even, odd);
        _mm512_storeu_si512(a, next);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + b * BO + 16 * g), _mm512_cvtepi32_epi8(next));  // low 8 bits
      }
    }
  }

  // A micro-op repeated over loop iterations that keep its destination (reduction loops: input
  // channels, kernel rows) accumulates in registers, loaded and stored once: hold, add per iteration,
  // release. kHeld micro-ops at a time (four row groups of BATCH x BLOCK_OUT / 16 in all, two chains
  // each), so eight independent vpdpbusd chains hide the instruction's latency; only for cores of at
  // most four row groups. The input excesses are summed apart (modulo 2^32, as every sum here) and
  // taken off once.
  static constexpr int kRowGroups = B * kGroups;
  static constexpr bool kHolds = kRowGroups <= 4;
  static constexpr int kHeld = kHolds ? 4 / kRowGroups : 1;
  template <int U>
  struct Held {
    __m512i even[U][kRowGroups], odd[U][kRowGroups];
    uint32_t excess[U][B];
  };
  template <int U>
  static inline void hold(int32_t* const* acc, Held<U>& h) {
    for (int i = 0; i < U; ++i) {
      for (int k = 0; k < kRowGroups; ++k) {
        h.even[i][k] = _mm512_loadu_si512(acc[i] + 16 * k);  // row b, group g: 16 * (b * kGroups + g)
        h.odd[i][k] = _mm512_setzero_si512();
      }
      for (int b = 0; b < B; ++b) h.excess[i][b] = 0;
    }
  }
  // The held micro-ops' operands: all different, or one weight block (pixels of one output block) or
  // one input row (output blocks of one pixel) for all of them, loaded once.
  enum class Shared { None, Weights, Inputs };
  template <int W, typename Words>
  static inline void dot_broadcast(const __m512i* xb, Words w, __m512i& even, __m512i& odd) {
    for (int j = 0; j < W; j += 2) {
      even = _mm512_dpbusd_epi32(even, word(w, j), xb[j]);
      if (j + 1 < W) odd = _mm512_dpbusd_epi32(odd, word(w, j + 1), xb[j + 1]);
    }
  }
  template <int U, Shared S, int W = kWords>
  static inline void add(const int8_t* const* x, const Reg* const* wp, const Excess* const* excess, Held<U>& h) {
    if constexpr (S == Shared::Weights) {
      for (int g = 0; g < kGroups; ++g) {
        __m512i w[W];
        for (int j = 0; j < W; ++j) w[j] = wp[0][g * kWords + j].v;
        for (int i = 0; i < U; ++i) {
          for (int b = 0; b < B; ++b) dot<W>(x[i] + b * BI, w, h.even[i][b * kGroups + g], h.odd[i][b * kGroups + g]);
        }
      }
    } else if constexpr (S == Shared::Inputs) {
      for (int b = 0; b < B; ++b) {
        __m512i xb[W];
        for (int j = 0; j < W; ++j) {
          int32_t word4;
          __builtin_memcpy(&word4, x[0] + b * BI + 4 * j, 4);
          xb[j] = _mm512_set1_epi32(word4);
        }
        for (int i = 0; i < U; ++i) {
          for (int g = 0; g < kGroups; ++g) {
            dot_broadcast<W>(xb, wp[i] + g * kWords, h.even[i][b * kGroups + g], h.odd[i][b * kGroups + g]);
          }
        }
      }
    } else {
      for (int i = 0; i < U; ++i) {
        for (int g = 0; g < kGroups; ++g) {
          for (int b = 0; b < B; ++b) {
            dot<W>(x[i] + b * BI, wp[i] + g * kWords, h.even[i][b * kGroups + g], h.odd[i][b * kGroups + g]);
          }
        }
      }
    }
    for (int i = 0; i < U; ++i) {
      for (int b = 0; b < B; ++b) h.excess[i][b] += uint32_t(excess[i][b].v);
    }
  }
  // Two iterations of a level that moves dst (a pair) held together with U micro-ops each, when the
  // pair shares the operand the micro-ops do not: micro-ops sharing a weight block, over a level that
  // keeps the input (two output blocks of the same pixels); or sharing an input row, over a level
  // that keeps the weights (two pixels for the same output blocks). Each operand loaded is then used
  // twice as often. One chain per row group (2U of them in all); only where the registers suffice.
  template <int U>
  static constexpr bool kPairs = 2 * U * kRowGroups + 2 * kWords <= 28;
  template <int U>
  struct Pair {
    __m512i part[2][U][kRowGroups];
    uint32_t excess[2][U][B];
  };
  template <int U>
  static inline void hold_pair(int32_t* const* acc, Pair<U>& h) {  // acc[m * U + i]
    for (int m = 0; m < 2; ++m) {
      for (int i = 0; i < U; ++i) {
        for (int k = 0; k < kRowGroups; ++k) h.part[m][i][k] = _mm512_loadu_si512(acc[m * U + i] + 16 * k);
        for (int b = 0; b < B; ++b) h.excess[m][i][b] = 0;
      }
    }
  }
  // x, wp, excess: [m * U + i]. Shared::Weights: wp[m * U] for all i, and x[U + i] == x[i];
  // Shared::Inputs: x[m * U] for all i, and wp[U + i] == wp[i].
  template <int U, Shared S, int W = kWords>
  static inline void add_pair(const int8_t* const* x, const Reg* const* wp, const Excess* const* excess, Pair<U>& h) {
    static_assert(S != Shared::None, "a pair needs an operand its micro-ops share");
    if constexpr (S == Shared::Weights) {
      for (int g = 0; g < kGroups; ++g) {
        __m512i w0[W], w1[W];
        for (int j = 0; j < W; ++j) w0[j] = wp[0][g * kWords + j].v, w1[j] = wp[U][g * kWords + j].v;
        for (int i = 0; i < U; ++i) {
          for (int b = 0; b < B; ++b) {
            const int k = b * kGroups + g;
            for (int j = 0; j < W; ++j) {
              int32_t word4;
              __builtin_memcpy(&word4, x[i] + b * BI + 4 * j, 4);
              const __m512i xb = _mm512_set1_epi32(word4);
              h.part[0][i][k] = _mm512_dpbusd_epi32(h.part[0][i][k], w0[j], xb);
              h.part[1][i][k] = _mm512_dpbusd_epi32(h.part[1][i][k], w1[j], xb);
            }
          }
        }
      }
    } else {
      for (int b = 0; b < B; ++b) {
        __m512i x0[W], x1[W];
        for (int j = 0; j < W; ++j) {
          int32_t w0, w1;
          __builtin_memcpy(&w0, x[0] + b * BI + 4 * j, 4);
          __builtin_memcpy(&w1, x[U] + b * BI + 4 * j, 4);
          x0[j] = _mm512_set1_epi32(w0), x1[j] = _mm512_set1_epi32(w1);
        }
        for (int i = 0; i < U; ++i) {
          for (int g = 0; g < kGroups; ++g) {
            const int k = b * kGroups + g;
            for (int j = 0; j < W; ++j) {
              const __m512i wv = wp[i][g * kWords + j].v;
              h.part[0][i][k] = _mm512_dpbusd_epi32(h.part[0][i][k], wv, x0[j]);
              h.part[1][i][k] = _mm512_dpbusd_epi32(h.part[1][i][k], wv, x1[j]);
            }
          }
        }
      }
    }
    for (int m = 0; m < 2; ++m) {
      for (int i = 0; i < U; ++i) {
        for (int b = 0; b < B; ++b) h.excess[m][i][b] += uint32_t(excess[m * U + i][b].v);
      }
    }
  }
  template <int U>
  static inline void release_pair(const Pair<U>& h, int32_t* const* acc, int8_t* const* out) {
    for (int m = 0; m < 2; ++m) {
      for (int i = 0; i < U; ++i) {
        for (int b = 0; b < B; ++b) {
          const __m512i minus = _mm512_set1_epi32(static_cast<int32_t>(h.excess[m][i][b]));
          for (int g = 0; g < kGroups; ++g) {
            const int k = b * kGroups + g;
            const __m512i next = _mm512_sub_epi32(h.part[m][i][k], minus);
            _mm512_storeu_si512(acc[m * U + i] + 16 * k, next);
            _mm_storeu_si128(reinterpret_cast<__m128i*>(out[m * U + i] + 16 * k), _mm512_cvtepi32_epi8(next));
          }
        }
      }
    }
  }

  template <int U>
  static inline void release(const Held<U>& h, int32_t* const* acc, int8_t* const* out) {
    for (int i = 0; i < U; ++i) {
      for (int b = 0; b < B; ++b) {
        const __m512i minus = _mm512_set1_epi32(static_cast<int32_t>(h.excess[i][b]));
        for (int g = 0; g < kGroups; ++g) {
          const int k = b * kGroups + g;
          const __m512i next = _mm512_sub_epi32(_mm512_add_epi32(h.even[i][k], h.odd[i][k]), minus);
          _mm512_storeu_si512(acc[i] + 16 * k, next);
          _mm_storeu_si128(reinterpret_cast<__m128i*>(out[i] + 16 * k), _mm512_cvtepi32_epi8(next));  // low 8 bits
        }
      }
    }
  }
};

// One loop level of an instruction: its count and what it adds to each index.
struct Level {
  uint32_t n, dst, src, wgt;
};

// Whether the U micro-ops from `u` write U different accumulators.
template <int U>
bool distinct_destinations(const Step* u) {
  for (int i = 1; i < U; ++i)
    for (int j = 0; j < i; ++j)
      if (u[i].acc == u[j].acc) return false;
  return true;
}

// U micro-ops of the list (from `u`, distinct destinations) held in registers across everything that
// keeps their destinations: the two loop levels that do not move dst (keep_a outside keep_b) and the
// list's repetitions (`reps` periods of `period` entries, entry k + r * period writing where entry k
// does), at the offsets `at` of the levels that move them.
template <int B, int BI, int BO>
struct HeldSteps {
  using P = Packed<B, BI, BO>;
  const int8_t* inp;
  const Reg* packed;
  const Excess* sums;
  Level keep_a, keep_b;
  uint32_t period, reps;

  // Calls visit(src_step, wgt_step, r) for every iteration of the levels that keep the destinations
  // (keep_a outside keep_b, from `at`) and every period r of the list from `u`.
  template <typename Visit>
  void each_kept(const Step* u, const Level& at, Visit&& visit) const {
    for (uint32_t a = 0; a < keep_a.n; ++a) {
      for (uint32_t c = 0; c < keep_b.n; ++c) {
        const uint32_t src_step = at.src + a * keep_a.src + c * keep_b.src;
        const uint32_t wgt_step = at.wgt + a * keep_a.wgt + c * keep_b.wgt;
        for (const Step* r = u; r != u + size_t(reps) * period; r += period) visit(src_step, wgt_step, r);
      }
    }
  }

  template <int U, typename P::Shared S = P::Shared::None, int W = P::kWords>
  void run(const Step* u, const Level& at, int32_t* acc, int8_t* out) const {
    int32_t* accs[U];
    int8_t* outs[U];
    for (int i = 0; i < U; ++i) accs[i] = acc + u[i].acc, outs[i] = out + u[i].acc;
    typename P::template Held<U> held;
    P::hold(accs, held);
    each_kept(u, at, [&](uint32_t src_step, uint32_t wgt_step, const Step* r) {
      const int8_t* x[U];
      const Reg* w[U];
      const Excess* e[U];
      for (int i = 0; i < U; ++i) {
        x[i] = inp + size_t(src_step) * (B * BI) + r[i].inp;
        w[i] = packed + size_t(wgt_step) * P::kRegs + r[i].wgt;
        e[i] = sums + size_t(src_step) * B + r[i].sum;
      }
      P::template add<U, S, W>(x, w, e, held);
    });
    P::release(held, accs, outs);
  }

  // The same over two iterations of the level `pair` (from `at`): see Packed::Pair.
  template <int U, typename P::Shared S, int W = P::kWords>
  void run_pair(const Step* u, const Level& at, const Level& pair, int32_t* acc, int8_t* out) const {
    int32_t* accs[2 * U];
    int8_t* outs[2 * U];
    for (int m = 0; m < 2; ++m) {
      for (int i = 0; i < U; ++i) {
        const size_t at_dst = u[i].acc + size_t(m) * pair.dst * (B * BO);
        accs[m * U + i] = acc + at_dst, outs[m * U + i] = out + at_dst;
      }
    }
    typename P::template Pair<U> held;
    P::hold_pair(accs, held);
    each_kept(u, at, [&](uint32_t src_step, uint32_t wgt_step, const Step* r) {
      const int8_t* x[2 * U];
      const Reg* w[2 * U];
      const Excess* e[2 * U];
      for (uint32_t m = 0; m < 2; ++m) {
        for (int i = 0; i < U; ++i) {
          x[m * U + i] = inp + size_t(src_step + m * pair.src) * (B * BI) + r[i].inp;
          w[m * U + i] = packed + size_t(wgt_step + m * pair.wgt) * P::kRegs + r[i].wgt;
          e[m * U + i] = sums + size_t(src_step + m * pair.src) * B + r[i].sum;
        }
      }
      P::template add_pair<U, S, W>(x, w, e, held);
    });
    P::release_pair(held, accs, outs);
  }
};

// Whether U micro-ops from `u` (distinct destinations) and the same U one iteration of a level
// further (destinations `shift` on) write 2U different accumulators.
template <int U>
bool distinct_after_shift(const Step* u, uint64_t shift) {
  for (int i = 0; i < U; ++i)
    for (int j = 0; j < U; ++j)
      if (uint64_t(u[i].acc) == uint64_t(u[j].acc) + shift) return false;
  return true;
}

// What the U micro-ops from `u` share in every period: one weight block, one input row, or neither.
template <int U, typename Shared>
Shared shared_operand(const Step* u, uint32_t period, uint32_t reps) {
  bool weights = true, inputs = true;
  for (const Step* r = u; r != u + size_t(reps) * period; r += period) {
    for (int i = 1; i < U; ++i) {
      weights = weights && r[i].wgt == r[0].wgt;
      inputs = inputs && r[i].inp == r[0].inp;
    }
  }
  return weights ? Shared::Weights : inputs ? Shared::Inputs : Shared::None;
}

// The shortest period of the list's destinations: the smallest p dividing the list's length with
// entry k writing where entry k mod p does (a convolution's list repeats its output blocks once per
// reduction term). The length itself when nothing repeats.
inline uint32_t destination_period(const Step* list, uint32_t span) {
  for (uint32_t p = 1; p < span; ++p) {
    if (list[p].acc != list[0].acc || span % p != 0) continue;  // (a period's next entry is the first's)
    uint32_t k = p;
    while (k < span && list[k].acc == list[k - p].acc) ++k;
    if (k == span) return p;
  }
  return span;
}

// Whether only the first 4-byte word of each of `rows` BATCH x BLOCK_IN input rows from `x` can be
// nonzero (every other byte is zero).
template <int B, int BI>
bool first_word_only(const int8_t* x, uint64_t rows) {
  uint32_t rest = 0;
  for (uint64_t r = 0; r < rows * B; ++r, x += BI) {
    for (int k = 4; k < BI; k += 4) {
      uint32_t w;
      __builtin_memcpy(&w, x + k, 4);
      rest |= w;
    }
    if (rest) return false;
  }
  return true;
}

// The span of indices [lo, hi] of one buffer an instruction reads: the micro-op fields' extremes plus
// the loop offsets (all factors are unsigned, so the extremes are at the first and last iterations).
struct Span {
  uint64_t lo, hi;
  uint64_t count() const { return hi - lo + 1; }
};
inline Span reach(uint64_t field_lo, uint64_t field_hi, const hls::LoopFields& f, uint32_t base, uint32_t out,
                  uint32_t in) {
  return {field_lo + base, field_hi + base + uint64_t(f.iter_out - 1) * out + uint64_t(f.iter_in - 1) * in};
}

// Prepares the operands (weights packed, input excesses, the micro-op list decoded into offsets) and
// runs the loops of gemm_loops over them. False, having done nothing, when the instruction reads too
// few steps per prepared operand for that to pay (packs_weights) or an index would wrap 32 bits.
template <int B, int BI, int BO>
bool gemm_prepared(const hls::LoopFields& f, const hls::UopFormat& fmt, const uint32_t* uop, const int8_t* inp_mem,
                   const int8_t* wgt_mem, int32_t* acc_mem, int8_t* out_mem) {
  using P = Packed<B, BI, BO>;
  if (f.reset || f.uop_end <= f.uop_bgn || f.iter_out == 0 || f.iter_in == 0) return false;
  const UopDecoder decode(fmt);
  uint64_t src_lo = UINT64_MAX, src_hi = 0, wgt_lo = UINT64_MAX, wgt_hi = 0, dst_hi = 0;
  for (uint32_t k = f.uop_bgn; k < f.uop_end; ++k) {
    const uint64_t src = decode.src(uop[k]), wgt = decode.wgt(uop[k]), dst = decode.dst(uop[k]);
    src_lo = src < src_lo ? src : src_lo;
    src_hi = src > src_hi ? src : src_hi;
    wgt_lo = wgt < wgt_lo ? wgt : wgt_lo;
    wgt_hi = wgt > wgt_hi ? wgt : wgt_hi;
    dst_hi = dst > dst_hi ? dst : dst_hi;
  }
  const Span src = reach(src_lo, src_hi, f, f.src_base, f.src_factor_out, f.src_factor_in);
  const Span wgt = reach(wgt_lo, wgt_hi, f, f.wgt_base, f.wgt_factor_out, f.wgt_factor_in);
  const Span dst = reach(0, dst_hi, f, f.dst_base, f.dst_factor_out, f.dst_factor_in);
  const uint64_t span = f.uop_end - f.uop_bgn, steps = span * f.iter_out * f.iter_in;
  // No index may wrap (the offsets below are exact) and the scaled offsets must fit 32 bits.
  if (src.hi * (B * BI) > UINT32_MAX || dst.hi * (B * BO) > UINT32_MAX || wgt.hi > UINT32_MAX) return false;
  if (!packs_weights(steps, wgt.count(), src.count())) return false;

  static thread_local std::vector<Reg> weights;
  static thread_local std::vector<Excess> excess;
  static thread_local std::vector<Step> list;
  if (weights.size() < wgt.count() * P::kRegs) weights.resize(wgt.count() * P::kRegs);
  if (excess.size() < src.count() * B) excess.resize(src.count() * B);
  if (list.size() < span) list.resize(span);
  for (uint64_t b = 0; b < wgt.count(); ++b) P::pack_weights(wgt_mem + (wgt.lo + b) * (BO * BI), &weights[b * P::kRegs]);
  for (uint64_t s = 0; s < src.count(); ++s) P::input_excess(inp_mem + (src.lo + s) * (B * BI), &excess[s * B]);
  for (uint64_t k = 0; k < span; ++k) {  // offsets of the first iteration, relative to the spans' starts
    const uint32_t word = uop[f.uop_bgn + k];
    const uint32_t s = decode.src(word) + f.src_base, w = decode.wgt(word) + f.wgt_base;
    list[k] = {(decode.dst(word) + f.dst_base) * uint32_t(B * BO), s * uint32_t(B * BI),
               uint32_t(w - wgt.lo) * uint32_t(P::kRegs), uint32_t(s - src.lo) * uint32_t(B)};
  }

  const Step* const first = list.data();
  const Step* const last = first + span;
  const Reg* const packed = weights.data();
  const Excess* const sums = excess.data();
  const Level outer{f.iter_out, f.dst_factor_out, f.src_factor_out, f.wgt_factor_out},
      inner{f.iter_in, f.dst_factor_in, f.src_factor_in, f.wgt_factor_in};
  const uint32_t period = P::kHolds ? destination_period(first, uint32_t(span)) : uint32_t(span);
  if (P::kHolds && (outer.dst == 0 || inner.dst == 0 || period < span)) {
    // Sums stay in registers while the destination stays: the loop levels that keep it and the list's
    // repetitions go innermost, around each micro-op of the list's first period; the levels that move
    // it outermost. The order of the additions into an accumulator changes, not their sum (modulo
    // 2^32), and every destination ends with the same value and output byte (written last from it).
    const Level none{1, 0, 0, 0};
    const Level move_a = outer.dst != 0 ? outer : none, move_b = inner.dst != 0 ? inner : none;
    const Level keep_a = outer.dst == 0 ? outer : none, keep_b = inner.dst == 0 ? inner : none;
    const uint32_t reps = uint32_t(span / period);
    const HeldSteps<B, BI, BO> steps{inp_mem, packed, sums, keep_a, keep_b, period, reps};
    // How the first period's micro-ops are held, worked out once: from each place, a run of kWide
    // that share an operand, else a run of kHeld, else a single one where two of those would write
    // one accumulator (held together, one sum would be lost).
    using Shared = typename P::Shared;
    constexpr int kWide = 2 * P::kHeld;  // micro-ops sharing an operand: twice as many held
    enum Kind : uint32_t { WideWeights, WideInputs, HeldWeights, HeldInputs, HeldNone, Single };
    struct Run {
      uint32_t first;  // its first micro-op in the period
      Kind kind;
      int pair;        // the moving level it takes two iterations of at a time: 0 (a), 1 (b); -1 none
    };
    static thread_local std::vector<Run> runs;
    runs.clear();
    uint32_t k = 0;
    while (period - k >= uint32_t(P::kHeld)) {
      if (period - k >= uint32_t(kWide) && distinct_destinations<kWide>(first + k)) {
        const Shared shared = shared_operand<kWide, Shared>(first + k, period, reps);
        if (shared != Shared::None) {
          runs.push_back({k, shared == Shared::Weights ? WideWeights : WideInputs, -1});
          k += kWide;
          continue;
        }
      }
      if (!distinct_destinations<P::kHeld>(first + k)) {
        runs.push_back({k++, Single, -1});
        continue;
      }
      const Shared shared = shared_operand<P::kHeld, Shared>(first + k, period, reps);
      runs.push_back({k, shared == Shared::Weights ? HeldWeights : shared == Shared::Inputs ? HeldInputs : HeldNone, -1});
      k += P::kHeld;
    }
    for (; k < period; ++k) runs.push_back({k, Single, -1});
    // Pairs: a moving level that keeps the operand the run's micro-ops do not share, and moves their
    // destinations clear of one another.
    const Level moving[2] = {move_a, move_b};
    for (Run& r : runs) {
      const bool wide = r.kind == WideWeights || r.kind == WideInputs;
      const bool weights = r.kind == WideWeights || r.kind == HeldWeights;
      if (r.kind == HeldNone || r.kind == Single || !(wide ? P::template kPairs<kWide> : P::template kPairs<P::kHeld>)) continue;
      const int levels[2] = {1, 0};  // (an array: an initializer_list would emit shared code with this unit's flags)
      for (int l : levels) {
        const Level& m = moving[l];
        if (m.n < 2 || (weights ? m.src : m.wgt) != 0) continue;
        const uint64_t shift = uint64_t(m.dst) * (B * BO);
        if (wide ? distinct_after_shift<kWide>(first + r.first, shift) : distinct_after_shift<P::kHeld>(first + r.first, shift)) {
          r.pair = l;
          break;
        }
      }
    }
    // Run with the input words used: one where every input row the instruction reads has only its
    // first word nonzero (a layer of up to four input channels, the rest padding), else all.
    const auto execute = [&](auto used) {
      constexpr int W = decltype(used)::value;
      for (const Run& r : runs) {
        const Step* const u = first + r.first;
        for (uint32_t ma = 0; ma < move_a.n; ma += r.pair == 0 ? 2 : 1) {
          for (uint32_t mb = 0; mb < move_b.n; mb += r.pair == 1 ? 2 : 1) {
            const uint32_t dst_step = ma * move_a.dst + mb * move_b.dst;
            int32_t* const acc = acc_mem + size_t(dst_step) * (B * BO);
            int8_t* const out = out_mem + size_t(dst_step) * (B * BO);
            const Level at{1, dst_step, ma * move_a.src + mb * move_b.src, ma * move_a.wgt + mb * move_b.wgt};
            const bool two = (r.pair == 0 && ma + 1 < move_a.n) || (r.pair == 1 && mb + 1 < move_b.n);
            if (two) {
              const Level& pair = moving[r.pair];
              switch (r.kind) {
                case WideWeights:
                  if constexpr (P::template kPairs<kWide>) steps.template run_pair<kWide, Shared::Weights, W>(u, at, pair, acc, out);
                  break;
                case WideInputs:
                  if constexpr (P::template kPairs<kWide>) steps.template run_pair<kWide, Shared::Inputs, W>(u, at, pair, acc, out);
                  break;
                case HeldWeights:
                  if constexpr (P::template kPairs<P::kHeld>) steps.template run_pair<P::kHeld, Shared::Weights, W>(u, at, pair, acc, out);
                  break;
                case HeldInputs:
                  if constexpr (P::template kPairs<P::kHeld>) steps.template run_pair<P::kHeld, Shared::Inputs, W>(u, at, pair, acc, out);
                  break;
                case HeldNone:
                case Single: break;  // never paired
              }
              continue;
            }
            switch (r.kind) {
              case WideWeights: steps.template run<kWide, Shared::Weights, W>(u, at, acc, out); break;
              case WideInputs: steps.template run<kWide, Shared::Inputs, W>(u, at, acc, out); break;
              case HeldWeights: steps.template run<P::kHeld, Shared::Weights, W>(u, at, acc, out); break;
              case HeldInputs: steps.template run<P::kHeld, Shared::Inputs, W>(u, at, acc, out); break;
              case HeldNone: steps.template run<P::kHeld, Shared::None, W>(u, at, acc, out); break;
              case Single: steps.template run<1, Shared::None, W>(u, at, acc, out); break;
            }
          }
        }
      }
    };
    if (first_word_only<B, BI>(inp_mem + src.lo * (B * BI), src.count())) execute(std::integral_constant<int, 1>{});
    else execute(std::integral_constant<int, P::kWords>{});
    return true;
  }
  for (uint32_t i0 = 0; i0 < f.iter_out; ++i0) {
    for (uint32_t i1 = 0; i1 < f.iter_in; ++i1) {
      const uint32_t dst_step = i0 * f.dst_factor_out + i1 * f.dst_factor_in;
      const uint32_t src_step = i0 * f.src_factor_out + i1 * f.src_factor_in;
      const uint32_t wgt_step = i0 * f.wgt_factor_out + i1 * f.wgt_factor_in;
      int32_t* const acc = acc_mem + size_t(dst_step) * (B * BO);
      int8_t* const out = out_mem + size_t(dst_step) * (B * BO);
      const int8_t* const inp = inp_mem + size_t(src_step) * (B * BI);
      const Reg* const wp = packed + size_t(wgt_step) * P::kRegs;
      const Excess* const sp = sums + size_t(src_step) * B;
      for (const Step* u = first; u != last; ++u) P::step(inp + u->inp, wp + u->wgt, sp + u->sum, acc + u->acc, out + u->acc);
    }
  }
  return true;
}

template <int B, int BI, int BO>
void gemm_vnni(const hls::LoopFields& f, const hls::UopFormat& fmt, const uint32_t* uop, const int8_t* inp,
               const int8_t* wgt, int32_t* acc, int8_t* out) {
  if (!gemm_prepared<B, BI, BO>(f, fmt, uop, inp, wgt, acc, out)) gemm_loops<B, BI, BO, VnniStep>(f, fmt, uop, inp, wgt, acc, out);
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

AluInsnFn alu_avx512_kernel(int batch, int block_out) {
  return kernel_for_shape<Avx512Alu>(batch, 8, block_out);
}

bool touch_lines8_avx512(uint32_t* keys, uint64_t set_mask, uint64_t first, uint64_t last) {
  // One set at a time, its eight keys one 256-bit register. (Two neighbouring sets per 512-bit
  // register was slower: the next burst's first line is often the last one's, and a 512-bit load
  // over a set just stored 256 bits wide cannot take the stored value and waits for the store.)
  const __m256i one_back = _mm256_setr_epi32(0, 0, 1, 2, 3, 4, 5, 6);
  bool all = true;
  for (uint64_t line = first; line <= last; ++line) {
    uint32_t* const k = keys + (line & set_mask) * 8;
    const __m256i ways = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(k));
    const __m256i want = _mm256_set1_epi32(int(uint32_t(line + 1)));
    const uint32_t m = _mm256_cmpeq_epi32_mask(ways, want);
    all &= m != 0;
    // Places 0..p move one back (a line found at p, or coming in at p = 7), then the line goes in front.
    const uint32_t p = m ? uint32_t(__builtin_ctz(m)) : 7;
    const __m256i back = _mm256_mask_blend_epi32(0x01, _mm256_permutexvar_epi32(one_back, ways), want);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(k), _mm256_mask_blend_epi32(__mmask8((2u << p) - 1), ways, back));
  }
  return all;
}

void splitmix_bytes_avx512(uint64_t state, uint64_t n, uint8_t flip, uint8_t* out) {
  constexpr uint64_t kGamma = 0x9E3779B97F4A7C15ULL;
  const auto mix = [](__m512i z) {  // SplitMix64's finaliser on eight lanes
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), _mm512_set1_epi64(int64_t(0xBF58476D1CE4E5B9ULL)));
    z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), _mm512_set1_epi64(int64_t(0x94D049BB133111EBULL)));
    return _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
  };
  // Lane j of z: state + (k + j + 1) * gamma (all modulo 2^64).
  __m512i z = _mm512_add_epi64(_mm512_set1_epi64(int64_t(state)),
                               _mm512_mullo_epi64(_mm512_setr_epi64(1, 2, 3, 4, 5, 6, 7, 8), _mm512_set1_epi64(int64_t(kGamma))));
  const __m512i step = _mm512_set1_epi64(int64_t(8 * kGamma));
  const __m128i flips = _mm_set1_epi8(char(flip));
  uint64_t k = 0;
  for (; k + 8 <= n; k += 8, z = _mm512_add_epi64(z, step)) {
    const __m128i bytes = _mm_xor_si128(_mm512_cvtepi64_epi8(mix(z)), flips);  // low byte of each lane
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + k), bytes);
  }
  if (k < n) {
    alignas(16) uint8_t last[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(last), _mm_xor_si128(_mm512_cvtepi64_epi8(mix(z)), flips));
    for (uint64_t j = 0; k + j < n; ++j) out[k + j] = last[j];
  }
}

}  // namespace simd
}  // namespace vtasim
