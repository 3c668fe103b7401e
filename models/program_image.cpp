// Program image decoding and shape checks.
#include "models/program_image.h"


#include "models/checked.h"
#include "models/errors.h"
#include "models/parse.h"

namespace vtasim {

uint64_t MemBases::of(MemType t) const {
  switch (t) {
    case MemType::Uop: return uop;
    case MemType::Inp: return inp;
    case MemType::Wgt: return wgt;
    case MemType::Acc:
    case MemType::Acc8: return acc;
    case MemType::Out: return out;
  }
  return 0;
}

std::vector<Insn> decode_program(const ProgramImage& image, const Isa& isa) {
  const auto end = checked_mul_add(image.insn_count, kInsnBytes, image.insn_addr);
  if (!end || *end > image.dram_size() || image.insn_addr < image.dram_floor) {
    throw UserError("the instruction stream (" + std::to_string(image.insn_count) + " instructions at address " +
                    format_address(image.insn_addr) + ") ends " +
                    (end ? "at byte " + std::to_string(*end) : std::string("past the 64-bit address space")) +
                    ", beyond the " + std::to_string(image.dram_size()) + "-byte DRAM image");
  }
  std::vector<Insn> program;
  program.reserve(image.insn_count);
  for (uint32_t i = 0; i < image.insn_count; ++i) {
    const InsnWord w = insn_word_from_bytes(&image.dram[image.insn_addr - image.dram_floor + uint64_t(i) * kInsnBytes]);
    try {
      program.push_back(isa.decode(w));
    } catch (const UserError& e) {
      throw UserError("instruction " + std::to_string(i) + " (" + insn_word_to_hex(w) + "): " + e.what());
    }
  }
  return program;
}

void check_program_shape(const std::vector<Insn>& program) {
  if (program.empty()) throw UserError("the program has no instructions (it must end with FINISH)");
  for (size_t i = 0; i < program.size(); ++i) {
    if (program[i].opcode == Opcode::Finish && i + 1 != program.size()) {
      throw UserError("instruction " + std::to_string(i + 1) + " (" + disassemble(program[i + 1]) +
                      ") follows FINISH at instruction " + std::to_string(i) + "; FINISH must be the last instruction");
    }
  }
  if (program.back().opcode != Opcode::Finish) {
    throw UserError("the program does not end with FINISH (last is instruction " + std::to_string(program.size() - 1) +
                    ": " + disassemble(program.back()) + ")");
  }
}

}  // namespace vtasim
