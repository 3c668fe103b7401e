// A program image: DRAM content plus where the instruction stream and each memory type's region
// are, so programs produced by anyone (vtasim's runtime, VTA's own tools) can be replayed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/isa.h"

namespace vtasim {

// Where each memory type's DRAM region starts: a LOAD/STORE of type T addresses byte
// base(T) + dram_base * elem_bytes(T). VTA's runtime uses 0 for all (one flat physical space).
struct MemBases {
  uint64_t uop = 0;
  uint64_t inp = 0;
  uint64_t wgt = 0;
  uint64_t acc = 0;  // also ACC_8BIT
  uint64_t out = 0;
  uint64_t of(MemType t) const;
};

struct ProgramImage {
  std::vector<uint8_t> dram;  // physical address dram_floor upward
  // Addresses below dram_floor hold zeros that are not stored: a timing-only compile (all data zero)
  // keeps only its micro-ops and instructions. Engines that move data need dram_floor == 0.
  uint64_t dram_floor = 0;
  uint64_t insn_addr = 0;  // instruction i is the 16 bytes at insn_addr + 16 * i
  uint32_t insn_count = 0;
  MemBases bases;

  uint64_t dram_size() const { return dram_floor + dram.size(); }  // the DRAM's size in bytes
};

constexpr uint32_t kInsnBytes = 16;

// Decodes the instruction stream of an image. Throws UserError naming the instruction index for an
// undecodable instruction, and for a stream that reaches beyond the DRAM image.
std::vector<Insn> decode_program(const ProgramImage& image, const Isa& isa);

// Checks the program's shape before anything runs: exactly one FINISH and it is the last
// instruction. Throws UserError naming the offending instruction.
void check_program_shape(const std::vector<Insn>& program);

}  // namespace vtasim
