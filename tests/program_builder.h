// Builds small VTA programs by hand for tests: a flat DRAM image (all bases 0, VTA's convention),
// data regions aligned to their element size, instructions appended after the data.
#pragma once

#include <cstring>
#include <vector>

#include "models/functional_engine.h"
#include "models/hw_config.h"
#include "models/isa.h"
#include "models/program_image.h"
#include "models/vta_core.h"

namespace vtasim::test {

class ProgramBuilder {
 public:
  explicit ProgramBuilder(const HwConfig& cfg) : cfg_(cfg) {}

  const HwConfig& cfg() const { return cfg_; }

  // Reserves `elems` elements of type t; returns their dram_base (element index).
  uint32_t alloc(MemType t, size_t elems) {
    const size_t eb = cfg_.elem_bytes(t);
    size_t addr = (dram_.size() + eb - 1) / eb * eb;
    dram_.resize(addr + elems * eb, 0);
    return uint32_t(addr / eb);
  }
  template <typename T>
  uint32_t put(MemType t, const std::vector<T>& values) {
    const size_t bytes = values.size() * sizeof(T);
    const size_t eb = cfg_.elem_bytes(t);
    const uint32_t base = alloc(t, (bytes + eb - 1) / eb);
    std::memcpy(&dram_[size_t(base) * eb], values.data(), bytes);
    return base;
  }
  uint32_t put_uops(const std::vector<Uop>& uops) {
    std::vector<uint32_t> words;
    for (const auto& u : uops) words.push_back(cfg_.isa().encode_uop(u));
    return put(MemType::Uop, words);
  }
  template <typename T>
  std::vector<T> read(const std::vector<uint8_t>& dram, MemType t, uint32_t base, size_t count) const {
    std::vector<T> out(count);
    std::memcpy(out.data(), &dram[size_t(base) * cfg_.elem_bytes(t)], count * sizeof(T));
    return out;
  }

  Insn& mem(Opcode op, MemType t, uint32_t sram, uint32_t dram, uint32_t y, uint32_t x, uint32_t stride,
            uint32_t yp0 = 0, uint32_t yp1 = 0, uint32_t xp0 = 0, uint32_t xp1 = 0) {
    Insn i;
    i.opcode = op;
    i.memory_type = t;
    i.sram_base = sram;
    i.dram_base = dram;
    i.y_size = y;
    i.x_size = x;
    i.x_stride = stride;
    i.y_pad_0 = yp0;
    i.y_pad_1 = yp1;
    i.x_pad_0 = xp0;
    i.x_pad_1 = xp1;
    insns_.push_back(i);
    return insns_.back();
  }
  Insn& load(MemType t, uint32_t sram, uint32_t dram, uint32_t y, uint32_t x, uint32_t stride, uint32_t yp0 = 0,
             uint32_t yp1 = 0, uint32_t xp0 = 0, uint32_t xp1 = 0) {
    return mem(Opcode::Load, t, sram, dram, y, x, stride, yp0, yp1, xp0, xp1);
  }
  Insn& store(uint32_t sram, uint32_t dram, uint32_t y, uint32_t x, uint32_t stride) {
    return mem(Opcode::Store, MemType::Out, sram, dram, y, x, stride);
  }
  Insn& noop(Opcode op, MemType t) { return mem(op, t, 0, 0, 0, 0, 0); }
  Insn& loop(Opcode op, uint32_t bgn, uint32_t end, uint32_t iter_out, uint32_t iter_in) {
    Insn i;
    i.opcode = op;
    i.uop_bgn = bgn;
    i.uop_end = end;
    i.iter_out = iter_out;
    i.iter_in = iter_in;
    insns_.push_back(i);
    return insns_.back();
  }
  Insn& gemm(uint32_t bgn, uint32_t end, uint32_t iter_out = 1, uint32_t iter_in = 1) {
    return loop(Opcode::Gemm, bgn, end, iter_out, iter_in);
  }
  Insn& alu(AluOp op, uint32_t bgn, uint32_t end, bool use_imm = false, int32_t imm = 0) {
    Insn& i = loop(Opcode::Alu, bgn, end, 1, 1);
    i.alu_opcode = op;
    i.use_imm = use_imm;
    i.imm = imm;
    return i;
  }
  Insn& finish() { return loop(Opcode::Finish, 0, 0, 0, 0); }
  std::vector<Insn>& insns() { return insns_; }

  ProgramImage image() const {
    ProgramImage img;
    img.dram = dram_;
    img.insn_addr = (img.dram.size() + 15) / 16 * 16;
    img.dram.resize(img.insn_addr + insns_.size() * kInsnBytes, 0);
    for (size_t k = 0; k < insns_.size(); ++k) {
      insn_word_to_bytes(cfg_.isa().encode(insns_[k]), &img.dram[img.insn_addr + k * kInsnBytes]);
    }
    img.insn_count = uint32_t(insns_.size());
    return img;
  }

 private:
  HwConfig cfg_;
  std::vector<uint8_t> dram_;
  std::vector<Insn> insns_;
};

// Executes instructions one after another on a core, ignoring tokens: the semantics of each
// instruction in isolation.
inline void run_in_order(VtaCore& core, ProgramImage& img) {
  const auto program = decode_program(img, core.config().isa());
  for (size_t k = 0; k < program.size(); ++k) {
    const Insn& i = program[k];
    switch (i.opcode) {
      case Opcode::Load:
      case Opcode::Store: {
        core.check_memory(i, k, img.dram.size(), img.bases);
        const DramRows r = core.dram_rows(i, img.bases);
        uint8_t* p = img.dram.data() + (r.rows ? r.addr : 0);
        if (i.opcode == Opcode::Load) core.load(i, p, r.stride_bytes);
        else core.store(i, p, r.stride_bytes);
        break;
      }
      case Opcode::Gemm: core.gemm(i, k); break;
      case Opcode::Alu: core.alu(i, k); break;
      case Opcode::Finish: core.account(i); break;
    }
  }
}

}  // namespace vtasim::test
