// The tensor-ALU operators for the run pipeline (see layer_compiler.h): residual add, max pool and
// average pool. Activations travel as 8-bit accumulator elements (ACC_8BIT loads, sign-extended into
// the accumulator; results leave through the OUT buffer, which holds the low 8 bits of every ALU
// result). The layer is cut into tiles of output rows per batch block and channel block; per tile:
//   compute: [wait for the store of the previous tile]  LOAD ACC_8BIT input rows (padded)
//            add:  LOAD ACC_8BIT second input; ALU ADD tensor; SHR; MIN 127; MAX -128 (or 0: ReLU)
//            max:  GEMM reset of the outputs; MIN -128; ALU MAX over the window (one micro-op per tap)
//            avg:  GEMM reset; ALU ADD over the window; MUL; SHR; MIN 127; MAX -128   -> push to store
//   store:   pop  STORE the tile's outputs  -> push to compute
// One thread: the ALU operators have no virtual threads (a two-thread run gets the same program).
#include <algorithm>
#include <memory>
#include <stdexcept>

#include "models/errors.h"
#include "models/limits.h"
#include "runtime/dram_builder.h"
#include "runtime/insn_stream.h"
#include "runtime/layer_compiler.h"
#include "workloads/reference_ops.h"
#include "workloads/vta_layout.h"

namespace vtasim {

namespace {

// The geometry of one tile and the whole layer, in accumulator entries.
struct AluPlan {
  uint32_t nb = 0, cb = 0;             // batch and channel blocks
  uint32_t h = 0, w = 0, oh = 0, ow = 0;
  uint32_t rows = 0;                   // output rows per tile
  uint32_t in_cols = 0;                // input columns with padding
  uint32_t in_rows(uint32_t out_rows, const ConvShape& s) const { return (out_rows - 1) * uint32_t(s.stride) + uint32_t(s.kh); }
};

// Where a program keeps its operands: accumulator regions (input window at a_at; add: the second
// input at b_at; outputs at o_at) and DRAM element bases.
struct AluRegions {
  uint32_t a_at = 0, b_at = 0, o_at = 0;
  uint64_t a_base = 0, b_base = 0, out_base = 0;
};

// One tile: rows [oy, oy + r) of channel block `plane`.
struct AluTile {
  uint64_t plane = 0;
  uint32_t oy = 0, r = 0;
};

class AluOpCompiler final : public LayerCompiler {
 public:
  AluOpCompiler(const ConvLayer& layer, const HwConfig& cfg) : layer_(layer), cfg_(cfg) {}

  uint64_t macs() const override { return 0; }
  uint64_t ops() const override { return layer_.ops(); }

  ConvSchedule choose_schedule(uint32_t, const ScheduleSource&) const override {
    ConvSchedule s;
    s.h_factor = plan().rows;
    s.w_factor = 0;
    s.source = "alu";
    return s;
  }
  std::vector<ConvSchedule> schedule_candidates(uint32_t threads, const ScheduleSource& source, size_t) const override {
    return {choose_schedule(threads, source)};
  }

  void make_data(uint64_t seed) override {
    check_memory_budget(cfg_, memory_bytes(), "layer " + layer_.name + " (its tensors, packed copies and reference)");
    const ConvData d = make_conv_data(layer_, seed);
    a_ = pack(d.input);
    if (layer_.op == OpKind::Add) {
      b_ = pack(d.input2);
      reference_ = reference_add(d.input, d.input2, layer_.epilogue);
    } else if (layer_.op == OpKind::MaxPool) {
      reference_ = reference_maxpool(layer_.shape, d.input);
    } else {
      reference_ = reference_avgpool(layer_.shape, d.input);
    }
  }

  void make_zero_data() override {
    check_memory_budget(cfg_, memory_bytes(), "layer " + layer_.name + " (its tensors, packed copies and reference)");
    const ConvShape& s = layer_.shape;
    a_.assign(size_t(ceil_div(s.n, cfg_.batch())) * size_t(ceil_div(s.ic, cfg_.block_out())) * size_t(s.h) * size_t(s.w) *
                  elem(),
              0);
    if (layer_.op == OpKind::Add) b_ = a_;
    reference_ = Int8Tensor();
  }

  CompiledLayer compile(const ConvSchedule& schedule) const override;

  Int8Tensor read_output(const CompiledLayer& c) const override {
    if (c.out_addr + c.out_bytes > c.image.dram.size()) throw std::logic_error("read_output: the output lies beyond the image");
    const int8_t* blocked = reinterpret_cast<const int8_t*>(c.image.dram.data() + c.out_addr);
    const BlockShape bs{cfg_.batch(), cfg_.block_out(), cfg_.block_out()};
    return unpack_activations(blocked, layer_.shape.n, layer_.shape.oc, layer_.shape.out_h(), layer_.shape.out_w(),
                              cfg_.block_out(), bs);
  }

  const Int8Tensor& reference() const override { return reference_; }

 private:
  uint64_t elem() const { return cfg_.elem_bytes(MemType::Out); }  // one ACC_8BIT / OUT element
  std::vector<int8_t> pack(const Int8Tensor& t) const {
    return pack_activations(t, BlockShape{cfg_.batch(), cfg_.block_out(), cfg_.block_out()});
  }
  double memory_bytes() const {
    const ConvShape& s = layer_.shape;
    return 6.0 * double(s.n) * s.ic * s.h * s.w + 2.0 * double(s.n) * s.ic * s.out_h() * s.out_w();
  }
  AluPlan plan() const;

  void emit_add(InsnStream& st, const AluPlan& p, const AluRegions& g, const AluTile& t) const;
  void emit_pool(InsnStream& st, const AluPlan& p, const AluRegions& g, const AluTile& t) const;
  void emit_clip(InsnStream& st, uint32_t r, uint32_t cols) const;

  ConvLayer layer_;
  HwConfig cfg_;
  std::vector<int8_t> a_, b_;
  Int8Tensor reference_;
};

AluPlan AluOpCompiler::plan() const {
  const ConvShape& s = layer_.shape;
  AluPlan p;
  p.nb = uint32_t(ceil_div(s.n, cfg_.batch()));
  p.cb = uint32_t(ceil_div(s.ic, cfg_.block_out()));
  p.h = uint32_t(s.h);
  p.w = uint32_t(s.w);
  p.oh = uint32_t(s.out_h());
  p.ow = uint32_t(s.out_w());
  p.in_cols = uint32_t(s.w + 2 * s.pad);
  const uint64_t depth = cfg_.depth(MemType::Acc);
  const uint64_t max_index = uint64_t(1) << cfg_.isa().uop_dst_bits();
  if (std::max(p.w, p.ow) >= (1u << Isa::kLoopIterBits)) {
    throw UserError("layer " + layer_.name + ": rows of " + std::to_string(std::max(p.w, p.ow)) +
                    " pixels exceed the ALU loop's 14-bit iteration count");
  }
  // The most output rows whose input window and outputs fit the accumulator buffer together.
  for (uint32_t r = p.oh; r >= 1; --r) {
    const uint64_t in = layer_.op == OpKind::Add ? 2ull * r * p.w : uint64_t(p.in_rows(r, s)) * p.in_cols;
    const uint64_t out = uint64_t(r) * p.ow;
    if (in + out <= depth && in + out <= max_index && r <= (1u << Isa::kLoopIterBits) - 1) {
      p.rows = r;
      return p;
    }
  }
  throw UserError("layer " + layer_.name + " (" + op_name(layer_.op) + "): one output row of " + std::to_string(p.ow) +
                  " pixels and its input window need more than the " + std::to_string(depth) +
                  " accumulator entries; use a larger LOG_ACC_BUFF_SIZE");
}

// An ALU (or reset GEMM) instruction over a tile's outputs, `r` rows of `cols` entries: micro-ops
// [bgn, end), destination rows `dst_row` apart, source rows `src_row` apart and columns `src_col`.
Insn tile_loop(Opcode op, uint32_t bgn, uint32_t end, uint32_t r, uint32_t cols, uint32_t dst_row, uint32_t src_row,
               uint32_t src_col) {
  Insn i;
  i.opcode = op;
  i.uop_bgn = bgn;
  i.uop_end = end;
  i.iter_out = r;
  i.iter_in = cols;
  if (r == 1) dst_row = src_row = 0;  // one row: the row factors are never used
  i.dst_factor_out = dst_row;
  i.dst_factor_in = 1;
  i.src_factor_out = src_row;
  i.src_factor_in = src_col;
  return i;
}

// `op` with an immediate over the tile's outputs (micro-op 0: the output region).
Insn tile_imm(AluOp op, int32_t imm, uint32_t r, uint32_t cols) {
  Insn i = tile_loop(Opcode::Alu, 0, 1, r, cols, cols, 0, 0);
  i.alu_opcode = op;
  i.use_imm = true;
  i.imm = imm;
  return i;
}

void AluOpCompiler::emit_add(InsnStream& st, const AluPlan& p, const AluRegions& g, const AluTile& t) const {
  for (const auto& [region, base] : {std::make_pair(g.a_at, g.a_base), std::make_pair(g.b_at, g.b_base)}) {
    st.emit(make_load(MemType::Acc8, region, uint32_t(base + (t.plane * p.h + t.oy) * p.w), t.r, p.w, p.w));
  }
  Insn sum = tile_loop(Opcode::Alu, 1, 2, t.r, p.w, p.w, p.w, 1);
  sum.alu_opcode = AluOp::Add;
  st.emit(sum);
  if (layer_.epilogue.shift > 0) st.emit(tile_imm(AluOp::Shr, layer_.epilogue.shift, t.r, p.w));
}

void AluOpCompiler::emit_pool(InsnStream& st, const AluPlan& p, const AluRegions& g, const AluTile& t) const {
  const ConvShape& s = layer_.shape;
  // Input rows of the window, with the rows and columns outside the image as zero padding.
  const int64_t y0 = int64_t(t.oy) * s.stride - s.pad;
  const int64_t y1 = y0 + p.in_rows(t.r, s);  // exclusive
  const uint32_t top = uint32_t(std::max<int64_t>(0, -y0)), bottom = uint32_t(std::max<int64_t>(0, y1 - s.h));
  const uint32_t first_row = uint32_t(std::max<int64_t>(0, y0));
  const uint32_t image_rows = uint32_t(std::min<int64_t>(y1, s.h) - first_row);
  Insn in = make_load(MemType::Acc8, g.a_at, uint32_t(g.a_base + (t.plane * p.h + first_row) * p.w), image_rows, p.w, p.w);
  in.y_pad_0 = top;
  in.y_pad_1 = bottom;
  in.x_pad_0 = uint32_t(s.pad);
  in.x_pad_1 = uint32_t(s.pad);
  st.emit(in);
  Insn reset = tile_loop(Opcode::Gemm, 0, 1, t.r, p.ow, p.ow, 0, 0);
  reset.reset_reg = true;
  st.emit(reset);
  const uint32_t taps = uint32_t(s.kh * s.kw);
  Insn window = tile_loop(Opcode::Alu, 1, 1 + taps, t.r, p.ow, p.ow, uint32_t(s.stride) * p.in_cols, uint32_t(s.stride));
  if (layer_.op == OpKind::MaxPool) {
    st.emit(tile_imm(AluOp::Min, -128, t.r, p.ow));  // start from the smallest value
    window.alu_opcode = AluOp::Max;
    st.emit(window);
  } else {
    window.alu_opcode = AluOp::Add;
    st.emit(window);
    const PoolScale k = avgpool_scale(taps);
    st.emit(tile_imm(AluOp::Mul, k.mul, t.r, p.ow));
    if (k.shift > 0) st.emit(tile_imm(AluOp::Shr, k.shift, t.r, p.ow));
  }
}

// Clip to int8 (and ReLU) over the tile's `cols`-wide outputs.
void AluOpCompiler::emit_clip(InsnStream& st, uint32_t r, uint32_t cols) const {
  if (layer_.op != OpKind::MaxPool) {  // a max of int8 values is already int8
    st.emit(tile_imm(AluOp::Min, 127, r, cols));
    st.emit(tile_imm(AluOp::Max, layer_.epilogue.relu ? 0 : -128, r, cols));
  } else if (layer_.epilogue.relu) {
    st.emit(tile_imm(AluOp::Max, 0, r, cols));
  }
}

CompiledLayer AluOpCompiler::compile(const ConvSchedule& schedule) const {
  const ConvShape& s = layer_.shape;
  const AluPlan p = plan();
  const uint32_t rows = schedule.h_factor ? std::min(schedule.h_factor, p.rows) : p.rows;
  const bool add = layer_.op == OpKind::Add;
  const uint64_t e = elem();
  DramBuilder dram;
  // Accumulator regions: the input window at 0 (add: the two inputs' rows), the outputs after it.
  AluRegions g;
  g.b_at = add ? rows * p.w : 0;
  g.o_at = add ? 0 : p.in_rows(rows, s) * p.in_cols;  // add works in place on the first input

  // Micro-ops: [0] the output region alone; [1..] one per window tap (pools) or the pair (add).
  std::vector<uint32_t> uops = {cfg_.isa().encode_uop({g.o_at, 0, 0})};
  if (add) {
    uops.push_back(cfg_.isa().encode_uop({g.a_at, g.b_at, 0}));
  } else {
    for (int ky = 0; ky < s.kh; ++ky)
      for (int kx = 0; kx < s.kw; ++kx)
        uops.push_back(cfg_.isa().encode_uop({g.o_at, g.a_at + uint32_t(ky) * p.in_cols + uint32_t(kx), 0}));
  }
  const uint64_t uop_base = dram.put(uops, 4) / 4;
  g.a_base = dram.put(a_, e) / e;
  g.b_base = add ? dram.put(b_, e) / e : 0;
  const uint64_t out_elems = uint64_t(p.nb) * p.cb * p.oh * p.ow;
  const uint64_t out_addr = dram.alloc(out_elems * e, e);
  g.out_base = out_addr / e;

  InsnStream st;
  st.emit(make_load(MemType::Uop, 0, uint32_t(uop_base), 1, uint32_t(uops.size()), uint32_t(uops.size())));
  bool first = true;
  for (uint32_t nb = 0; nb < p.nb; ++nb)
    for (uint32_t cb = 0; cb < p.cb; ++cb)
      for (uint32_t oy = 0; oy < p.oh; oy += rows) {
        const AluTile t{uint64_t(nb) * p.cb + cb, oy, std::min(rows, p.oh - oy)};
        if (!first) st.dep_pop(Stage::Store, Stage::Compute);  // the previous tile's outputs have left
        first = false;
        if (add) emit_add(st, p, g, t);
        else emit_pool(st, p, g, t);
        const uint32_t cols = add ? p.w : p.ow;
        emit_clip(st, t.r, cols);
        st.dep_push(Stage::Compute, Stage::Store);
        st.dep_pop(Stage::Compute, Stage::Store);
        st.emit(make_store(g.o_at, uint32_t(g.out_base + (t.plane * p.oh + oy) * p.ow), t.r, cols, cols));
        st.dep_push(Stage::Store, Stage::Compute);
      }
  st.dep_pop(Stage::Store, Stage::Compute);
  st.synchronise();

  CompiledLayer c;
  c.schedule = schedule;
  c.out_addr = out_addr;
  c.out_bytes = out_elems * e;
  c.image = finish_image(dram, st, cfg_.isa());
  return c;
}

}  // namespace

std::unique_ptr<LayerCompiler> make_alu_op_compiler(const ConvLayer& layer, const HwConfig& cfg) {
  return std::make_unique<AluOpCompiler>(layer, cfg);
}

}  // namespace vtasim
