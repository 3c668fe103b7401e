// What every engine counts while it executes a program, timed or not: VTA's functional-simulator
// counters (same names, same meaning), instruction counts, and the kinds of bytes that cross the
// memory port.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/isa.h"

namespace vtasim {

// DRAM traffic by what it carries.
enum class ByteKind : uint8_t { Insn = 0, Uop, Inp, Wgt, Acc, Out };
constexpr int kByteKindCount = 6;
const char* byte_kind_name(ByteKind k);
// The kind of bytes a LOAD/STORE of memory type t moves (ACC_8BIT counts as acc).
ByteKind byte_kind_of(MemType t);

// The on-chip buffers, in the order the access counts use.
enum class Buffer : uint8_t { Uop = 0, Inp, Wgt, Acc, Out };
constexpr int kBufferCount = 5;
const char* buffer_name(Buffer b);  // "uop", "inp", "wgt", "acc", "out"
constexpr int kAluOpCount = 5;      // MIN, MAX, ADD, SHR, MUL

// Accesses of the on-chip buffers in entries (one element of the buffer each), as VTA's design makes
// them: a LOAD writes every entry of its padded window; a STORE reads its OUT entries; a GEMM micro-op
// reads its micro-op, input, weight and accumulator entries and writes the accumulator and its 8-bit
// OUT copy (a reset reads only the micro-op); an ALU micro-op reads its micro-op, the destination and,
// without an immediate, the source accumulator, and writes both. Exact, from the executed instructions.
struct AccessCounts {
  uint64_t reads[kBufferCount] = {};
  uint64_t writes[kBufferCount] = {};
  uint64_t macs = 0;                         // MACs the GEMM core executed (padding lanes included)
  uint64_t alu_lane_ops[kAluOpCount] = {};   // ALU lane operations (BATCH x BLOCK_OUT per micro-op) by opcode
  bool operator==(const AccessCounts& o) const;
  uint64_t alu_ops() const;
};

struct ExecCounters {
  uint64_t inp_load_nbytes = 0;  // bytes moved, padding excluded
  uint64_t wgt_load_nbytes = 0;
  uint64_t acc_load_nbytes = 0;
  uint64_t uop_load_nbytes = 0;
  uint64_t out_store_nbytes = 0;
  uint64_t gemm_counter = 0;  // GEMM micro-ops executed, reset GEMMs not counted
  uint64_t alu_counter = 0;   // ALU micro-ops executed
  uint64_t insn_by_opcode[5] = {0, 0, 0, 0, 0};  // LOAD, STORE, GEMM, FINISH, ALU
  uint64_t noop_count = 0;  // LOAD/STORE with x_size 0 (flags only)
  AccessCounts access;

  bool operator==(const ExecCounters& o) const;
  uint64_t instructions() const;
  // The seven counters under VTA's names, in VTA's order (the one list JSON and CSV output use).
  std::vector<std::pair<const char*, uint64_t>> vta_named() const;
  // DRAM bytes by kind as the program's instructions account them (the instruction stream itself is
  // not an instruction's traffic: insn_bytes gives it).
  uint64_t bytes(ByteKind k, uint64_t insn_bytes) const;
  // VTA's counters plus instruction counts per opcode, as one JSON object text.
  std::string to_json() const;
};

}  // namespace vtasim
