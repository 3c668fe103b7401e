// Cycle counts of the compute module's instructions and of load padding, in plain C++
// (BRIEF section 6). Every constant is a configuration parameter.
#pragma once

#include <cstdint>

#include "hw_config.h"
#include "isa.h"

namespace vtasim {

// Micro-ops one GEMM or ALU instruction executes.
inline uint64_t loop_uops(const Insn& i) {
  const uint64_t span = i.uop_end > i.uop_bgn ? i.uop_end - i.uop_bgn : 0;
  return uint64_t(i.iter_out) * i.iter_in * span;
}

// GEMM: one micro-op per cycle, plus the pipeline fill at every (re)start of the micro-op loop
// (once per inner iteration).
inline uint64_t gemm_cycles(const Insn& i, const HwParams& p) {
  const uint64_t starts = uint64_t(i.iter_out) * i.iter_in;
  if (loop_uops(i) == 0) return uint64_t(p.noop_cycles);
  return loop_uops(i) + starts * uint64_t(p.gemm_fill);
}

// ALU: alu.cycles (tensor operand) or alu.imm_cycles (immediate) per micro-op, plus the same fill.
inline uint64_t alu_cycles(const Insn& i, const HwParams& p) {
  const uint64_t starts = uint64_t(i.iter_out) * i.iter_in;
  if (loop_uops(i) == 0) return uint64_t(p.noop_cycles);
  const uint64_t per = uint64_t(i.use_imm ? p.alu_imm_cycles : p.alu_cycles);
  return loop_uops(i) * per + starts * uint64_t(p.gemm_fill);
}

// Zero elements a LOAD writes into SRAM (INP and ACC loads pad; other types ignore the pad fields).
inline uint64_t pad_elems(const Insn& i) {
  if (i.x_size == 0) return 0;
  if (i.memory_type != MemType::Inp && i.memory_type != MemType::Acc && i.memory_type != MemType::Acc8) return 0;
  const uint64_t w = uint64_t(i.x_pad_0) + i.x_size + i.x_pad_1;
  const uint64_t h = uint64_t(i.y_pad_0) + i.y_size + i.y_pad_1;
  return w * h - uint64_t(i.x_size) * i.y_size;
}

inline uint64_t pad_cycles(const Insn& i, const HwParams& p) { return pad_elems(i) * uint64_t(p.pad_cycles); }

}  // namespace vtasim
