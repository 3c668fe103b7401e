// VTA instruction encoding: layouts derived from buffer depths, bit packing, disassembly.
#include "models/isa.h"

#include <cinttypes>
#include <cstdio>
#include <sstream>

#include "models/errors.h"

namespace vtasim {

const char* opcode_name(Opcode op) {
  switch (op) {
    case Opcode::Load: return "LOAD";
    case Opcode::Store: return "STORE";
    case Opcode::Gemm: return "GEMM";
    case Opcode::Finish: return "FINISH";
    case Opcode::Alu: return "ALU";
  }
  return "?";
}

const char* mem_type_name(MemType t) {
  switch (t) {
    case MemType::Uop: return "UOP";
    case MemType::Wgt: return "WGT";
    case MemType::Inp: return "INP";
    case MemType::Acc: return "ACC";
    case MemType::Out: return "OUT";
    case MemType::Acc8: return "ACC_8BIT";
  }
  return "?";
}

const char* alu_op_name(AluOp op) {
  switch (op) {
    case AluOp::Min: return "MIN";
    case AluOp::Max: return "MAX";
    case AluOp::Add: return "ADD";
    case AluOp::Shr: return "SHR";
    case AluOp::Mul: return "MUL";
  }
  return "?";
}

const char* field_name(Field f) {
  switch (f) {
#define VTASIM_X(name, kind) \
  case Field::name: return #name;
    VTASIM_INSN_FIELDS(VTASIM_X)
#undef VTASIM_X
    case Field::count: break;
  }
  return "?";
}

int64_t get_field(const Insn& insn, Field f) {
  switch (f) {
#define VTASIM_X(name, kind) \
  case Field::name: return static_cast<int64_t>(insn.name);
    VTASIM_INSN_FIELDS(VTASIM_X)
#undef VTASIM_X
    case Field::count: break;
  }
  return 0;
}

void set_field(Insn& insn, Field f, int64_t value) {
  switch (f) {
#define VTASIM_X(name, kind)                                  \
  case Field::name:                                           \
    insn.name = static_cast<decltype(insn.name)>(value);      \
    return;
    VTASIM_INSN_FIELDS(VTASIM_X)
#undef VTASIM_X
    case Field::count: break;
  }
}

bool Insn::operator==(const Insn& o) const {
  for (int i = 0; i < kFieldCount; ++i) {
    if (get_field(*this, Field(i)) != get_field(o, Field(i))) return false;
  }
  return true;
}

namespace {

struct FieldWidth {
  Field field;
  int width;
};

// Lay fields out like C bit-fields in uint64_t units; returns false when a field does not fit.
bool lay_out(const std::vector<FieldWidth>& fields, int total_bits, std::vector<FieldSlot>& out,
             Field& failed) {
  int pos = 0;
  for (const auto& fw : fields) {
    const int unit_end = (pos / 64 + 1) * 64;
    if (pos + fw.width > unit_end) pos = unit_end;
    if (fw.width > 64 || pos + fw.width > total_bits) {
      failed = fw.field;
      return false;
    }
    out.push_back({fw.field, pos, fw.width});
    pos += fw.width;
  }
  return true;
}

std::vector<FieldSlot> build_layout(const char* kind, const std::vector<FieldWidth>& fields,
                                    const BufferDepthsLog2& d) {
  std::vector<FieldSlot> slots;
  Field failed = Field::count;
  if (!lay_out(fields, 128, slots, failed)) {
    std::ostringstream msg;
    msg << "the " << kind << " instruction field '" << field_name(failed)
        << "' no longer fits in 128 bits with buffer depths uop=2^" << d.uop << ", inp=2^" << d.inp
        << ", wgt=2^" << d.wgt << ", acc=2^" << d.acc
        << " (index fields grow with the buffer depths); use smaller buffers (LOG_*_BUFF_SIZE) "
           "or a larger BATCH/BLOCK";
    throw UserError(msg.str());
  }
  return slots;
}

uint64_t mask_of(int width) { return width >= 64 ? ~0ULL : ((1ULL << width) - 1); }

void put_bits(InsnWord& w, int lsb, int width, uint64_t v) {
  uint64_t& word = lsb < 64 ? w.lo : w.hi;
  word |= (v & mask_of(width)) << (lsb % 64);
}

uint64_t get_bits(const InsnWord& w, int lsb, int width) {
  const uint64_t word = lsb < 64 ? w.lo : w.hi;
  return (word >> (lsb % 64)) & mask_of(width);
}

}  // namespace

Isa::Isa(const BufferDepthsLog2& d) : depths_(d) {
  for (int v : {d.uop, d.inp, d.wgt, d.acc}) {
    if (v < 0 || v > 32) throw UserError("buffer depth 2^" + std::to_string(v) + " is out of range");
  }
  if (d.acc + d.inp + d.wgt > kUopBits) {
    std::ostringstream msg;
    msg << "the micro-op index fields need " << d.acc << "+" << d.inp << "+" << d.wgt << " = "
        << d.acc + d.inp + d.wgt << " bits (acc, inp and wgt depth) but a micro-op has " << kUopBits
        << "; use smaller buffers (LOG_*_BUFF_SIZE) or a larger BATCH/BLOCK";
    throw UserError(msg.str());
  }
  const std::vector<FieldWidth> head = {{Field::opcode, kOpcodeBits},
                                        {Field::pop_prev_dep, 1},
                                        {Field::pop_next_dep, 1},
                                        {Field::push_prev_dep, 1},
                                        {Field::push_next_dep, 1}};
  std::vector<FieldWidth> mem = head;
  mem.insert(mem.end(), {{Field::memory_type, kMemTypeBits},
                         {Field::sram_base, kSramAddrBits},
                         {Field::dram_base, kDramAddrBits},
                         {Field::y_size, kSizeBits},
                         {Field::x_size, kSizeBits},
                         {Field::x_stride, kStrideBits},
                         {Field::y_pad_0, kPadBits},
                         {Field::y_pad_1, kPadBits},
                         {Field::x_pad_0, kPadBits},
                         {Field::x_pad_1, kPadBits}});
  std::vector<FieldWidth> loop = head;
  loop.insert(loop.end(), {{Field::reset_reg, 1},
                           {Field::uop_bgn, d.uop},
                           {Field::uop_end, d.uop + 1},
                           {Field::iter_out, kLoopIterBits},
                           {Field::iter_in, kLoopIterBits},
                           {Field::dst_factor_out, d.acc},
                           {Field::dst_factor_in, d.acc},
                           {Field::src_factor_out, d.inp},
                           {Field::src_factor_in, d.inp}});
  std::vector<FieldWidth> gemm = loop;
  gemm.insert(gemm.end(), {{Field::wgt_factor_out, d.wgt}, {Field::wgt_factor_in, d.wgt}});
  std::vector<FieldWidth> alu = loop;
  alu.insert(alu.end(), {{Field::alu_opcode, kAluOpBits}, {Field::use_imm, 1}, {Field::imm, kImmBits}});

  mem_ = build_layout("LOAD/STORE", mem, d);
  gemm_ = build_layout("GEMM", gemm, d);
  alu_ = build_layout("ALU", alu, d);

}

const std::vector<FieldSlot>& Isa::layout_for(Opcode op) const {
  switch (op) {
    case Opcode::Load:
    case Opcode::Store: return mem_;
    case Opcode::Alu: return alu_;
    case Opcode::Gemm:
    case Opcode::Finish: break;
  }
  return gemm_;
}

const FieldSlot* Isa::slot(Opcode op, Field f) const {
  for (const auto& s : layout_for(op)) {
    if (s.field == f) return &s;
  }
  return nullptr;
}

InsnWord Isa::encode(const Insn& insn) const {
  const int op = static_cast<int>(insn.opcode);
  if (op > static_cast<int>(Opcode::Alu)) {
    throw UserError("cannot encode opcode " + std::to_string(op) + ": valid opcodes are 0-4");
  }
  InsnWord w;
  for (const auto& s : layout_for(insn.opcode)) {
    const int64_t v = get_field(insn, s.field);
    const bool is_signed = s.field == Field::imm;
    const int64_t lo = is_signed ? -(int64_t(1) << (s.width - 1)) : 0;
    const int64_t hi = is_signed ? (int64_t(1) << (s.width - 1)) - 1 : int64_t(mask_of(s.width));
    if (v < lo || v > hi) {
      std::ostringstream msg;
      msg << "cannot encode " << opcode_name(insn.opcode) << " field '" << field_name(s.field)
          << "' = " << v << ": it is " << s.width << " bits wide (range " << lo << ".." << hi << ")";
      throw UserError(msg.str());
    }
    put_bits(w, s.lsb, s.width, static_cast<uint64_t>(v));
  }
  return w;
}

Insn Isa::decode(const InsnWord& w) const {
  const uint64_t op = get_bits(w, 0, kOpcodeBits);
  if (op > static_cast<uint64_t>(Opcode::Alu)) {
    throw UserError("opcode " + std::to_string(op) + " does not exist (valid: 0 LOAD, 1 STORE, 2 GEMM, 3 FINISH, 4 ALU)");
  }
  Insn insn;
  insn.opcode = static_cast<Opcode>(op);
  for (const auto& s : layout_for(insn.opcode)) {
    uint64_t raw = get_bits(w, s.lsb, s.width);
    int64_t v = static_cast<int64_t>(raw);
    if (s.field == Field::imm && s.width < 64 && (raw >> (s.width - 1)) != 0) {
      v = static_cast<int64_t>(raw | ~mask_of(s.width));  // sign-extend
    }
    if (s.field == Field::memory_type && raw > static_cast<uint64_t>(MemType::Acc8)) {
      throw UserError("memory type " + std::to_string(raw) + " does not exist (valid: 0-5)");
    }
    if (s.field == Field::alu_opcode && raw > static_cast<uint64_t>(AluOp::Mul)) {
      throw UserError("ALU opcode " + std::to_string(raw) + " does not exist (valid: 0-4)");
    }
    set_field(insn, s.field, v);
  }
  return insn;
}

uint32_t Isa::encode_uop(const Uop& u) const {
  const struct {
    const char* name;
    uint32_t value;
    int bits;
  } parts[] = {{"dst", u.dst, uop_dst_bits()}, {"src", u.src, uop_src_bits()}, {"wgt", u.wgt, uop_wgt_bits()}};
  uint32_t word = 0;
  int pos = 0;
  for (const auto& p : parts) {
    if (uint64_t(p.value) > mask_of(p.bits)) {
      throw UserError("cannot encode micro-op field '" + std::string(p.name) + "' = " + std::to_string(p.value) +
                      ": it is " + std::to_string(p.bits) + " bits wide");
    }
    word |= static_cast<uint32_t>(uint64_t(p.value) << pos);
    pos += p.bits;
  }
  return word;
}

Uop Isa::decode_uop(uint32_t word) const {
  Uop u;
  u.dst = static_cast<uint32_t>(word & mask_of(uop_dst_bits()));
  u.src = static_cast<uint32_t>((uint64_t(word) >> uop_dst_bits()) & mask_of(uop_src_bits()));
  u.wgt = static_cast<uint32_t>((uint64_t(word) >> (uop_dst_bits() + uop_src_bits())) & mask_of(uop_wgt_bits()));
  return u;
}

namespace {

std::string dep_flags_text(const Insn& i) {
  std::string s;
  auto add = [&](bool on, const char* name) {
    if (!on) return;
    s += s.empty() ? " [" : ",";
    s += name;
  };
  add(i.pop_prev_dep, "pop_prev");
  add(i.pop_next_dep, "pop_next");
  add(i.push_prev_dep, "push_prev");
  add(i.push_next_dep, "push_next");
  if (!s.empty()) s += "]";
  return s;
}

// The fields of an instruction kind; independent of the configuration's widths.
std::vector<Field> fields_of(Opcode op) {
  std::vector<Field> out;
  const Isa generic(BufferDepthsLog2{});
  for (const auto& s : generic.layout_for(op)) out.push_back(s.field);
  return out;
}

const std::vector<Field>& cached_fields_of(Opcode op) {
  static const std::vector<Field> mem = fields_of(Opcode::Load);
  static const std::vector<Field> gemm = fields_of(Opcode::Gemm);
  static const std::vector<Field> alu = fields_of(Opcode::Alu);
  switch (op) {
    case Opcode::Load:
    case Opcode::Store: return mem;
    case Opcode::Alu: return alu;
    default: return gemm;
  }
}

}  // namespace

std::string disassemble(const Insn& i) {
  std::ostringstream os;
  os << opcode_name(i.opcode);
  switch (i.opcode) {
    case Opcode::Load:
    case Opcode::Store:
      os << ' ' << mem_type_name(i.memory_type);
      if (i.x_size == 0) {
        os << " nop";
      } else {
        os << " sram=" << i.sram_base << " dram=" << i.dram_base << " y=" << i.y_size << " x=" << i.x_size
           << " stride=" << i.x_stride;
        if (i.y_pad_0 || i.y_pad_1 || i.x_pad_0 || i.x_pad_1) {
          os << " pad=" << i.y_pad_0 << ',' << i.y_pad_1 << ',' << i.x_pad_0 << ',' << i.x_pad_1;
        }
      }
      break;
    case Opcode::Gemm:
    case Opcode::Alu:
      if (i.opcode == Opcode::Alu) {
        os << ' ' << alu_op_name(i.alu_opcode);
        if (i.use_imm) os << " imm=" << i.imm;
      }
      if (i.reset_reg) os << " reset";
      os << " uop=" << i.uop_bgn << ':' << i.uop_end << " iter=" << i.iter_out << 'x' << i.iter_in
         << " dst=" << i.dst_factor_out << ',' << i.dst_factor_in << " src=" << i.src_factor_out << ','
         << i.src_factor_in;
      if (i.opcode == Opcode::Gemm) os << " wgt=" << i.wgt_factor_out << ',' << i.wgt_factor_in;
      break;
    case Opcode::Finish: break;
  }
  os << dep_flags_text(i);
  return os.str();
}

std::string insn_to_json(const Insn& insn) {
  std::ostringstream os;
  bool first = true;
  for (Field f : cached_fields_of(insn.opcode)) {
    os << (first ? "{" : ", ") << '"' << field_name(f) << "\": ";
    first = false;
    switch (f) {
      case Field::opcode: os << '"' << opcode_name(insn.opcode) << '"'; break;
      case Field::memory_type: os << '"' << mem_type_name(insn.memory_type) << '"'; break;
      case Field::alu_opcode: os << '"' << alu_op_name(insn.alu_opcode) << '"'; break;
      default: os << get_field(insn, f); break;
    }
  }
  os << '}';
  return os.str();
}

InsnWord insn_word_from_bytes(const uint8_t* b) {
  InsnWord w;
  for (int i = 7; i >= 0; --i) {
    w.lo = (w.lo << 8) | b[i];
    w.hi = (w.hi << 8) | b[8 + i];
  }
  return w;
}

void insn_word_to_bytes(const InsnWord& w, uint8_t* b) {
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<uint8_t>(w.lo >> (8 * i));
    b[8 + i] = static_cast<uint8_t>(w.hi >> (8 * i));
  }
}

InsnWord insn_word_from_hex(const std::string& text) {
  std::string hex = text;
  if (hex.size() > 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex = hex.substr(2);
  if (hex.size() != 32) {
    throw UserError("instruction '" + text + "' must be exactly 32 hex digits (128 bits, most significant first), got " +
                    std::to_string(hex.size()));
  }
  InsnWord w;
  for (size_t i = 0; i < 32; ++i) {
    const char c = hex[i];
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else throw UserError("instruction '" + text + "' has a non-hex character '" + std::string(1, c) + "'");
    uint64_t& word = i < 16 ? w.hi : w.lo;
    word = (word << 4) | uint64_t(v);
  }
  return w;
}

std::string insn_word_to_hex(const InsnWord& w) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016" PRIx64 "%016" PRIx64, w.hi, w.lo);
  return buf;
}

namespace {

Insn make_memory(Opcode op, MemType t, uint32_t sram_base, uint32_t dram_base, uint32_t y, uint32_t x, uint32_t stride) {
  Insn i;
  i.opcode = op;
  i.memory_type = t;
  i.sram_base = sram_base;
  i.dram_base = dram_base;
  i.y_size = y;
  i.x_size = x;
  i.x_stride = stride;
  return i;
}

}  // namespace

Insn make_load(MemType t, uint32_t sram_base, uint32_t dram_base, uint32_t y, uint32_t x, uint32_t stride) {
  return make_memory(Opcode::Load, t, sram_base, dram_base, y, x, stride);
}

Insn make_store(uint32_t sram_base, uint32_t dram_base, uint32_t y, uint32_t x, uint32_t stride) {
  return make_memory(Opcode::Store, MemType::Out, sram_base, dram_base, y, x, stride);
}

uint64_t loop_uops(const Insn& i) {
  const uint64_t span = i.uop_end > i.uop_bgn ? i.uop_end - i.uop_bgn : 0;
  return uint64_t(i.iter_out) * i.iter_in * span;
}

bool load_pads(MemType t) { return t == MemType::Inp || t == MemType::Acc || t == MemType::Acc8; }

SramExtent sram_extent(const Insn& i) {
  SramExtent e;
  if (i.x_size == 0) return e;
  if (i.opcode == Opcode::Load && i.memory_type == MemType::Uop) {
    e.rows = 1;
    e.cols = i.x_size;
    return e;
  }
  if (i.opcode == Opcode::Load && load_pads(i.memory_type)) {
    e.rows = uint64_t(i.y_pad_0) + i.y_size + i.y_pad_1;
    e.cols = uint64_t(i.x_pad_0) + i.x_size + i.x_pad_1;
    e.pad_elems = e.elems() - uint64_t(i.x_size) * i.y_size;
    return e;
  }
  e.rows = i.y_size;
  e.cols = i.x_size;
  return e;
}

}  // namespace vtasim
