// Cycle counts of the compute module's instructions and of load padding, in plain C++. Every constant
// is a configuration parameter.
#pragma once

#include <cstdint>

#include "models/hw_config.h"
#include "models/isa.h"

namespace vtasim {

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

// Zero-padding work of a LOAD: dma.pad_cycles per zero element it inserts.
inline uint64_t pad_cycles(const Insn& i, const HwParams& p) {
  return i.opcode == Opcode::Load ? sram_extent(i).pad_elems * uint64_t(p.pad_cycles) : 0;
}

}  // namespace vtasim
