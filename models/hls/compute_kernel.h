// The compute module's GEMM and ALU instructions: the two affine micro-op loop levels around the
// micro-op kernels. Every engine of the simulator runs GEMM and ALU through these functions.
// Synthesizable subset: C++14, <cstdint> only; runtime counts only narrow loops with compile-time
// maxima; no dynamic memory, standard containers, exception handling, RTTI, dynamic dispatch or
// function pointers.
//
// Index arithmetic is not bounds-checked here (the hardware does not check either); the simulator
// checks every index before calling.
#ifndef VTASIM_HLS_COMPUTE_KERNEL_H
#define VTASIM_HLS_COMPUTE_KERNEL_H

#include <cstdint>

#include "alu_kernel.h"
#include "gemm_kernel.h"
#include "hls_pragma.h"

namespace vtasim {
namespace hls {

// Loop maxima of the synthesis build (enumerators: only that build uses them).
enum : uint32_t {
  kMaxLoopIter = 1u << 14,  // 14-bit iter_out / iter_in fields
  kMaxUopSpan = 1u << 16    // longest micro-op range any configuration encodes
};

// How a 32-bit micro-op word splits into dst (acc), src (inp or acc) and wgt indices.
struct UopFormat {
  uint32_t dst_bits;
  uint32_t src_bits;
  uint32_t wgt_bits;
};

inline uint32_t uop_field(uint32_t word, uint32_t lsb, uint32_t bits) {
  return bits >= 32 ? (word >> lsb) : (word >> lsb) & ((1u << bits) - 1u);
}

// The fields of a GEMM or ALU instruction the compute loops use (an ALU ignores wgt_*). The *_base
// offsets start the loops part-way (0 in hardware; the simulator runs long instructions one outer
// iteration at a time with them).
struct LoopFields {
  bool reset;
  uint32_t uop_bgn;
  uint32_t uop_end;
  uint32_t iter_out;
  uint32_t iter_in;
  uint32_t dst_factor_out;
  uint32_t dst_factor_in;
  uint32_t src_factor_out;
  uint32_t src_factor_in;
  uint32_t wgt_factor_out;
  uint32_t wgt_factor_in;
  uint32_t dst_base;
  uint32_t src_base;
  uint32_t wgt_base;
};

struct AluFields {
  uint8_t alu_opcode;
  bool use_imm;
  int16_t imm;
};

// for i0 < iter_out, i1 < iter_in, u in [uop_bgn, uop_end):
//   acc[dst] = reset ? 0 : acc[dst] + inp[src] x wgt[wgt]^T;  out[dst] = low8(acc[dst])
// Buffers are flat arrays of elements: inp B*BI int8, wgt BO*BI int8, acc B*BO int32, out B*BO int8.
template <int BATCH, int BLOCK_IN, int BLOCK_OUT>
void gemm_insn(const LoopFields& f, const UopFormat& fmt, const uint32_t* uop_mem, const int8_t* inp_mem,
               const int8_t* wgt_mem, int32_t* acc_mem, int8_t* out_mem) {
  const uint32_t span = f.uop_end > f.uop_bgn ? f.uop_end - f.uop_bgn : 0;
VTASIM_HLS_LABEL(GEMM_OUTER)
  VTASIM_BOUNDED_FOR(i0, f.iter_out, kMaxLoopIter) {
  VTASIM_HLS_LABEL(GEMM_INNER)
    VTASIM_BOUNDED_FOR(i1, f.iter_in, kMaxLoopIter) {
      const uint32_t dst_off = f.dst_base + i0 * f.dst_factor_out + i1 * f.dst_factor_in;
      const uint32_t src_off = f.src_base + i0 * f.src_factor_out + i1 * f.src_factor_in;
      const uint32_t wgt_off = f.wgt_base + i0 * f.wgt_factor_out + i1 * f.wgt_factor_in;
    VTASIM_HLS_LABEL(GEMM_UOPS)
      VTASIM_BOUNDED_FOR(k, span, kMaxUopSpan) {
        VTASIM_HLS(PIPELINE II = 1)
        const uint32_t word = uop_mem[f.uop_bgn + k];
        const uint32_t dst = uop_field(word, 0, fmt.dst_bits) + dst_off;
        // A reset GEMM's input and weight indices are never used (nor checked): point at entry 0.
        const uint32_t src = f.reset ? 0u : uop_field(word, fmt.dst_bits, fmt.src_bits) + src_off;
        const uint32_t wgt = f.reset ? 0u : uop_field(word, fmt.dst_bits + fmt.src_bits, fmt.wgt_bits) + wgt_off;
        gemm_uop<BATCH, BLOCK_IN, BLOCK_OUT>(inp_mem + src * (BATCH * BLOCK_IN), wgt_mem + wgt * (BLOCK_OUT * BLOCK_IN),
                                             acc_mem + dst * (BATCH * BLOCK_OUT), out_mem + dst * (BATCH * BLOCK_OUT),
                                             f.reset);
      }
    }
  }
}

// Same loops; acc[dst] = op(acc[dst], use_imm ? imm : acc[src]). src indexes acc here.
template <int BATCH, int BLOCK_OUT>
void alu_insn(const LoopFields& f, const AluFields& a, const UopFormat& fmt, const uint32_t* uop_mem,
              int32_t* acc_mem, int8_t* out_mem) {
  const uint32_t span = f.uop_end > f.uop_bgn ? f.uop_end - f.uop_bgn : 0;
VTASIM_HLS_LABEL(ALU_OUTER)
  VTASIM_BOUNDED_FOR(i0, f.iter_out, kMaxLoopIter) {
  VTASIM_HLS_LABEL(ALU_INNER)
    VTASIM_BOUNDED_FOR(i1, f.iter_in, kMaxLoopIter) {
      const uint32_t dst_off = f.dst_base + i0 * f.dst_factor_out + i1 * f.dst_factor_in;
      const uint32_t src_off = f.src_base + i0 * f.src_factor_out + i1 * f.src_factor_in;
    VTASIM_HLS_LABEL(ALU_UOPS)
      VTASIM_BOUNDED_FOR(k, span, kMaxUopSpan) {
        VTASIM_HLS(PIPELINE II = 2)
        const uint32_t word = uop_mem[f.uop_bgn + k];
        const uint32_t dst = uop_field(word, 0, fmt.dst_bits) + dst_off;
        const uint32_t src = uop_field(word, fmt.dst_bits, fmt.src_bits) + src_off;
        alu_uop<BATCH, BLOCK_OUT>(a.alu_opcode, acc_mem + dst * (BATCH * BLOCK_OUT),
                                  acc_mem + src * (BATCH * BLOCK_OUT), a.use_imm, a.imm,
                                  out_mem + dst * (BATCH * BLOCK_OUT));
      }
    }
  }
}

}  // namespace hls
}  // namespace vtasim

#endif  // VTASIM_HLS_COMPUTE_KERNEL_H
