// Compute timing parameters (see compute_timing.h).
#include "models/timing/compute_timing.h"

namespace vtasim {

ComputeTiming ComputeTiming::of(const HwConfig& cfg) {
  const HwParams& p = cfg.params();
  ComputeTiming t;
  t.fill = uint64_t(p.gemm_fill);
  t.fill_per = p.gemm_fill_per == "instruction" ? FillPer::Instruction
               : p.gemm_fill_per == "outer"     ? FillPer::Outer
                                                : FillPer::Inner;
  if (p.alu_model == "lanes") {
    const uint64_t lanes = uint64_t(cfg.batch()) * uint64_t(cfg.block_out());
    const uint64_t passes = (lanes + uint64_t(p.alu_lanes) - 1) / uint64_t(p.alu_lanes);
    t.alu_tensor = passes + uint64_t(p.alu_overhead);
    t.alu_imm = passes + uint64_t(p.alu_imm_overhead);
  } else {
    t.alu_tensor = uint64_t(p.alu_cycles);
    t.alu_imm = uint64_t(p.alu_imm_cycles);
  }
  t.noop = uint64_t(p.noop_cycles);
  t.pad_elem = uint64_t(p.pad_cycles);
  t.pad_row = uint64_t(p.pad_row_cycles);
  return t;
}

uint64_t nominal_cycles(const Insn& i, const HwConfig& cfg, const ComputeTiming& t) {
  switch (i.opcode) {
    case Opcode::Gemm: return gemm_cycles(i, t);
    case Opcode::Alu: return alu_cycles(i, t);
    case Opcode::Finish: return t.noop;
    case Opcode::Load:
    case Opcode::Store: break;
  }
  if (i.x_size == 0) return t.noop;
  const uint64_t rows = i.memory_type == MemType::Uop ? 1 : i.y_size;
  const uint64_t bytes = rows * i.x_size * cfg.elem_bytes(i.memory_type);
  return (bytes + cfg.port_bytes_per_cycle() - 1) / cfg.port_bytes_per_cycle() + pad_cycles(i, t);
}

}  // namespace vtasim
