// ISA encoding: golden bit positions for the default layout (taken from VTA's hardware specification,
// not from the layout code) and round trips for other configurations.
#include <random>

#include <catch2/catch.hpp>

#include "models/errors.h"
#include "models/hw_config.h"
#include "models/isa.h"

using namespace vtasim;

namespace {

struct Golden {
  Field field;
  int lsb;
  int msb;
};

// Default layout, transcribed by hand from VTA's hw_spec bit layout.
const std::vector<Golden> kMemGolden = {
    {Field::opcode, 0, 2},     {Field::pop_prev_dep, 3, 3}, {Field::pop_next_dep, 4, 4},
    {Field::push_prev_dep, 5, 5}, {Field::push_next_dep, 6, 6}, {Field::memory_type, 7, 9},
    {Field::sram_base, 10, 25}, {Field::dram_base, 26, 57},  {Field::y_size, 64, 79},
    {Field::x_size, 80, 95},   {Field::x_stride, 96, 111},  {Field::y_pad_0, 112, 115},
    {Field::y_pad_1, 116, 119}, {Field::x_pad_0, 120, 123}, {Field::x_pad_1, 124, 127}};
const std::vector<Golden> kGemmGolden = {
    {Field::opcode, 0, 2},          {Field::pop_prev_dep, 3, 3},     {Field::pop_next_dep, 4, 4},
    {Field::push_prev_dep, 5, 5},   {Field::push_next_dep, 6, 6},    {Field::reset_reg, 7, 7},
    {Field::uop_bgn, 8, 20},        {Field::uop_end, 21, 34},        {Field::iter_out, 35, 48},
    {Field::iter_in, 49, 62},       {Field::dst_factor_out, 64, 74}, {Field::dst_factor_in, 75, 85},
    {Field::src_factor_out, 86, 96}, {Field::src_factor_in, 97, 107}, {Field::wgt_factor_out, 108, 117},
    {Field::wgt_factor_in, 118, 127}};
const std::vector<Golden> kAluGolden = {
    {Field::reset_reg, 7, 7},         {Field::uop_bgn, 8, 20},          {Field::uop_end, 21, 34},
    {Field::iter_out, 35, 48},        {Field::iter_in, 49, 62},         {Field::dst_factor_out, 64, 74},
    {Field::dst_factor_in, 75, 85},   {Field::src_factor_out, 86, 96},  {Field::src_factor_in, 97, 107},
    {Field::alu_opcode, 108, 110},    {Field::use_imm, 111, 111},       {Field::imm, 112, 127}};

InsnWord bits_set(int lsb, int msb) {
  InsnWord w;
  for (int b = lsb; b <= msb; ++b) (b < 64 ? w.lo : w.hi) |= 1ULL << (b % 64);
  return w;
}

InsnWord opcode_bits(Opcode op) {
  InsnWord w;
  w.lo = static_cast<uint64_t>(op);
  return w;
}

void check_golden(Opcode op, const std::vector<Golden>& golden, const Isa& isa) {
  for (const auto& g : golden) {
    if (g.field == Field::opcode) continue;
    INFO(opcode_name(op) << " field " << field_name(g.field));
    Insn insn;
    insn.opcode = op;
    const int width = g.msb - g.lsb + 1;
    // All ones in the field: for imm that is -1 (signed), for memory_type 7 is not encodable so
    // use the largest valid value and compare against its own bits.
    int64_t value = (int64_t(1) << width) - 1;
    if (g.field == Field::imm) value = -1;
    if (g.field == Field::memory_type) value = 5;  // ACC_8BIT = 0b101
    if (g.field == Field::alu_opcode) value = 4;   // MUL = 0b100
    set_field(insn, g.field, value);
    const InsnWord w = isa.encode(insn);
    InsnWord expect = bits_set(g.lsb, g.msb);
    if (g.field == Field::memory_type) expect = bits_set(7, 7), expect.lo |= 1ULL << 9;
    if (g.field == Field::alu_opcode) expect = bits_set(110, 110);
    expect.lo |= static_cast<uint64_t>(op);
    CHECK(w.lo == expect.lo);
    CHECK(w.hi == expect.hi);
    CHECK(isa.decode(w) == insn);
  }
}

}  // namespace

TEST_CASE("default layout matches the brief's tables bit for bit", "[isa]") {
  const HwConfig cfg = HwConfig::defaults();
  const Isa& isa = cfg.isa();
  check_golden(Opcode::Load, kMemGolden, isa);
  check_golden(Opcode::Store, kMemGolden, isa);
  check_golden(Opcode::Gemm, kGemmGolden, isa);
  check_golden(Opcode::Finish, kGemmGolden, isa);
  check_golden(Opcode::Alu, kAluGolden, isa);
  CHECK(isa.encode(Insn{}) == opcode_bits(Opcode::Load));
}

TEST_CASE("a whole LOAD instruction encodes to its hand-computed value", "[isa]") {
  Insn i;
  i.opcode = Opcode::Load;
  i.push_next_dep = true;
  i.memory_type = MemType::Inp;
  i.sram_base = 1;
  i.dram_base = 2;
  i.y_size = 3;
  i.x_size = 4;
  i.x_stride = 5;
  i.y_pad_0 = 1;
  i.y_pad_1 = 2;
  i.x_pad_0 = 3;
  i.x_pad_1 = 4;
  // lo: push_next 0x40 | INP(2)<<7 0x100 | 1<<10 0x400 | 2<<26 0x8000000
  // hi: 3 | 4<<16 | 5<<32 | 1<<48 | 2<<52 | 3<<56 | 4<<60
  const HwConfig cfg = HwConfig::defaults();
  const Isa& isa = cfg.isa();
  const InsnWord w = isa.encode(i);
  CHECK(insn_word_to_hex(w) == "43210005000400030000000008000540");
  CHECK(isa.decode(insn_word_from_hex("43210005000400030000000008000540")) == i);
  CHECK(disassemble(i) == "LOAD INP sram=1 dram=2 y=3 x=4 stride=5 pad=1,2,3,4 [push_next]");
}

TEST_CASE("a whole ALU instruction with a negative immediate", "[isa]") {
  Insn i;
  i.opcode = Opcode::Alu;
  i.pop_prev_dep = true;
  i.uop_bgn = 3;
  i.uop_end = 5;
  i.iter_out = 2;
  i.iter_in = 1;
  i.dst_factor_out = 16;
  i.alu_opcode = AluOp::Shr;
  i.use_imm = true;
  i.imm = -2;
  // lo: 4 | 1<<3 | 3<<8 | 5<<21 | 2<<35 | 1<<49 = 0x0002_0010_00A0_030C
  // hi: 16 | SHR(3)<<44 | 1<<47 | 0xFFFE<<48 = 0xFFFE_B000_0000_0010
  const HwConfig cfg = HwConfig::defaults();
  const Isa& isa = cfg.isa();
  CHECK(insn_word_to_hex(isa.encode(i)) == "fffeb000000000100002001000a0030c");
  const Insn back = isa.decode(isa.encode(i));
  CHECK(back.imm == -2);
  CHECK(back == i);
}

TEST_CASE("binary stream byte order: little-endian, low word first", "[isa]") {
  InsnWord w;
  w.lo = 0x0807060504030201ULL;
  w.hi = 0x100f0e0d0c0b0a09ULL;
  uint8_t b[16];
  insn_word_to_bytes(w, b);
  for (int i = 0; i < 16; ++i) CHECK(b[i] == i + 1);
  CHECK(insn_word_from_bytes(b) == w);
}

TEST_CASE("micro-op packing: dst 10:0, src 21:11, wgt 31:22", "[isa]") {
  const HwConfig cfg = HwConfig::defaults();
  const Isa& isa = cfg.isa();
  CHECK(isa.encode_uop({1, 0, 0}) == 1u);
  CHECK(isa.encode_uop({0, 1, 0}) == 1u << 11);
  CHECK(isa.encode_uop({0, 0, 1}) == 1u << 22);
  CHECK(isa.encode_uop({2047, 2047, 1023}) == 0xFFFFFFFFu);
  CHECK(isa.decode_uop(0xFFFFFFFFu) == Uop{2047, 2047, 1023});
  CHECK_THROWS_AS(isa.encode_uop({2048, 0, 0}), UserError);
  CHECK_THROWS_AS(isa.encode_uop({0, 0, 1024}), UserError);
}

TEST_CASE("values wider than their field are errors, never truncated", "[isa]") {
  const HwConfig cfg = HwConfig::defaults();
  const Isa& isa = cfg.isa();
  Insn i;
  i.opcode = Opcode::Load;
  i.x_size = 65536;
  CHECK_THROWS_WITH(isa.encode(i), Catch::Contains("x_size") && Catch::Contains("65536") && Catch::Contains("16 bits"));
  Insn a;
  a.opcode = Opcode::Alu;
  a.imm = 32768;
  CHECK_THROWS_WITH(isa.encode(a), Catch::Contains("imm"));
  a.imm = -32769;
  CHECK_THROWS_AS(isa.encode(a), UserError);
  a.imm = -32768;
  CHECK_NOTHROW(isa.encode(a));
  Insn g;
  g.opcode = Opcode::Gemm;
  g.wgt_factor_in = 1024;
  CHECK_THROWS_WITH(isa.encode(g), Catch::Contains("wgt_factor_in") && Catch::Contains("10 bits"));
}

TEST_CASE("decoding rejects opcodes, memory types and ALU opcodes that do not exist", "[isa]") {
  const HwConfig cfg = HwConfig::defaults();
  const Isa& isa = cfg.isa();
  for (uint64_t op = 5; op < 8; ++op) {
    InsnWord w;
    w.lo = op;
    CHECK_THROWS_WITH(isa.decode(w), Catch::Contains("opcode " + std::to_string(op)));
  }
  InsnWord mem;
  mem.lo = 0 | (6ULL << 7);
  CHECK_THROWS_WITH(isa.decode(mem), Catch::Contains("memory type 6"));
  InsnWord alu;
  alu.lo = 4;
  alu.hi = 7ULL << 44;
  CHECK_THROWS_WITH(isa.decode(alu), Catch::Contains("ALU opcode 7"));
}

TEST_CASE("hex parsing", "[isa]") {
  CHECK_THROWS_WITH(insn_word_from_hex("1234"), Catch::Contains("32 hex digits"));
  CHECK_THROWS_WITH(insn_word_from_hex(std::string(31, '0') + "g"), Catch::Contains("non-hex"));
  CHECK(insn_word_from_hex("0x" + std::string(31, '0') + "3").lo == 3);
}

TEST_CASE("round trips over random field values for several configurations", "[isa]") {
  const std::vector<std::vector<std::string>> configs = {
      {},
      {"LOG_BLOCK=5"},
      {"LOG_BLOCK=3", "LOG_INP_BUFF_SIZE=13", "LOG_ACC_BUFF_SIZE=15"},
      {"LOG_BATCH=2", "LOG_BLOCK=6", "LOG_WGT_BUFF_SIZE=20"},
      {"LOG_BLOCK_IN=5", "LOG_BLOCK_OUT=3", "LOG_UOP_BUFF_SIZE=14"},
      {"LOG_UOP_BUFF_SIZE=16", "LOG_BLOCK=6", "LOG_ACC_BUFF_SIZE=15", "LOG_INP_BUFF_SIZE=14"},
  };
  std::mt19937_64 rng(42);
  for (const auto& sets : configs) {
    const HwConfig cfg = HwConfig::from_json_text("{}", "test", sets);
    const Isa& isa = cfg.isa();
    for (Opcode op : {Opcode::Load, Opcode::Store, Opcode::Gemm, Opcode::Finish, Opcode::Alu}) {
      for (int trial = 0; trial < 200; ++trial) {
        Insn insn;
        insn.opcode = op;
        for (const auto& s : isa.layout_for(op)) {
          if (s.field == Field::opcode) continue;
          int64_t v = static_cast<int64_t>(rng() & ((s.width >= 64) ? ~0ULL : ((1ULL << s.width) - 1)));
          if (s.field == Field::memory_type) v %= 6;
          if (s.field == Field::alu_opcode) v %= 5;
          if (s.field == Field::imm) v -= int64_t(1) << (s.width - 1);
          set_field(insn, s.field, v);
        }
        const InsnWord w = isa.encode(insn);
        INFO(disassemble(insn));
        CHECK(isa.decode(w) == insn);
      }
    }
    for (int trial = 0; trial < 200; ++trial) {
      const Uop u{uint32_t(rng() % cfg.depth(MemType::Acc)), uint32_t(rng() % cfg.depth(MemType::Inp)),
                  uint32_t(rng() % cfg.depth(MemType::Wgt))};
      CHECK(isa.decode_uop(isa.encode_uop(u)) == u);
    }
  }
}

TEST_CASE("index field widths follow the buffer depths", "[isa]") {
  const HwConfig c = HwConfig::from_json_text("{}", "t", {"LOG_BLOCK=5"});
  // BLOCK 32: inp elem 32 B -> 2^10, wgt 1 KiB -> 2^8, acc 128 B -> 2^10
  const Isa& isa = c.isa();
  CHECK(isa.slot(Opcode::Gemm, Field::dst_factor_out)->width == 10);
  CHECK(isa.slot(Opcode::Gemm, Field::src_factor_out)->width == 10);
  CHECK(isa.slot(Opcode::Gemm, Field::wgt_factor_out)->width == 8);
  CHECK(isa.slot(Opcode::Gemm, Field::uop_bgn)->width == 13);
  CHECK(isa.slot(Opcode::Gemm, Field::dst_factor_out)->lsb == 64);
  CHECK(isa.slot(Opcode::Load, Field::reset_reg) == nullptr);
}
