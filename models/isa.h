// The VTA instruction set: decoded instruction and micro-op values, the bit layout derived from the
// buffer depths of a configuration, encoding, decoding and disassembly.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace vtasim {

enum class Opcode : uint8_t { Load = 0, Store = 1, Gemm = 2, Finish = 3, Alu = 4 };
enum class MemType : uint8_t { Uop = 0, Wgt = 1, Inp = 2, Acc = 3, Out = 4, Acc8 = 5 };
enum class AluOp : uint8_t { Min = 0, Max = 1, Add = 2, Shr = 3, Mul = 4 };

const char* opcode_name(Opcode op);
const char* mem_type_name(MemType t);
const char* alu_op_name(AluOp op);

// Every instruction field, in VTA's names. X(name, kind): kind is one of Opcode, Bool, MemType,
// Unsigned, AluOp, Signed and tells how a raw field value maps to the member.
#define VTASIM_INSN_FIELDS(X)                                                                      \
  X(opcode, Opcode)                                                                                \
  X(pop_prev_dep, Bool)                                                                            \
  X(pop_next_dep, Bool)                                                                            \
  X(push_prev_dep, Bool)                                                                           \
  X(push_next_dep, Bool)                                                                           \
  X(memory_type, MemType)                                                                          \
  X(sram_base, Unsigned)                                                                           \
  X(dram_base, Unsigned)                                                                           \
  X(y_size, Unsigned)                                                                              \
  X(x_size, Unsigned)                                                                              \
  X(x_stride, Unsigned)                                                                            \
  X(y_pad_0, Unsigned)                                                                             \
  X(y_pad_1, Unsigned)                                                                             \
  X(x_pad_0, Unsigned)                                                                             \
  X(x_pad_1, Unsigned)                                                                             \
  X(reset_reg, Bool)                                                                               \
  X(uop_bgn, Unsigned)                                                                             \
  X(uop_end, Unsigned)                                                                             \
  X(iter_out, Unsigned)                                                                            \
  X(iter_in, Unsigned)                                                                             \
  X(dst_factor_out, Unsigned)                                                                      \
  X(dst_factor_in, Unsigned)                                                                       \
  X(src_factor_out, Unsigned)                                                                      \
  X(src_factor_in, Unsigned)                                                                       \
  X(wgt_factor_out, Unsigned)                                                                      \
  X(wgt_factor_in, Unsigned)                                                                       \
  X(alu_opcode, AluOp)                                                                             \
  X(use_imm, Bool)                                                                                 \
  X(imm, Signed)

enum class Field : uint8_t {
#define VTASIM_X(name, kind) name,
  VTASIM_INSN_FIELDS(VTASIM_X)
#undef VTASIM_X
      count
};
constexpr int kFieldCount = static_cast<int>(Field::count);
const char* field_name(Field f);

// One decoded instruction. Which members are meaningful depends on the opcode: LOAD/STORE use the
// memory fields, GEMM/FINISH the GEMM fields, ALU the ALU fields; the rest stay zero.
struct Insn {
  Opcode opcode = Opcode::Load;
  bool pop_prev_dep = false;
  bool pop_next_dep = false;
  bool push_prev_dep = false;
  bool push_next_dep = false;
  MemType memory_type = MemType::Uop;
  uint32_t sram_base = 0;
  uint32_t dram_base = 0;
  uint32_t y_size = 0;
  uint32_t x_size = 0;
  uint32_t x_stride = 0;
  uint32_t y_pad_0 = 0;
  uint32_t y_pad_1 = 0;
  uint32_t x_pad_0 = 0;
  uint32_t x_pad_1 = 0;
  bool reset_reg = false;
  uint32_t uop_bgn = 0;
  uint32_t uop_end = 0;
  uint32_t iter_out = 0;
  uint32_t iter_in = 0;
  uint32_t dst_factor_out = 0;
  uint32_t dst_factor_in = 0;
  uint32_t src_factor_out = 0;
  uint32_t src_factor_in = 0;
  uint32_t wgt_factor_out = 0;
  uint32_t wgt_factor_in = 0;
  AluOp alu_opcode = AluOp::Min;
  bool use_imm = false;
  int32_t imm = 0;

  bool is_memory() const { return opcode == Opcode::Load || opcode == Opcode::Store; }
  // A LOAD/STORE with x_size 0 moves nothing and only carries dependency flags.
  bool is_noop() const { return is_memory() && x_size == 0; }

  bool operator==(const Insn& o) const;
  bool operator!=(const Insn& o) const { return !(*this == o); }
};

int64_t get_field(const Insn& insn, Field f);
void set_field(Insn& insn, Field f, int64_t value);

// A 128-bit instruction word: bits 0-63 in lo, bits 64-127 in hi.
struct InsnWord {
  uint64_t lo = 0;
  uint64_t hi = 0;
  bool operator==(const InsnWord& o) const { return lo == o.lo && hi == o.hi; }
};

struct Uop {
  uint32_t dst = 0;  // acc index
  uint32_t src = 0;  // inp index (GEMM) or acc index (ALU)
  uint32_t wgt = 0;  // wgt index
  bool operator==(const Uop& o) const { return dst == o.dst && src == o.src && wgt == o.wgt; }
};

struct FieldSlot {
  Field field;
  int lsb;
  int width;
};

// log2 of the buffer depths (in elements): they set the index-field widths.
struct BufferDepthsLog2 {
  int uop = 13;
  int inp = 11;
  int wgt = 10;
  int acc = 11;
};

// The instruction set of one configuration: the bit position of every field, and encoding and
// decoding. Fields are laid out like C bit-fields in two 64-bit words: in order from bit 0, a field
// that would cross bit 64 starts at bit 64 instead. The index fields follow the buffer depths, so a
// configuration whose fields no longer fit in 128 bits (or whose micro-op fields no longer fit in 32)
// cannot be encoded and is rejected.
class Isa {
 public:
  static constexpr int kOpcodeBits = 3;
  static constexpr int kMemTypeBits = 3;
  static constexpr int kSramAddrBits = 16;
  static constexpr int kDramAddrBits = 32;
  static constexpr int kSizeBits = 16;
  static constexpr int kStrideBits = 16;
  static constexpr int kPadBits = 4;
  static constexpr int kLoopIterBits = 14;
  static constexpr int kAluOpBits = 3;
  static constexpr int kImmBits = 16;
  static constexpr int kUopBits = 32;

  // Throws UserError naming the field that no longer fits and the depths that caused it.
  explicit Isa(const BufferDepthsLog2& depths);

  const std::vector<FieldSlot>& memory_layout() const { return mem_; }
  const std::vector<FieldSlot>& gemm_layout() const { return gemm_; }  // also FINISH
  const std::vector<FieldSlot>& alu_layout() const { return alu_; }
  const std::vector<FieldSlot>& layout_for(Opcode op) const;
  // The slot of a field in an opcode's layout; nullptr if that opcode has no such field.
  const FieldSlot* slot(Opcode op, Field f) const;
  int uop_dst_bits() const { return depths_.acc; }
  int uop_src_bits() const { return depths_.inp; }
  int uop_wgt_bits() const { return depths_.wgt; }
  const BufferDepthsLog2& depths() const { return depths_; }

  // A field value that does not fit its width is a UserError naming the field, the value and the
  // width, never silently truncated.
  InsnWord encode(const Insn& insn) const;
  // Throws UserError for an opcode, memory type or ALU opcode that does not exist.
  Insn decode(const InsnWord& word) const;

  uint32_t encode_uop(const Uop& uop) const;
  Uop decode_uop(uint32_t word) const;

 private:
  BufferDepthsLog2 depths_;
  std::vector<FieldSlot> mem_, gemm_, alu_;
};

// A LOAD of `t` or a STORE of OUT: y rows of x elements, DRAM rows `stride` elements apart, no padding
// and no dependency flags (set those on the result).
Insn make_load(MemType t, uint32_t sram_base, uint32_t dram_base, uint32_t y, uint32_t x, uint32_t stride);
Insn make_store(uint32_t sram_base, uint32_t dram_base, uint32_t y, uint32_t x, uint32_t stride);

// Micro-ops one GEMM or ALU instruction executes (iter_out x iter_in x the micro-op range).
uint64_t loop_uops(const Insn& insn);

// Whether a LOAD of memory type t inserts zero padding: INP and ACC loads do; WGT and UOP loads
// ignore the pad fields.
bool load_pads(MemType t);

// The SRAM region a LOAD writes or a STORE reads, from sram_base: rows x cols elements, padding
// included (UOP loads are one row of x_size micro-ops). A no-op (x_size 0) touches nothing.
struct SramExtent {
  uint64_t rows = 0;
  uint64_t cols = 0;
  uint64_t pad_elems = 0;  // zero elements a LOAD inserts
  uint64_t elems() const { return rows * cols; }
};
SramExtent sram_extent(const Insn& insn);

// Assembly-like one-line rendering, e.g. "LOAD INP sram=0 dram=64 y=4 x=14 stride=56 pad=1,1,1,1".
std::string disassemble(const Insn& insn);
// One JSON object (single line) with opcode/memory type/ALU op by name and every other field of the
// instruction kind under VTA's names.
std::string insn_to_json(const Insn& insn);

// Raw instruction stream helpers: 16 bytes per instruction, little-endian, low 64-bit word first.
InsnWord insn_word_from_bytes(const uint8_t* bytes16);
void insn_word_to_bytes(const InsnWord& w, uint8_t* bytes16);
// 32 hex digits, most significant first. Throws UserError on malformed text.
InsnWord insn_word_from_hex(const std::string& hex);
std::string insn_word_to_hex(const InsnWord& w);

}  // namespace vtasim
