// The host SIMD kernels against the HLS kernels, bit for bit. GEMM: every shape each level serves,
// random and extreme operands, wrapping accumulators, reset instructions, both loop levels, and both
// forms of the AVX-512 kernel (operands prepared for long loops, direct for few steps per operand). ALU: every
// shape, every opcode, immediate and tensor operands, extreme values and every shift amount.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "models/hls/compute_kernel.h"
#include "models/simd/host_kernels.h"

using vtasim::hls::LoopFields;
using vtasim::hls::UopFormat;
using vtasim::simd::Isa;

namespace {

// FirstWord: only each input row's first four bytes nonzero (a layer of up to four input channels, the
// rest of the block padding), which the AVX-512 kernel multiplies alone.
enum class Operands { Random, AllMin, MinMax, FirstWord };

// Loop shapes: Short, 3 x 2 iterations; Long, 16 x 4 over few operands (a convolution's shape: the
// AVX-512 kernel prepares its operands first, and holds sums in registers across the outer level,
// which keeps the destination); Reduce, 8 x 6 with neither level moving the destination (both held);
// Single, one iteration over spread weights (nothing prepared); Periodic, the Short levels over a
// list whose destinations repeat (a convolution's list: output blocks or pixels once per reduction
// term), which the AVX-512 kernel sums in registers across the repetitions.
// Pairs: the periodic list over a level that keeps the input (moving dst and weights) outside one that
// keeps the weights (moving dst and input): the AVX-512 kernel takes two iterations of such a level
// at once for micro-ops that share the other operand.
enum class Loops { Short, Long, Reduce, Single, Periodic, Pairs };

// A periodic list: destinations repeat every `period` entries; per period the entries share one
// weight block, one input row, or nothing; `twice`: one destination twice within a period.
enum class Share { None, Weights, Inputs };
struct Periodic {
  uint32_t period = 4;
  Share share = Share::None;
  bool twice = false;
};

struct Case {
  Operands operands;
  bool reset;
  bool near_wrap;              // accumulators start near INT32_MAX / INT32_MIN, so the sums wrap
  bool fixed_weights = false;  // weight factors 0: every iteration uses the micro-ops' same weights
  Loops loops = Loops::Short;
  Periodic list = {};
};

// How many AVX-512 cases took each of its two forms, by the spans the test works out itself.
struct FormCount {
  int prepared = 0, direct = 0;
} vnni_forms;

void count_form(const LoopFields& f, const std::vector<uint32_t>& uops) {
  uint32_t src_lo = ~0u, src_hi = 0, wgt_lo = ~0u, wgt_hi = 0;
  for (uint32_t u : uops) {
    const uint32_t src = (u >> 11) & 2047, wgt = u >> 22;
    src_lo = std::min(src_lo, src), src_hi = std::max(src_hi, src);
    wgt_lo = std::min(wgt_lo, wgt), wgt_hi = std::max(wgt_hi, wgt);
  }
  const uint64_t inputs = src_hi + (f.iter_out - 1) * f.src_factor_out + (f.iter_in - 1) * f.src_factor_in - src_lo + 1;
  const uint64_t blocks = wgt_hi + (f.iter_out - 1) * f.wgt_factor_out + (f.iter_in - 1) * f.wgt_factor_in - wgt_lo + 1;
  const uint64_t steps = uint64_t(uops.size()) * f.iter_out * f.iter_in;
  if (!f.reset && vtasim::simd::packs_weights(steps, blocks, inputs)) ++vnni_forms.prepared;
  else ++vnni_forms.direct;
}

template <int B, int BI, int BO>
void differential(Isa isa, const Case& c, uint32_t seed) {
  const vtasim::simd::GemmInsnFn fast = vtasim::simd::gemm_kernel_at(isa, B, BI, BO);
  if (!fast) return;
  INFO("level " << vtasim::simd::isa_name(isa) << ", shape " << B << "x" << BI << "x" << BO << ", operands "
                << int(c.operands) << ", reset " << c.reset << ", near wrap " << c.near_wrap << ", fixed weights "
                << c.fixed_weights << ", loops " << int(c.loops) << ", period " << c.list.period << ", sharing "
                << int(c.list.share) << ", a destination twice " << c.list.twice);
  constexpr uint32_t kInp = 24, kWgt = 12, kAcc = 40, kUops = 9;
  std::mt19937 rng(seed);
  const auto byte = [&](size_t k) -> int8_t {
    switch (c.operands) {
      case Operands::AllMin: return -128;
      case Operands::MinMax: return k % 3 == 0 ? 127 : -128;
      case Operands::Random:
      case Operands::FirstWord: break;
    }
    return int8_t(rng());
  };
  std::vector<int8_t> inp(kInp * B * BI), wgt(kWgt * BO * BI);
  for (size_t k = 0; k < inp.size(); ++k) inp[k] = c.operands == Operands::FirstWord && k % BI >= 4 ? 0 : byte(k);
  for (size_t k = 0; k < wgt.size(); ++k) wgt[k] = byte(k + 1);
  std::vector<int32_t> acc(kAcc * B * BO);
  for (size_t k = 0; k < acc.size(); ++k) {
    const int32_t near = int32_t(rng() % 5);  // within 4 of either end
    const int32_t edge = k % 2 ? std::numeric_limits<int32_t>::max() - near : std::numeric_limits<int32_t>::min() + near;
    acc[k] = c.near_wrap ? edge : int32_t(rng());
  }
  std::vector<int8_t> out(kAcc * B * BO, 7);
  // Micro-ops with the default field widths; indices leave room for the loop offsets below.
  const UopFormat fmt{11, 11, 10};
  std::vector<uint32_t> uops(kUops);  // the list is entries 1..kUops-1
  for (auto& u : uops) u = (rng() % 8) | ((rng() % 8) << 11) | ((c.loops == Loops::Single ? rng() % 12 : rng() % 4) << 22);
  if (c.loops == Loops::Periodic || c.loops == Loops::Pairs) {  // entries 1..8: destination k % period, operands per the sharing
    uint32_t dsts[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    std::shuffle(dsts, dsts + 8, rng);
    if (c.list.twice) dsts[2] = dsts[0];
    uint32_t rows[8], blocks[8];  // per period
    for (uint32_t r = 0; r < 8; ++r) rows[r] = uint32_t(rng() % 8), blocks[r] = uint32_t(rng() % 4);
    for (uint32_t k = 0; k + 1 < kUops; ++k) {
      const uint32_t rep = k / c.list.period;
      const uint32_t src = c.list.share == Share::Inputs ? rows[rep] : rng() % 8;
      const uint32_t wgt = c.list.share == Share::Weights ? blocks[rep] : rng() % 4;
      uops[k + 1] = dsts[k % c.list.period] | (src << 11) | (wgt << 22);
    }
  }
  // The largest offsets: Short (3 x 2): dst 2*8+1*4 + 7 < 40, src 2*6+1*2 + 7 < 24, wgt 2*3+1*1 + 3 < 12
  // (fixed weights: base 5 + 3 < 12); Long (16 x 4): dst 3*8 + 7 < 40, src 3 + 7 < 24, wgt 3 + 3 < 12;
  // Reduce (8 x 6): dst 7, src 7 + 5 + 7 < 24, wgt 5 + 3 < 12; Single: dst 7, src 7, wgt 11.
  const uint32_t wgt_out = c.fixed_weights ? 0u : 3u, wgt_in = c.fixed_weights ? 0u : 1u, wgt_base = c.fixed_weights ? 5u : 0u;
  LoopFields f{c.reset, 1, kUops, 3, 2, 8, 4, 6, 2, wgt_out, wgt_in, 0, 0, wgt_base};
  if (c.loops == Loops::Long) f = {c.reset, 1, kUops, 16, 4, 0, 8, 0, 1, 0, wgt_in, 0, 0, wgt_base};
  if (c.loops == Loops::Reduce) f = {c.reset, 1, kUops, 8, 6, 0, 0, 1, 1, 0, wgt_in, 0, 0, wgt_base};
  if (c.loops == Loops::Single) f = {c.reset, 1, kUops, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  // Pairs (3 x 2): dst 7 + 2*8 + 1*16 < 40, src 7 + 1 < 24, wgt 3 + 2*1 < 12.
  if (c.loops == Loops::Pairs) f = {c.reset, 1, kUops, 3, 2, 8, 16, 0, 1, 1, 0, 0, 0, 0};
  if (isa == Isa::Avx512Vnni) count_form(f, std::vector<uint32_t>(uops.begin() + 1, uops.end()));
  auto acc_ref = acc, acc_fast = acc;
  auto out_ref = out, out_fast = out;
  vtasim::hls::gemm_insn<B, BI, BO>(f, fmt, uops.data(), inp.data(), wgt.data(), acc_ref.data(), out_ref.data());
  fast(f, fmt, uops.data(), inp.data(), wgt.data(), acc_fast.data(), out_fast.data());
  CHECK(acc_fast == acc_ref);
  CHECK(out_fast == out_ref);
  CHECK(acc_ref != acc);  // the instruction did something
}

template <int B, int BI>
void for_outputs(Isa isa, const Case& c, uint32_t seed) {
  differential<B, BI, 8>(isa, c, seed);
  differential<B, BI, 16>(isa, c, seed);
  differential<B, BI, 32>(isa, c, seed);
  differential<B, BI, 64>(isa, c, seed);
}

template <int B>
void for_inputs(Isa isa, const Case& c, uint32_t seed) {
  for_outputs<B, 8>(isa, c, seed);
  for_outputs<B, 16>(isa, c, seed);
  for_outputs<B, 32>(isa, c, seed);
  for_outputs<B, 64>(isa, c, seed);
}

void every_shape(Isa isa, const Case& c, uint32_t seed) {
  for_inputs<1>(isa, c, seed);
  for_inputs<2>(isa, c, seed);
  for_inputs<4>(isa, c, seed);
}

int kernels_at(Isa isa) {
  int n = 0;
  for (int b : {1, 2, 4})
    for (int bi : {8, 16, 32, 64})
      for (int bo : {8, 16, 32, 64}) n += vtasim::simd::gemm_kernel_at(isa, b, bi, bo) != nullptr;
  return n;
}

}  // namespace

TEST_CASE("SIMD GEMM kernels equal the HLS kernel bit for bit on every shape they serve") {
  for (Isa isa : {Isa::Avx2, Isa::Avx512Vnni}) {
    if (!vtasim::simd::cpu_supports(isa)) {
      WARN("this CPU does not run " << vtasim::simd::isa_name(isa) << "; its kernels are not tested here");
      continue;
    }
    for (uint32_t seed = 1; seed <= 3; ++seed) every_shape(isa, {Operands::Random, false, false}, seed);
    every_shape(isa, {Operands::AllMin, false, false}, 4);
    every_shape(isa, {Operands::MinMax, false, true}, 5);
    every_shape(isa, {Operands::Random, false, true}, 6);
    every_shape(isa, {Operands::Random, true, false}, 7);
    for (uint32_t seed = 8; seed <= 9; ++seed) every_shape(isa, {Operands::Random, false, false, true}, seed);
    every_shape(isa, {Operands::AllMin, false, true, true}, 10);
    every_shape(isa, {Operands::MinMax, false, true, true}, 11);
    for (uint32_t seed = 12; seed <= 13; ++seed) every_shape(isa, {Operands::Random, false, false, false, Loops::Long}, seed);
    every_shape(isa, {Operands::Random, false, true, true, Loops::Long}, 14);
    every_shape(isa, {Operands::MinMax, false, true, false, Loops::Long}, 15);
    every_shape(isa, {Operands::AllMin, false, true, true, Loops::Long}, 16);
    every_shape(isa, {Operands::Random, true, false, false, Loops::Long}, 17);
    for (uint32_t seed = 21; seed <= 22; ++seed) every_shape(isa, {Operands::Random, false, true, false, Loops::Reduce}, seed);
    every_shape(isa, {Operands::MinMax, false, true, true, Loops::Reduce}, 23);
    for (uint32_t seed = 18; seed <= 19; ++seed) every_shape(isa, {Operands::Random, false, false, false, Loops::Single}, seed);
    every_shape(isa, {Operands::MinMax, false, true, false, Loops::Single}, 20);
    for (Loops loops : {Loops::Long, Loops::Reduce, Loops::Short}) every_shape(isa, {Operands::FirstWord, false, true, false, loops}, 60 + int(loops));
    uint32_t seed = 30;
    for (uint32_t period : {2u, 4u, 8u}) {
      for (Share share : {Share::None, Share::Weights, Share::Inputs}) {
        every_shape(isa, {Operands::Random, false, true, false, Loops::Periodic, {period, share, false}}, seed++);
        every_shape(isa, {Operands::MinMax, false, true, true, Loops::Periodic, {period, share, false}}, seed++);
      }
      if (period > 2) every_shape(isa, {Operands::Random, false, false, false, Loops::Periodic, {period, Share::Weights, true}}, seed++);
      for (Share share : {Share::Weights, Share::Inputs}) {
        every_shape(isa, {Operands::Random, false, true, false, Loops::Pairs, {period, share, false}}, seed++);
        every_shape(isa, {Operands::MinMax, false, true, false, Loops::Pairs, {period, share, false}}, seed++);
        every_shape(isa, {Operands::FirstWord, false, true, false, Loops::Pairs, {period, share, false}}, seed++);
      }
      every_shape(isa, {Operands::FirstWord, false, false, false, Loops::Periodic, {period, Share::None, false}}, seed++);
    }
  }
  if (vtasim::simd::cpu_supports(Isa::Avx512Vnni)) {  // both forms of the AVX-512 kernel were compared
    CHECK(vnni_forms.prepared >= 27 * 8);
    CHECK(vnni_forms.direct >= 27 * 3);
  }
}

TEST_CASE("SIMD levels serve the shapes they promise") {
  if (vtasim::simd::cpu_supports(Isa::Avx2)) CHECK(kernels_at(Isa::Avx2) == 3 * 3 * 4);        // BLOCK_IN 16..64
  if (vtasim::simd::cpu_supports(Isa::Avx512Vnni)) CHECK(kernels_at(Isa::Avx512Vnni) == 3 * 3 * 3);  // and BLOCK_OUT 16..64
  CHECK(kernels_at(Isa::Portable) == 0);  // the portable level is the HLS kernel itself
  // The best choice never exceeds the level asked for, and falls back where a level has no kernel.
  const auto portable = vtasim::simd::best_gemm_kernel(Isa::Portable, 1, 16, 16);
  CHECK(portable.fn == nullptr);
  CHECK(vtasim::simd::best_gemm_kernel(Isa::Avx512Vnni, 1, 8, 8).fn == nullptr);
  if (vtasim::simd::cpu_supports(Isa::Avx2)) {
    CHECK(vtasim::simd::best_gemm_kernel(Isa::Avx2, 1, 16, 16).isa == Isa::Avx2);
    CHECK(vtasim::simd::best_gemm_kernel(Isa::Avx512Vnni, 1, 16, 8).isa == Isa::Avx2);
  }
}

namespace {

template <int B, int BO>
void alu_level(Isa isa, uint8_t op, bool use_imm, int16_t imm, bool extremes, bool same_row, uint32_t seed) {
  const vtasim::simd::AluInsnFn fast = vtasim::simd::best_alu_kernel(isa, B, BO);
  REQUIRE(fast);
  INFO("ALU level " << vtasim::simd::isa_name(isa) << ", shape " << B << "x" << BO << ", opcode " << int(op)
                    << ", use_imm " << use_imm << ", imm " << imm << ", extremes " << extremes << ", same row "
                    << same_row);
  constexpr uint32_t kAcc = 40, kUops = 7;
  std::mt19937 rng(seed);
  std::vector<int32_t> acc(kAcc * B * BO);
  const int32_t edges[] = {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(), -1, 0, 1, 127,
                           -128, 255, 16, 31, 32, -16};
  for (size_t k = 0; k < acc.size(); ++k) acc[k] = extremes ? edges[rng() % 12] : int32_t(rng());
  std::vector<int8_t> out(kAcc * B * BO, 5);
  const UopFormat fmt{11, 11, 10};
  std::vector<uint32_t> uops(kUops);
  for (auto& u : uops) {
    const uint32_t dst = rng() % 8;
    u = dst | ((same_row ? dst : rng() % 8) << 11);
  }
  // iter_out 2 x iter_in 3; offsets reach dst 1*12 + 2*4 + 7 < 40, src the same.
  const LoopFields f{false, 0, kUops, 2, 3, 12, 4, same_row ? 12u : 10u, same_row ? 4u : 5u, 0, 0, 0, 0, 0};
  const vtasim::hls::AluFields a{op, use_imm, imm};
  auto acc_ref = acc, acc_fast = acc;
  auto out_ref = out, out_fast = out;
  vtasim::hls::alu_insn<B, BO>(f, a, fmt, uops.data(), acc_ref.data(), out_ref.data());
  fast(f, a, fmt, uops.data(), acc_fast.data(), out_fast.data());
  CHECK(acc_fast == acc_ref);
  CHECK(out_fast == out_ref);
}

// Every level this CPU runs: AVX2, and AVX-512 where it has it.
template <int B, int BO>
void alu_differential(uint8_t op, bool use_imm, int16_t imm, bool extremes, bool same_row, uint32_t seed) {
  alu_level<B, BO>(Isa::Avx2, op, use_imm, imm, extremes, same_row, seed);
  if (vtasim::simd::cpu_supports(Isa::Avx512Vnni)) alu_level<B, BO>(Isa::Avx512Vnni, op, use_imm, imm, extremes, same_row, seed);
}

template <int B>
void alu_outputs(uint8_t op, bool use_imm, int16_t imm, bool extremes, bool same_row, uint32_t seed) {
  alu_differential<B, 8>(op, use_imm, imm, extremes, same_row, seed);
  alu_differential<B, 16>(op, use_imm, imm, extremes, same_row, seed);
  alu_differential<B, 32>(op, use_imm, imm, extremes, same_row, seed);
  alu_differential<B, 64>(op, use_imm, imm, extremes, same_row, seed);
}

}  // namespace

TEST_CASE("SIMD ALU kernels equal the HLS kernel bit for bit on every shape and opcode") {
  if (!vtasim::simd::cpu_supports(Isa::Avx2)) {
    WARN("this CPU does not run avx2; the SIMD ALU kernels are not tested here");
    return;
  }
  uint32_t seed = 1;
  // Opcodes 0..4 (MIN, MAX, ADD, SHR, MUL) and 5..7, which the hardware decodes as SHR.
  for (uint8_t op = 0; op < 8; ++op) {
    for (bool extremes : {false, true}) {
      for (bool same_row : {false, true}) {
        for (int16_t imm : {int16_t(-32768), int16_t(-17), int16_t(-1), int16_t(0), int16_t(3), int16_t(15),
                            int16_t(16), int16_t(127), int16_t(32767)}) {
          alu_outputs<1>(op, true, imm, extremes, same_row, seed);
          alu_outputs<2>(op, true, imm, extremes, same_row, seed);
          alu_outputs<4>(op, true, imm, extremes, same_row, seed++);
        }
        alu_outputs<1>(op, false, 0, extremes, same_row, seed);
        alu_outputs<2>(op, false, 0, extremes, same_row, seed);
        alu_outputs<4>(op, false, 0, extremes, same_row, seed++);
      }
    }
  }
}
