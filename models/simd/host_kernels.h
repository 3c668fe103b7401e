// Host fast paths for the GEMM and ALU instructions: the same arithmetic as hls::gemm_insn and
// hls::alu_insn (the single, synthesizable statement of it), written with x86 SIMD intrinsics and
// chosen at run time by what the CPU supports. No -march flag is needed: each variant is compiled in its own translation unit
// with its own instruction-set flags and only runs when the CPU reports them.
//
// Every variant is differential-tested bit for bit against the HLS kernels (tests/test_simd.cpp).
#ifndef VTASIM_MODELS_SIMD_HOST_KERNELS_H
#define VTASIM_MODELS_SIMD_HOST_KERNELS_H

#include <cstdint>
#include <string>

#include "models/hls/compute_kernel.h"

namespace vtasim {
namespace simd {

// Instruction-set levels, in increasing order.
enum class Isa { Portable = 0, Avx2 = 1, Avx512Vnni = 2 };

const char* isa_name(Isa isa);

// The best level this CPU runs, capped by the environment variable VTASIM_SIMD
// (portable, avx2 or avx512) when set; an unknown value there is a user error.
Isa host_isa();

// Whether the CPU can run code of this level.
bool cpu_supports(Isa isa);

using GemmInsnFn = void (*)(const hls::LoopFields&, const hls::UopFormat&, const uint32_t*, const int8_t*,
                            const int8_t*, int32_t*, int8_t*);

// A fast GEMM instruction kernel of exactly level `isa` for a BATCH x BLOCK_IN x BLOCK_OUT core, or
// nullptr when that level has none for the shape (AVX2: BLOCK_IN 16..64, any BLOCK_OUT; AVX-512
// VNNI: BLOCK_IN and BLOCK_OUT 16..64). Reset instructions are handled too (zeros only).
GemmInsnFn gemm_kernel_at(Isa isa, int batch, int block_in, int block_out);

// The best kernel at or below `isa` for the shape, and the level it is of; nullptr (level
// Portable) when only the HLS kernel serves the shape.
struct GemmChoice {
  GemmInsnFn fn = nullptr;
  Isa isa = Isa::Portable;
};
GemmChoice best_gemm_kernel(Isa isa, int batch, int block_in, int block_out);

using AluInsnFn = void (*)(const hls::LoopFields&, const hls::AluFields&, const hls::UopFormat&, const uint32_t*,
                           int32_t*, int8_t*);

// A fast ALU instruction kernel for a BATCH x BLOCK_OUT core at `isa` or below (AVX-512 or AVX2, every
// shape), nullptr when only the HLS kernel serves it.
AluInsnFn best_alu_kernel(Isa isa, int batch, int block_out);

// Whether the AVX-512 kernel prepares an instruction's operands before its micro-op steps (packs its
// `blocks` weight blocks, sums its `inputs` input rows: the spans of indices it reads): when the
// preparation, about one step's work per weight block and an eighth of one per input row, is at
// most half of the steps. Both forms are bit-exact; this only chooses the faster.
bool packs_weights(uint64_t steps, uint64_t blocks, uint64_t inputs);

// The line cache's step for 8-way sets (models/timing/cache_model.h): makes each line of first..last
// the most recently used of set (line & set_mask), whose eight 32-bit keys (line + 1, 0: empty) lie
// at keys + 8 * set in order of recency; returns whether all were present. nullptr when only the
// portable step serves `isa`.
using LineTouchFn = bool (*)(uint32_t* keys, uint64_t set_mask, uint64_t first, uint64_t last);
LineTouchFn best_line_touch8(Isa isa);

// The low bytes of the next n outputs of a SplitMix64 generator (output k mixes state + (k + 1) *
// 0x9E3779B97F4A7C15, modulo 2^64), each XORed with `flip`: the seeded tensors' bytes
// (workloads/tensor.h), eight outputs at a time with AVX-512's 64-bit multiplies. nullptr when only
// the portable loop serves `isa`.
using SplitMixBytesFn = void (*)(uint64_t state, uint64_t n, uint8_t flip, uint8_t* out);
SplitMixBytesFn best_splitmix_bytes(Isa isa);

// Per-variant entry points (defined in avx2.cpp / avx512_vnni.cpp; call only when the CPU
// supports the level).
bool touch_lines8_avx2(uint32_t* keys, uint64_t set_mask, uint64_t first, uint64_t last);
bool touch_lines8_avx512(uint32_t* keys, uint64_t set_mask, uint64_t first, uint64_t last);
GemmInsnFn gemm_avx2_kernel(int batch, int block_in, int block_out);
AluInsnFn alu_avx2_kernel(int batch, int block_out);
GemmInsnFn gemm_avx512_kernel(int batch, int block_in, int block_out);
AluInsnFn alu_avx512_kernel(int batch, int block_out);
void splitmix_bytes_avx512(uint64_t state, uint64_t n, uint8_t flip, uint8_t* out);

}  // namespace simd
}  // namespace vtasim

#endif  // VTASIM_MODELS_SIMD_HOST_KERNELS_H
