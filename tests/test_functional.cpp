// The functional core: instruction semantics through the HLS kernels, the untimed scheduler, bounds
// and flag checks. Expected values come from reference arithmetic written here, independently of the
// kernels, never from the executor itself.
#include <climits>
#include <random>

#include <catch2/catch.hpp>

#include "models/energy.h"
#include "models/errors.h"
#include "program_builder.h"

using namespace vtasim;
using vtasim::test::ProgramBuilder;
using vtasim::test::run_in_order;

namespace {

// Reference ALU lane in 64-bit arithmetic (floor division for right shifts, explicit mod 2^32), with
// VTA's operand rules: SHR by the operand's low 5 bits as a signed number (-16..15, negative shifts
// left), MUL by its low 8 bits, signed.
int32_t wrap32(int64_t v) { return int32_t(uint32_t(uint64_t(v))); }
int32_t ref_alu(AluOp op, int32_t a, int32_t b) {
  switch (op) {
    case AluOp::Min: return a < b ? a : b;
    case AluOp::Max: return a > b ? a : b;
    case AluOp::Add: return wrap32(int64_t(a) + b);
    case AluOp::Mul: {
      int64_t m = int64_t(uint32_t(b) % 256);
      if (m >= 128) m -= 256;
      return wrap32(int64_t(a) * m);
    }
    case AluOp::Shr: {
      int64_t sh = int64_t(uint32_t(b) % 32);
      if (sh >= 16) sh -= 32;
      if (sh >= 0) {
        const int64_t d = int64_t(1) << sh;
        int64_t q = int64_t(a) / d;
        if ((int64_t(a) % d) != 0 && a < 0) q -= 1;  // floor
        return int32_t(q);
      }
      return wrap32(int64_t(a) * (int64_t(1) << (-sh)));
    }
  }
  return 0;
}

HwConfig cfg_with(const std::vector<std::string>& sets) { return HwConfig::from_json_text("{}", "test", sets); }

// 8 x 8 core: with the default buffer sizes its deeper buffers would need 36-bit micro-ops, so the
// buffers shrink to 1024 entries each.
HwConfig block8_cfg() {
  return cfg_with({"LOG_BLOCK=3", "LOG_INP_BUFF_SIZE=13", "LOG_WGT_BUFF_SIZE=16", "LOG_ACC_BUFF_SIZE=15"});
}

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("reference ALU lane sanity (hand-computed)", "[functional]") {
  CHECK(ref_alu(AluOp::Shr, -5, 1) == -3);
  CHECK(ref_alu(AluOp::Shr, 5, 1) == 2);
  CHECK(ref_alu(AluOp::Shr, 3, -2) == 12);
  CHECK(ref_alu(AluOp::Add, INT32_MAX, 1) == INT32_MIN);
  // Shift amounts wrap to their low 5 bits, signed: 20 is -12 (a left shift), 33 is 1, -17 is 15.
  CHECK(ref_alu(AluOp::Shr, 1, 20) == 4096);
  CHECK(ref_alu(AluOp::Shr, 8, 33) == 4);
  CHECK(ref_alu(AluOp::Shr, 1 << 20, -17) == 32);
  // The multiplier is the low 8 bits, signed: 300 is 44, 255 is -1.
  CHECK(ref_alu(AluOp::Mul, 3, 300) == 132);
  CHECK(ref_alu(AluOp::Mul, 3, 255) == -3);
}

TEST_CASE("every ALU opcode, immediate and tensor operands, extremes", "[functional][alu]") {
  const HwConfig cfg = block8_cfg();  // 1 x 8 lanes
  const int lanes = cfg.batch() * cfg.block_out();
  const std::vector<int32_t> extremes = {0, 1, -1, 127, -128, 128, -129, 255, 31, -31, 32, -32, 33,
                                         INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1, 65536, -65536, 7};
  std::mt19937 rng(7);
  for (AluOp op : {AluOp::Min, AluOp::Max, AluOp::Add, AluOp::Shr, AluOp::Mul}) {
    for (bool use_imm : {false, true}) {
      INFO(alu_op_name(op) << (use_imm ? " imm" : " tensor"));
      // acc[0] = a values, acc[1] = b values (tensor operand), result written to acc[0].
      std::vector<int32_t> a(static_cast<size_t>(lanes)), b(static_cast<size_t>(lanes));
      for (int k = 0; k < lanes; ++k) {
        a[size_t(k)] = extremes[rng() % extremes.size()];
        b[size_t(k)] = extremes[rng() % extremes.size()];
        if (op == AluOp::Shr) b[size_t(k)] = int32_t(rng() % 80) - 40;  // both directions, past 31
      }
      const int32_t imm = op == AluOp::Shr ? -3 : (op == AluOp::Add ? -32768 : 32767);
      ProgramBuilder pb(cfg);
      std::vector<int32_t> both = a;
      both.insert(both.end(), b.begin(), b.end());
      const uint32_t acc_base = pb.put(MemType::Acc, both);
      const uint32_t uop_base = pb.put_uops({{0, 1, 0}});
      const uint32_t out_base = pb.alloc(MemType::Out, 1);
      pb.load(MemType::Uop, 0, uop_base, 1, 1, 1);
      pb.load(MemType::Acc, 0, acc_base, 1, 2, 2);
      pb.alu(op, 0, 1, use_imm, imm);
      pb.store(0, out_base, 1, 1, 1);
      pb.finish();
      ProgramImage img = pb.image();
      VtaCore core(cfg);
      run_in_order(core, img);
      const auto out = pb.read<int8_t>(img.dram, MemType::Out, out_base, size_t(lanes));
      for (int k = 0; k < lanes; ++k) {
        const int32_t expect = ref_alu(op, a[size_t(k)], use_imm ? imm : b[size_t(k)]);
        INFO("lane " << k << " a=" << a[size_t(k)] << " b=" << (use_imm ? imm : b[size_t(k)]));
        CHECK(core.acc_mem()[size_t(k)] == expect);
        CHECK(out[size_t(k)] == int8_t(uint8_t(uint32_t(expect) & 0xFF)));
      }
      CHECK(core.counters().alu_counter == 1);
    }
  }
}

namespace {

// Naive GEMM reference over blocked buffers, 64-bit sums wrapped to 32 bits.
void ref_gemm_step(const HwConfig& c, std::vector<int64_t>& acc, const std::vector<int8_t>& inp,
                   const std::vector<int8_t>& wgt, uint32_t dst, uint32_t src, uint32_t w, bool reset) {
  const int B = c.batch(), BI = c.block_in(), BO = c.block_out();
  for (int b = 0; b < B; ++b)
    for (int o = 0; o < BO; ++o) {
      int64_t s = 0;
      for (int i = 0; i < BI; ++i)
        s += int64_t(inp[size_t(src) * B * BI + size_t(b) * BI + size_t(i)]) *
             wgt[size_t(w) * BO * BI + size_t(o) * BI + size_t(i)];
      int64_t& a = acc[size_t(dst) * B * BO + size_t(b) * BO + size_t(o)];
      a = reset ? 0 : wrap32(a + s);
    }
}

struct GemmCase {
  std::vector<std::string> sets;
  uint32_t iter_out, iter_in;
  uint32_t dst_out, dst_in, src_out, src_in, wgt_out, wgt_in;
};

}  // namespace

TEST_CASE("GEMM with reset, accumulation and both micro-op loop levels", "[functional][gemm]") {
  const std::vector<GemmCase> cases = {
      {{}, 1, 1, 0, 0, 0, 0, 0, 0},
      {{}, 2, 3, 6, 2, 5, 1, 3, 1},
      {{"LOG_BLOCK=3", "LOG_BATCH=1", "LOG_INP_BUFF_SIZE=13", "LOG_WGT_BUFF_SIZE=16", "LOG_ACC_BUFF_SIZE=15"},
       3, 2, 4, 1, 2, 3, 2, 1},
      {{"LOG_BLOCK_IN=5", "LOG_BLOCK_OUT=3", "LOG_BATCH=2", "LOG_WGT_BUFF_SIZE=16"}, 2, 2, 3, 1, 4, 2, 1, 2},
      {{"LOG_BLOCK=6"}, 2, 2, 5, 2, 3, 1, 2, 1},
  };
  for (const auto& gc : cases) {
    const HwConfig cfg = cfg_with(gc.sets);
    INFO("config " << cfg.batch() << "x" << cfg.block_in() << "x" << cfg.block_out());
    const int B = cfg.batch(), BI = cfg.block_in(), BO = cfg.block_out();
    const uint32_t n_inp = 24, n_wgt = 12, n_acc = 32;
    std::mt19937 rng(11);
    std::vector<int8_t> inp(size_t(n_inp) * B * BI), wgt(size_t(n_wgt) * BO * BI);
    for (auto& v : inp) v = int8_t(rng());
    for (auto& v : wgt) v = int8_t(rng());
    inp[0] = -128;
    wgt[0] = -128;  // the extreme product
    const std::vector<Uop> uops = {{0, 0, 0}, {1, 2, 1}, {3, 1, 2}};

    ProgramBuilder pb(cfg);
    const uint32_t inp_base = pb.put(MemType::Inp, inp);
    const uint32_t wgt_base = pb.put(MemType::Wgt, wgt);
    const uint32_t uop_base = pb.put_uops(uops);
    const uint32_t out_base = pb.alloc(MemType::Out, n_acc);
    pb.load(MemType::Uop, 0, uop_base, 1, 3, 3);
    pb.load(MemType::Inp, 0, inp_base, 1, n_inp, n_inp);
    pb.load(MemType::Wgt, 0, wgt_base, 1, n_wgt, n_wgt).push_next_dep = true;  // tile loaded
    auto set_loops = [&](Insn& g) -> Insn& {
      g.dst_factor_out = gc.dst_out;
      g.dst_factor_in = gc.dst_in;
      g.src_factor_out = gc.src_out;
      g.src_factor_in = gc.src_in;
      g.wgt_factor_out = gc.wgt_out;
      g.wgt_factor_in = gc.wgt_in;
      return g;
    };
    Insn& r = pb.gemm(0, 3, gc.iter_out, gc.iter_in);
    set_loops(r);
    r.reset_reg = true;
    set_loops(pb.gemm(0, 3, gc.iter_out, gc.iter_in)).pop_prev_dep = true;  // wait for the tile
    set_loops(pb.gemm(0, 3, gc.iter_out, gc.iter_in)).push_next_dep = true;  // output ready
    Insn& st = pb.store(0, out_base, 1, n_acc, n_acc);
    st.pop_prev_dep = true;
    st.push_prev_dep = true;
    pb.noop(Opcode::Load, MemType::Uop).pop_next_dep = true;  // stored: synchronise before FINISH
    pb.finish();

    std::vector<int64_t> ref(size_t(n_acc) * B * BO, 0);
    for (int pass = 0; pass < 3; ++pass)
      for (uint32_t i0 = 0; i0 < gc.iter_out; ++i0)
        for (uint32_t i1 = 0; i1 < gc.iter_in; ++i1)
          for (const auto& u : uops)
            ref_gemm_step(cfg, ref, inp, wgt, u.dst + i0 * gc.dst_out + i1 * gc.dst_in,
                          u.src + i0 * gc.src_out + i1 * gc.src_in, u.wgt + i0 * gc.wgt_out + i1 * gc.wgt_in,
                          pass == 0);

    ProgramImage img = pb.image();
    VtaCore core(cfg);
    run_in_order(core, img);
    const auto out = pb.read<int8_t>(img.dram, MemType::Out, out_base, ref.size());
    for (size_t k = 0; k < ref.size(); ++k) {
      INFO("element " << k);
      REQUIRE(core.acc_mem()[k] == int32_t(ref[k]));
      REQUIRE(out[k] == int8_t(uint8_t(uint64_t(ref[k]) & 0xFF)));
    }
    CHECK(core.counters().gemm_counter == 2ull * gc.iter_out * gc.iter_in * 3);  // reset not counted
    CHECK(core.counters().insn_by_opcode[int(Opcode::Gemm)] == 3);
    CHECK(core.counters().inp_load_nbytes == uint64_t(n_inp) * cfg.elem_bytes(MemType::Inp));
    CHECK(core.counters().wgt_load_nbytes == uint64_t(n_wgt) * cfg.elem_bytes(MemType::Wgt));
    CHECK(core.counters().uop_load_nbytes == 12);
    CHECK(core.counters().out_store_nbytes == uint64_t(n_acc) * cfg.elem_bytes(MemType::Out));

    // The scheduled engine produces the same DRAM image.
    ProgramImage img2 = pb.image();
    FunctionalEngine eng(cfg);
    const auto res = eng.run(img2);
    CHECK(img2.dram == img.dram);
    CHECK(res.counters == core.counters());
  }
}

TEST_CASE("padded INP and ACC loads fill all four pad fields with zeros", "[functional][load]") {
  const HwConfig cfg = block8_cfg();
  const uint32_t eb_inp = cfg.elem_bytes(MemType::Inp), lanes = uint32_t(cfg.block_out());
  // A 3 x 4 DRAM region inside rows of 6 elements; load 2 rows x 3 columns from element (1, 1).
  const uint32_t rows = 3, cols = 6;
  std::vector<int8_t> inp(rows * cols * eb_inp);
  for (size_t k = 0; k < inp.size(); ++k) inp[k] = int8_t(k % 100 + 1);
  std::vector<int32_t> acc(rows * cols * lanes);
  for (size_t k = 0; k < acc.size(); ++k) acc[k] = int32_t(k * 1000 + 1);
  ProgramBuilder pb(cfg);
  const uint32_t ib = pb.put(MemType::Inp, inp);
  const uint32_t ab = pb.put(MemType::Acc, acc);
  const uint32_t yp0 = 1, yp1 = 2, xp0 = 3, xp1 = 1, y = 2, x = 3;
  pb.load(MemType::Inp, 5, ib + cols + 1, y, x, cols, yp0, yp1, xp0, xp1);
  pb.load(MemType::Acc, 7, ab + cols + 1, y, x, cols, yp0, yp1, xp0, xp1);
  pb.finish();
  ProgramImage img = pb.image();
  VtaCore core(cfg);
  run_in_order(core, img);
  const uint32_t width = xp0 + x + xp1, height = yp0 + y + yp1;
  for (uint32_t r = 0; r < height; ++r)
    for (uint32_t c = 0; c < width; ++c) {
      const bool inside = r >= yp0 && r < yp0 + y && c >= xp0 && c < xp0 + x;
      const uint32_t src_elem = (r - yp0 + 1) * cols + (c - xp0 + 1);
      for (uint32_t k = 0; k < eb_inp; ++k) {
        const int8_t expect = inside ? inp[src_elem * eb_inp + k] : 0;
        INFO("inp row " << r << " col " << c);
        REQUIRE(core.inp_mem()[(5 + r * width + c) * eb_inp + k] == expect);
      }
      for (uint32_t k = 0; k < lanes; ++k) {
        const int32_t expect = inside ? acc[src_elem * lanes + k] : 0;
        INFO("acc row " << r << " col " << c);
        REQUIRE(core.acc_mem()[(7 + r * width + c) * lanes + k] == expect);
      }
    }
  // Padding is not counted as moved bytes.
  CHECK(core.counters().inp_load_nbytes == y * x * eb_inp);
  CHECK(core.counters().acc_load_nbytes == y * x * cfg.elem_bytes(MemType::Acc));
}

TEST_CASE("WGT loads ignore the pad fields", "[functional][load]") {
  const HwConfig cfg = block8_cfg();
  const uint32_t eb = cfg.elem_bytes(MemType::Wgt);
  std::vector<int8_t> wgt(4 * eb);
  for (size_t k = 0; k < wgt.size(); ++k) wgt[k] = int8_t(k * 7 + 3);
  ProgramBuilder pb(cfg);
  const uint32_t wb = pb.put(MemType::Wgt, wgt);
  pb.load(MemType::Wgt, 2, wb, 2, 2, 2, 1, 1, 1, 1);
  pb.finish();
  ProgramImage img = pb.image();
  VtaCore core(cfg);
  run_in_order(core, img);
  for (size_t k = 0; k < wgt.size(); ++k) REQUIRE(core.wgt_mem()[2 * eb + k] == wgt[k]);
  CHECK(core.wgt_mem()[6 * eb] == 0);
}

TEST_CASE("ACC_8BIT loads sign-extend int8 values into the accumulator", "[functional][load]") {
  const HwConfig cfg = block8_cfg();
  std::vector<int8_t> v = {-128, -1, 0, 1, 127, -7, 5, 100};
  ProgramBuilder pb(cfg);
  const uint32_t b = pb.put(MemType::Acc8, v);
  pb.load(MemType::Acc8, 3, b, 1, 1, 1);
  pb.finish();
  ProgramImage img = pb.image();
  VtaCore core(cfg);
  run_in_order(core, img);
  for (size_t k = 0; k < v.size(); ++k) CHECK(core.acc_mem()[3 * 8 + k] == int32_t(v[k]));
}

TEST_CASE("strided stores write rows at x_stride", "[functional][store]") {
  const HwConfig cfg = block8_cfg();
  const uint32_t lanes = 8;
  std::vector<int32_t> acc(6 * lanes);
  for (size_t k = 0; k < acc.size(); ++k) acc[k] = int32_t(k + 1) * 3 - 70;
  ProgramBuilder pb(cfg);
  const uint32_t ab = pb.put(MemType::Acc, acc);
  const uint32_t ub = pb.put_uops({{0, 0, 0}});
  const uint32_t ob = pb.alloc(MemType::Out, 20);
  pb.load(MemType::Uop, 0, ub, 1, 1, 1);
  pb.load(MemType::Acc, 0, ab, 1, 6, 6);
  // Touch every acc element with ADD 0 so out holds low8(acc) (out is written by GEMM/ALU only).
  Insn& add = pb.alu(AluOp::Add, 0, 1, true, 0);
  add.iter_out = 6;
  add.dst_factor_out = 1;
  add.src_factor_out = 1;
  add.push_next_dep = true;
  Insn& st = pb.store(0, ob, 3, 2, 5);  // 3 rows of 2 elements, DRAM rows 5 elements apart
  st.pop_prev_dep = true;
  st.push_prev_dep = true;
  pb.noop(Opcode::Load, MemType::Uop).pop_next_dep = true;
  pb.finish();
  ProgramImage img = pb.image();
  FunctionalEngine eng(cfg);
  eng.run(img);
  const auto out = pb.read<int8_t>(img.dram, MemType::Out, ob, 20 * lanes);
  for (uint32_t r = 0; r < 3; ++r)
    for (uint32_t c = 0; c < 5; ++c)
      for (uint32_t k = 0; k < lanes; ++k) {
        const int8_t expect = c < 2 ? int8_t(uint8_t(acc[(r * 2 + c) * lanes + k] & 0xFF)) : 0;
        INFO("row " << r << " col " << c << " lane " << k);
        REQUIRE(out[(r * 5 + c) * lanes + k] == expect);
      }
}

TEST_CASE("no-ops carry dependency flags between modules", "[functional][deps]") {
  const HwConfig cfg = cfg_with({"queue.token_depth=1", "queue.cmd_depth=2"});
  ProgramBuilder pb(cfg);
  // load -> compute three times through a depth-1 queue: the load module blocks on the full queue
  // until compute pops; store <-> compute handshake; all queues empty at FINISH.
  for (int k = 0; k < 3; ++k) pb.noop(Opcode::Load, MemType::Inp).push_next_dep = true;
  for (int k = 0; k < 3; ++k) pb.noop(Opcode::Load, MemType::Uop).pop_prev_dep = true;
  Insn& c2s = pb.noop(Opcode::Load, MemType::Uop);
  c2s.push_next_dep = true;
  Insn& s = pb.noop(Opcode::Store, MemType::Out);
  s.pop_prev_dep = true;
  s.push_prev_dep = true;
  pb.noop(Opcode::Load, MemType::Uop).pop_next_dep = true;
  pb.finish();
  ProgramImage img = pb.image();
  FunctionalEngine eng(cfg);
  const auto r = eng.run(img);
  CHECK(r.counters.noop_count == 9);
  CHECK(r.counters.insn_by_opcode[int(Opcode::Finish)] == 1);
}

TEST_CASE("a deadlocking program names the waiting module, queue and instruction", "[functional][deps]") {
  const HwConfig cfg = HwConfig::defaults();
  ProgramBuilder pb(cfg);
  pb.noop(Opcode::Load, MemType::Inp);                     // forgets push_next
  pb.noop(Opcode::Load, MemType::Uop).pop_prev_dep = true;  // waits forever
  pb.finish();
  ProgramImage img = pb.image();
  const std::string err = error_of([&] { FunctionalEngine(cfg).run(img); });
  INFO(err);
  CHECK(err.find("deadlock") != std::string::npos);
  CHECK(err.find("compute waits for a token on the load->compute queue") != std::string::npos);
  CHECK(err.find("instruction 1") != std::string::npos);
}

TEST_CASE("tokens left behind at FINISH are an error", "[functional][deps]") {
  const HwConfig cfg = HwConfig::defaults();
  ProgramBuilder pb(cfg);
  pb.noop(Opcode::Load, MemType::Uop).push_prev_dep = true;  // compute -> load, never popped
  pb.finish();
  ProgramImage img = pb.image();
  const std::string err = error_of([&] { FunctionalEngine(cfg).run(img); });
  CHECK(err.find("tokens left") != std::string::npos);
  CHECK(err.find("compute->load") != std::string::npos);
}

TEST_CASE("program shape: FINISH last, nothing after it", "[functional]") {
  const HwConfig cfg = HwConfig::defaults();
  ProgramBuilder a(cfg);
  a.finish();
  a.noop(Opcode::Load, MemType::Uop);
  ProgramImage ia = a.image();
  CHECK(error_of([&] { FunctionalEngine(cfg).run(ia); }).find("follows FINISH") != std::string::npos);
  ProgramBuilder b(cfg);
  b.noop(Opcode::Load, MemType::Uop);
  ProgramImage ib = b.image();
  CHECK(error_of([&] { FunctionalEngine(cfg).run(ib); }).find("does not end with FINISH") != std::string::npos);
}

TEST_CASE("flags a module does not have must be 0", "[functional][deps]") {
  const HwConfig cfg = HwConfig::defaults();
  struct Case {
    Opcode op;
    MemType t;
    Field flag;
  };
  for (const Case& c : {Case{Opcode::Load, MemType::Inp, Field::pop_prev_dep},
                        Case{Opcode::Load, MemType::Wgt, Field::push_prev_dep},
                        Case{Opcode::Store, MemType::Out, Field::pop_next_dep},
                        Case{Opcode::Store, MemType::Out, Field::push_next_dep}}) {
    ProgramBuilder pb(cfg);
    set_field(pb.noop(c.op, c.t), c.flag, 1);
    pb.finish();
    ProgramImage img = pb.image();
    const std::string err = error_of([&] { FunctionalEngine(cfg).run(img); });
    INFO(err);
    CHECK(err.find(field_name(c.flag)) != std::string::npos);
    CHECK(err.find("instruction 0") != std::string::npos);
  }
}

// VTA's own hardware tests end with a FINISH that pops the store's last token (getFinishInsn(0, 1)):
// the compute module pops, then finishes.
TEST_CASE("a FINISH that pops its tokens ends the program cleanly", "[functional][deps]") {
  const HwConfig cfg = HwConfig::defaults();
  ProgramBuilder pb(cfg);
  const uint32_t ob = pb.alloc(MemType::Out, 1);
  pb.noop(Opcode::Load, MemType::Uop).push_next_dep = true;
  Insn& st = pb.store(0, ob, 1, 1, 1);
  st.pop_prev_dep = true;
  st.push_prev_dep = true;
  pb.finish().pop_next_dep = true;
  ProgramImage img = pb.image();
  const EngineRun r = FunctionalEngine(cfg).run(img);
  CHECK(r.counters.insn_by_opcode[int(Opcode::Finish)] == 1);
  CHECK(r.counters.out_store_nbytes == 16);
  // VTA's encoding of that instruction decodes as such.
  const Insn f = cfg.isa().decode(insn_word_from_hex("00000000000000000000000000000013"));
  CHECK(f.opcode == Opcode::Finish);
  CHECK(f.pop_next_dep);
}

TEST_CASE("out-of-bounds SRAM and DRAM accesses name the instruction, field and value", "[functional][bounds]") {
  const HwConfig cfg = HwConfig::defaults();  // inp depth 2048, acc 2048, wgt 1024, uop 8192
  SECTION("SRAM: padded INP load past the buffer") {
    ProgramBuilder pb(cfg);
    const uint32_t b = pb.alloc(MemType::Inp, 4);
    pb.load(MemType::Inp, 2040, b, 2, 2, 2, 1, 1, 1, 1);  // 4 x 4 = 16 elements from 2040
    pb.finish();
    ProgramImage img = pb.image();
    const std::string err = error_of([&] { FunctionalEngine(cfg).run(img); });
    INFO(err);
    CHECK(err.find("instruction 0") != std::string::npos);
    CHECK(err.find("sram_base 2040") != std::string::npos);
    CHECK(err.find("depth 2048") != std::string::npos);
  }
  SECTION("DRAM: load reaching past memory") {
    ProgramBuilder pb(cfg);
    pb.alloc(MemType::Wgt, 1);
    pb.load(MemType::Wgt, 0, 1000000, 1, 1, 1);
    pb.finish();
    ProgramImage img = pb.image();
    const std::string err = error_of([&] { FunctionalEngine(cfg).run(img); });
    INFO(err);
    CHECK(err.find("dram_base 1000000") != std::string::npos);
    CHECK(err.find("WGT") != std::string::npos);
  }
  SECTION("DRAM: strided store reaching past memory") {
    ProgramBuilder pb(cfg);
    const uint32_t ob = pb.alloc(MemType::Out, 2);
    pb.store(0, ob, 2, 1, 60000);
    pb.finish();
    ProgramImage img = pb.image();
    CHECK(error_of([&] { FunctionalEngine(cfg).run(img); }).find("beyond the") != std::string::npos);
  }
  SECTION("GEMM: loop factors carry the dst index past acc") {
    ProgramBuilder pb(cfg);
    const uint32_t ub = pb.put_uops({{2000, 0, 0}});
    pb.load(MemType::Uop, 0, ub, 1, 1, 1);
    Insn& g = pb.gemm(0, 1, 2, 1);
    g.dst_factor_out = 48;  // 2000 + 48 = 2048
    pb.finish();
    ProgramImage img = pb.image();
    const std::string err = error_of([&] { FunctionalEngine(cfg).run(img); });
    INFO(err);
    CHECK(err.find("instruction 1") != std::string::npos);
    CHECK(err.find("dst index") != std::string::npos);
    CHECK(err.find("2048") != std::string::npos);
  }
  SECTION("GEMM: wgt index past wgt") {
    ProgramBuilder pb(cfg);
    const uint32_t ub = pb.put_uops({{0, 0, 1023}});
    pb.load(MemType::Uop, 0, ub, 1, 1, 1);
    Insn& g = pb.gemm(0, 1, 1, 2);
    g.wgt_factor_in = 1;
    pb.finish();
    ProgramImage img = pb.image();
    CHECK(error_of([&] { FunctionalEngine(cfg).run(img); }).find("wgt index") != std::string::npos);
  }
  SECTION("GEMM: micro-op range past the uop buffer") {
    ProgramBuilder pb(cfg);
    pb.gemm(8190, 8193);
    pb.finish();
    ProgramImage img = pb.image();
    CHECK(error_of([&] { FunctionalEngine(cfg).run(img); }).find("uop_end 8193") != std::string::npos);
  }
  SECTION("ALU: src index past acc") {
    ProgramBuilder pb(cfg);
    const uint32_t ub = pb.put_uops({{0, 2047, 0}});
    pb.load(MemType::Uop, 0, ub, 1, 1, 1);
    Insn& a = pb.alu(AluOp::Add, 0, 1);
    a.iter_in = 2;
    a.src_factor_in = 1;
    pb.finish();
    ProgramImage img = pb.image();
    CHECK(error_of([&] { FunctionalEngine(cfg).run(img); }).find("src index") != std::string::npos);
  }
  SECTION("LOAD of OUT and STORE of INP have no module") {
    ProgramBuilder pb(cfg);
    pb.load(MemType::Out, 0, 0, 1, 1, 1);
    pb.finish();
    ProgramImage img = pb.image();
    CHECK(error_of([&] { FunctionalEngine(cfg).run(img); }).find("OUT") != std::string::npos);
    ProgramBuilder pb2(cfg);
    pb2.mem(Opcode::Store, MemType::Inp, 0, 0, 1, 1, 1);
    pb2.finish();
    ProgramImage img2 = pb2.image();
    CHECK(error_of([&] { FunctionalEngine(cfg).run(img2); }).find("STORE must have memory type OUT") != std::string::npos);
  }
}

// Access counts of a small program, derived by hand from VTA's semantics (see counters.h):
//   LOAD UOP x_size 3                         -> uop writes 3
//   LOAD INP 2 rows x 4, pads y 1+0, x 1+2    -> inp writes (1+2+0) x (1+4+2) = 21
//   LOAD WGT 2 rows x 3 (pad fields ignored)  -> wgt writes 6
//   GEMM reset, uops [0,3), 2 x 1 iterations  -> 6 uop reads, 6 acc writes, 6 out writes
//   GEMM uops [0,3), iter_out 2, iter_in 5    -> 30 micro-ops: 30 reads each of uop, inp, wgt, acc;
//                                                30 acc and 30 out writes; 30 x 16 x 16 MACs
//   ALU ADD imm, uops [0,3)                   -> 3 uop reads, 3 acc reads, 3 acc + 3 out writes, 48 lane-ops
//   ALU MAX tensor, uops [0,2)                -> 2 uop reads, 4 acc reads, 2 acc + 2 out writes, 32 lane-ops
//   STORE 2 rows x 3                          -> out reads 6
TEST_CASE("buffer access counts of a small program, by hand", "[functional][access]") {
  const HwConfig cfg = HwConfig::defaults();
  ProgramBuilder pb(cfg);
  const uint32_t uop = pb.put_uops({{0, 0, 0}, {1, 1, 1}, {2, 2, 2}});
  const uint32_t inp = pb.alloc(MemType::Inp, 16), wgt = pb.alloc(MemType::Wgt, 8), out = pb.alloc(MemType::Out, 8);
  pb.load(MemType::Uop, 0, uop, 1, 3, 3);
  pb.load(MemType::Inp, 0, inp, 2, 4, 4, 1, 0, 1, 2);
  pb.load(MemType::Wgt, 0, wgt, 2, 3, 3, 1, 1, 1, 1);
  pb.gemm(0, 3, 2, 1).reset_reg = true;
  pb.gemm(0, 3, 2, 5);
  pb.alu(AluOp::Add, 0, 3, true, 1);
  pb.alu(AluOp::Max, 0, 2);
  pb.store(0, out, 2, 3, 3);
  pb.finish();
  ProgramImage img = pb.image();
  FunctionalEngine engine(cfg);
  const AccessCounts a = engine.run(img).counters.access;
  auto r = [&](Buffer b) { return a.reads[int(b)]; };
  auto w = [&](Buffer b) { return a.writes[int(b)]; };
  CHECK(w(Buffer::Uop) == 3);
  CHECK(w(Buffer::Inp) == 21);
  CHECK(w(Buffer::Wgt) == 6);
  CHECK(r(Buffer::Uop) == 6 + 30 + 3 + 2);
  CHECK(r(Buffer::Inp) == 30);
  CHECK(r(Buffer::Wgt) == 30);
  CHECK(r(Buffer::Acc) == 30 + 3 + 4);
  CHECK(w(Buffer::Acc) == 6 + 30 + 3 + 2);
  CHECK(w(Buffer::Out) == 6 + 30 + 3 + 2);
  CHECK(r(Buffer::Out) == 6);
  CHECK(a.macs == 30u * 16 * 16);
  CHECK(a.alu_lane_ops[int(AluOp::Add)] == 48);
  CHECK(a.alu_lane_ops[int(AluOp::Max)] == 32);
  CHECK(a.alu_ops() == 80);
}

TEST_CASE("energy of counted events, by hand", "[functional][energy]") {
  // 1 pJ per MAC (multiply 0.6 + accumulate 0.4), 2 pJ per ALU lane-op, 0.5 pJ per SRAM bit read at every
  // size (exponent 0), writes twice that, 10 pJ per DRAM byte, 3 mW static.
  const HwConfig cfg = HwConfig::from_json_text(
      "{}", "test",
      {"energy.mac_pj=0.6", "energy.acc_pj=0.4", "energy.alu_pj=2", "energy.sram_pj_per_bit=0.5", "energy.sram_exponent=0",
       "energy.sram_write_ratio=2", "energy.dram_pj_per_byte=10", "energy.static_mw=3"});
  AccessCounts a;
  a.macs = 1000;
  a.alu_lane_ops[int(AluOp::Add)] = 30;
  a.reads[int(Buffer::Inp)] = 4;   // 4 x 128 bits
  a.writes[int(Buffer::Acc)] = 2;  // 2 x 512 bits
  const EnergyBreakdown e = energy_of(a, 100, 2e-6, cfg);
  CHECK(e.mac == Approx(1000.0));
  CHECK(e.alu == Approx(60.0));
  CHECK(e.sram[int(Buffer::Inp)] == Approx(4 * 128 * 0.5));
  CHECK(e.sram[int(Buffer::Acc)] == Approx(2 * 512 * 0.5 * 2));
  CHECK(e.dram == Approx(1000.0));
  CHECK(e.static_energy == Approx(3e-3 * 2e-6 * 1e12));  // 6000 pJ
  CHECK(e.total() == Approx(1000 + 60 + 256 + 1024 + 1000 + 6000));
  // Per-bit SRAM energy scales with size: a 32 KiB input buffer at exponent 0.5 against 8 KiB is 2x.
  const HwConfig scaled = HwConfig::from_json_text("{}", "test", {"energy.sram_exponent=0.5", "energy.sram_ref_kib=8"});
  CHECK(sram_pj_per_bit(scaled, Buffer::Inp) == Approx(2 * scaled.params().energy_sram_pj_per_bit));
}

// A reset GEMM reads neither input nor weights, so their indices may point anywhere (VTA ignores them);
// found by the program fuzzer, which made the kernel read past the weight buffer.
TEST_CASE("a reset GEMM with input and weight indices beyond their buffers only zeroes", "[functional][gemm]") {
  const HwConfig cfg = HwConfig::defaults();
  ProgramBuilder pb(cfg);
  const uint32_t uop = pb.put_uops({{0, 0, 0}, {1, 2047, 1023}});
  pb.load(MemType::Uop, 0, uop, 1, 2, 2);
  Insn& g = pb.gemm(0, 2, 3, 2);
  g.reset_reg = true;
  g.dst_factor_out = 2;
  g.src_factor_out = 1900;
  g.wgt_factor_in = 895;
  pb.finish();
  ProgramImage img = pb.image();
  FunctionalEngine engine(cfg);
  CHECK(engine.run(img).counters.access.writes[int(Buffer::Acc)] == 12);
}

TEST_CASE("each dependency flag names the token queue between the stage and that neighbour", "[functional][pipeline]") {
  // Derived from the topology table: a stage's prev neighbour comes before it in pipeline order.
  int named = 0;
  for (Stage s : kStages) {
    for (bool prev : {true, false}) {
      const int n = int(s) + (prev ? -1 : 1);
      std::optional<TokenQueue> pop, push;
      for (const TokenQueueInfo& q : token_queues()) {
        if (n >= 0 && n < kStageCount && q.from == Stage(n) && q.to == s) pop = q.queue;
        if (n >= 0 && n < kStageCount && q.from == s && q.to == Stage(n)) push = q.queue;
      }
      INFO(stage_name(s) << (prev ? " prev" : " next"));
      CHECK(pop_queue(s, prev) == pop);
      CHECK(push_queue(s, prev) == push);
      named += pop.has_value() + push.has_value();
    }
  }
  CHECK(named == 2 * kTokenQueueCount);
}

TEST_CASE("stage_of routes every valid instruction and rejects LOAD of OUT and STORE of another type",
          "[functional][pipeline]") {
  Insn i;
  for (Opcode op : {Opcode::Gemm, Opcode::Alu, Opcode::Finish}) {
    i.opcode = op;
    CHECK(stage_of(i, 0) == Stage::Compute);
  }
  i.opcode = Opcode::Load;
  const std::pair<MemType, Stage> loads[] = {{MemType::Inp, Stage::Load}, {MemType::Wgt, Stage::Load}, {MemType::Uop, Stage::Compute},
                                             {MemType::Acc, Stage::Compute}, {MemType::Acc8, Stage::Compute}};
  for (const auto& [t, s] : loads) {
    i.memory_type = t;
    CHECK(stage_of(i, 0) == s);
  }
  i.memory_type = MemType::Out;
  CHECK_THROWS_AS(stage_of(i, 3), UserError);
  i.opcode = Opcode::Store;
  CHECK(stage_of(i, 0) == Stage::Store);
  i.memory_type = MemType::Inp;
  CHECK_THROWS_WITH(stage_of(i, 5), Catch::Contains("STORE must have memory type OUT"));
}
