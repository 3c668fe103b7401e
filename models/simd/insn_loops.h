// The two affine loop levels of a GEMM or ALU instruction around a host micro-op step, for the SIMD
// translation units only. Everything here has internal linkage: each including translation unit is
// compiled with different instruction-set flags, and a shared (weak) definition could otherwise be
// taken by the linker for code that must run on any CPU. For the same reason it uses only the two
// field structs of compute_kernel.h and mirrors the index arithmetic of hls::gemm_insn rather than
// calling it (an inline function instantiated here would be compiled with this unit's flags). The
// loops are those of hls::gemm_insn and hls::alu_insn.
#ifndef VTASIM_MODELS_SIMD_INSN_LOOPS_H
#define VTASIM_MODELS_SIMD_INSN_LOOPS_H

#include <cstdint>

#include "models/hls/compute_kernel.h"

namespace vtasim {
namespace simd {
namespace {

// The three fields of a micro-op word (as hls::uop_field reads them) with their shifts and masks
// worked out once per instruction, held in locals the compiler keeps in registers: the format read
// through a reference would be read again after every store to the buffers.
struct UopDecoder {
  uint32_t dst_mask, src_shift, src_mask, wgt_shift, wgt_mask;

  static uint32_t mask(uint32_t bits) { return bits >= 32 ? ~0u : (1u << bits) - 1u; }
  explicit UopDecoder(const hls::UopFormat& fmt)
      : dst_mask(mask(fmt.dst_bits)),
        src_shift(fmt.dst_bits),
        src_mask(mask(fmt.src_bits)),
        wgt_shift(fmt.dst_bits + fmt.src_bits),
        wgt_mask(mask(fmt.wgt_bits)) {}
  uint32_t dst(uint32_t word) const { return word & dst_mask; }
  uint32_t src(uint32_t word) const { return (word >> src_shift) & src_mask; }
  uint32_t wgt(uint32_t word) const { return (word >> wgt_shift) & wgt_mask; }
};

// Step::run(inp_vector, wgt_matrix, acc_vector, out_vector) does one batch row of one micro-op.
template <int B, int BI, int BO, class Step>
void gemm_loops(const hls::LoopFields& f, const hls::UopFormat& fmt, const uint32_t* uop_mem,
                const int8_t* inp_mem, const int8_t* wgt_mem, int32_t* acc_mem, int8_t* out_mem) {
  const uint32_t bgn = f.uop_bgn, end = f.uop_end > f.uop_bgn ? f.uop_end : f.uop_bgn;
  const UopDecoder uop(fmt);
  for (uint32_t i0 = 0; i0 < f.iter_out; ++i0) {
    for (uint32_t i1 = 0; i1 < f.iter_in; ++i1) {
      const uint32_t dst_off = f.dst_base + i0 * f.dst_factor_out + i1 * f.dst_factor_in;
      const uint32_t src_off = f.src_base + i0 * f.src_factor_out + i1 * f.src_factor_in;
      const uint32_t wgt_off = f.wgt_base + i0 * f.wgt_factor_out + i1 * f.wgt_factor_in;
      for (uint32_t k = bgn; k < end; ++k) {
        const uint32_t word = uop_mem[k];
        const uint32_t dst = uop.dst(word) + dst_off;
        int32_t* acc = acc_mem + size_t(dst) * (B * BO);
        int8_t* out = out_mem + size_t(dst) * (B * BO);
        if (f.reset) {  // reads neither input nor weights: zeros only
          for (int e = 0; e < B * BO; ++e) {
            acc[e] = 0;
            out[e] = 0;
          }
          continue;
        }
        const uint32_t src = uop.src(word) + src_off;
        const uint32_t wgt = uop.wgt(word) + wgt_off;
        const int8_t* inp = inp_mem + size_t(src) * (B * BI);
        const int8_t* w = wgt_mem + size_t(wgt) * (BO * BI);
        for (int b = 0; b < B; ++b) Step::template run<BI, BO>(inp + b * BI, w, acc + b * BO, out + b * BO);
      }
    }
  }
}

// One ALU micro-op of N lanes through Step::row<Op, N>(dst_row, src_row_or_null, imm, out_row) (src_row
// is null when the instruction uses its immediate), the opcode chosen once: MIN 0, MAX 1, ADD 2, MUL 4,
// and SHR for 3 and, as the HLS kernel, any other opcode.
template <class Step, int N>
inline void alu_row(uint8_t op, int32_t* dst, const int32_t* src, int16_t imm, int8_t* out) {
  switch (op) {
    case 0: return Step::template row<0, N>(dst, src, imm, out);
    case 1: return Step::template row<1, N>(dst, src, imm, out);
    case 2: return Step::template row<2, N>(dst, src, imm, out);
    case 4: return Step::template row<4, N>(dst, src, imm, out);
    default: return Step::template row<3, N>(dst, src, imm, out);
  }
}

// Each micro-op is alu_row over BATCH x BLOCK_OUT lanes.
template <int B, int BO, class Step>
void alu_loops(const hls::LoopFields& f, const hls::AluFields& a, const hls::UopFormat& fmt, const uint32_t* uop_mem,
               int32_t* acc_mem, int8_t* out_mem) {
  const uint32_t bgn = f.uop_bgn, end = f.uop_end > f.uop_bgn ? f.uop_end : f.uop_bgn;
  const UopDecoder uop(fmt);
  for (uint32_t i0 = 0; i0 < f.iter_out; ++i0) {
    for (uint32_t i1 = 0; i1 < f.iter_in; ++i1) {
      const uint32_t dst_off = f.dst_base + i0 * f.dst_factor_out + i1 * f.dst_factor_in;
      const uint32_t src_off = f.src_base + i0 * f.src_factor_out + i1 * f.src_factor_in;
      for (uint32_t k = bgn; k < end; ++k) {
        const uint32_t word = uop_mem[k];
        const uint32_t dst = uop.dst(word) + dst_off;
        const uint32_t src = uop.src(word) + src_off;
        alu_row<Step, B * BO>(a.alu_opcode, acc_mem + size_t(dst) * (B * BO),
                              a.use_imm ? nullptr : acc_mem + size_t(src) * (B * BO), a.imm,
                              out_mem + size_t(dst) * (B * BO));
      }
    }
  }
}

}  // namespace
}  // namespace simd
}  // namespace vtasim

#endif  // VTASIM_MODELS_SIMD_INSN_LOOPS_H
