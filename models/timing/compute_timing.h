// Cycle counts of the compute module's instructions and of a load's padding pass, in plain C++.
// Every constant is a configuration parameter; ComputeTiming reads them once.
#pragma once

#include <cstdint>

#include "models/hw_config.h"
#include "models/isa.h"

namespace vtasim {

// When the micro-op loop restarts and pays the pipeline fill again.
enum class FillPer : uint8_t { Instruction, Outer, Inner };
// How an ALU micro-op is costed: fixed cycles, or the lanes of one accumulator element through an
// ALU that handles `alu.lanes` of them per cycle, plus control.
enum class AluModel : uint8_t { Fixed, Lanes };

struct ComputeTiming {
  uint64_t fill = 4;
  FillPer fill_per = FillPer::Inner;
  // Cycles per ALU micro-op with a tensor / an immediate operand (either model, resolved).
  uint64_t alu_tensor = 2;
  uint64_t alu_imm = 2;
  uint64_t noop = 1;
  uint64_t pad_elem = 1;  // per zero element a load inserts
  uint64_t pad_row = 0;   // per SRAM row the padding pass walks

  static ComputeTiming of(const HwConfig& cfg);
};

// Times the micro-op loop (re)starts under the fill rule.
inline uint64_t loop_starts(const Insn& i, FillPer per) {
  switch (per) {
    case FillPer::Instruction: return 1;
    case FillPer::Outer: return i.iter_out;
    case FillPer::Inner: break;
  }
  return uint64_t(i.iter_out) * i.iter_in;
}

// GEMM: one micro-op per cycle plus the fill per loop start; an instruction that runs no micro-op
// costs what a no-op does.
inline uint64_t gemm_cycles(const Insn& i, const ComputeTiming& t) {
  if (loop_uops(i) == 0) return t.noop;
  return loop_uops(i) + loop_starts(i, t.fill_per) * t.fill;
}

// ALU: its per-micro-op cost, plus the same fill.
inline uint64_t alu_cycles(const Insn& i, const ComputeTiming& t) {
  if (loop_uops(i) == 0) return t.noop;
  return loop_uops(i) * (i.use_imm ? t.alu_imm : t.alu_tensor) + loop_starts(i, t.fill_per) * t.fill;
}

// The compute cycles of a list of GEMM and ALU instructions reduced to counts: the same sum
// gemm_cycles and alu_cycles give, under any ComputeTiming, without the instructions (the schedule
// search times the same few instructions of every tiling at each design point).
struct ComputeWork {
  uint64_t gemm_uops = 0, alu_imm_uops = 0, alu_tensor_uops = 0;
  uint64_t starts[3] = {0, 0, 0};  // loop starts per FillPer (Instruction, Outer, Inner), of those that run micro-ops
  uint64_t idle = 0;               // instructions that run no micro-op (each costs a no-op)

  void add(const Insn& i) {
    const uint64_t uops = loop_uops(i);
    if (uops == 0) {
      ++idle;
      return;
    }
    if (i.opcode == Opcode::Gemm) gemm_uops += uops;
    else (i.use_imm ? alu_imm_uops : alu_tensor_uops) += uops;
    for (FillPer per : {FillPer::Instruction, FillPer::Outer, FillPer::Inner}) starts[int(per)] += loop_starts(i, per);
  }
  uint64_t cycles(const ComputeTiming& t) const {
    return gemm_uops + alu_imm_uops * t.alu_imm + alu_tensor_uops * t.alu_tensor + starts[int(t.fill_per)] * t.fill +
           idle * t.noop;
  }
};

// The padding pass of a LOAD: per zero element it inserts, and per SRAM row it walks (INP, WGT and
// ACC loads; micro-op loads have no such pass).
inline uint64_t pad_cycles(const Insn& i, const ComputeTiming& t) {
  if (i.opcode != Opcode::Load || i.x_size == 0 || i.memory_type == MemType::Uop) return 0;
  const SramExtent e = sram_extent(i);
  return e.pad_elems * t.pad_elem + e.rows * t.pad_row;
}

// The cycles an instruction keeps its module busy at the least (DMA at the full port rate, no
// latency): the work the functional engine charges against sim.watchdog.
uint64_t nominal_cycles(const Insn& i, const HwConfig& cfg, const ComputeTiming& t);

}  // namespace vtasim
