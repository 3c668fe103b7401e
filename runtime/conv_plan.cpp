// Convolution plan: geometry, limits, kernels, cost (see conv_plan.h).
#include "runtime/conv_plan.h"

#include <algorithm>
#include <sstream>

#include "models/timing/compute_timing.h"
#include "models/timing/memory_timing.h"

namespace vtasim {

std::string ConvSchedule::describe() const {
  std::ostringstream os;
  if (source == "alu") return "rows per tile " + std::to_string(h_factor) + " (one thread)";  // ALU operators
  os << "oc=" << oc_factor << " ko=" << ko_factor << " h=" << h_factor << " w=" << w_factor;
  if (kh_factor) os << " kh=" << kh_factor;
  if (oc_nthread > 1) os << " oc_nthread=" << oc_nthread;
  if (h_nthread > 1) os << " h_nthread=" << h_nthread;
  return os.str();
}

namespace {

uint32_t div_up(uint32_t a, uint32_t b) { return (a + b - 1) / b; }

std::string limit(const std::string& what, uint64_t need, uint64_t have) {
  return what + " needs " + std::to_string(need) + " but the limit is " + std::to_string(have);
}

}  // namespace

namespace {

// Blocked geometry of the layer and the tile the schedule asks for; false if a factor does not divide
// its dimension or the thread split is not one VTA supports.
bool plan_tile(const ConvShape& sh, const HwConfig& cfg, const ConvSchedule& s, ConvPlan& p, std::string* why) {
  p.nb = div_up(uint32_t(sh.n), uint32_t(cfg.batch()));
  p.icb = div_up(uint32_t(sh.ic), uint32_t(cfg.block_in()));
  p.ocb = div_up(uint32_t(sh.oc), uint32_t(cfg.block_out()));
  p.oh = uint32_t(sh.out_h());
  p.ow = uint32_t(sh.out_w());
  p.kh = uint32_t(sh.kh);
  p.kw = uint32_t(sh.kw);
  p.stride = uint32_t(sh.stride);
  p.pad = uint32_t(sh.pad);
  if (s.oc_nthread < 1 || s.oc_nthread > 2 || s.h_nthread < 1 || s.h_nthread > 2 || s.threads() > 2) {
    if (why) *why = "oc_nthread and h_nthread must be 1 or 2, and not both 2";
    return false;
  }
  p.nbuf = s.threads();
  p.thread_over_oc = s.oc_nthread == 2;
  p.oc_f = s.oc_factor;
  p.ko = s.ko_factor;
  p.h_f = s.h_factor;
  p.w_f = s.w_factor == 0 ? p.ow : s.w_factor;
  p.kh_f = s.kh_factor == 0 ? p.kh : s.kh_factor;
  const struct {
    const char* name;
    uint32_t f, total;
  } divs[] = {{"oc_factor", p.oc_f, p.ocb}, {"ko_factor", p.ko, p.icb}, {"h_factor", p.h_f, p.oh},
              {"w_factor", p.w_f, p.ow},    {"kh_factor", p.kh_f, p.kh}};
  for (const auto& d : divs) {
    if (d.f == 0 || d.total % d.f != 0) {
      if (why) *why = std::string(d.name) + " " + std::to_string(d.f) + " must divide " + std::to_string(d.total);
      return false;
    }
  }
  p.in_rows = (p.h_f - 1) * p.stride + p.kh_f;
  p.in_cols = (p.w_f - 1) * p.stride + p.kw;
  p.pixels = p.h_f * p.w_f;
  p.tiles = uint64_t(p.nb) * (p.ocb / p.oc_f) * (p.oh / p.h_f) * (p.ow / p.w_f);
  p.steps = (p.icb / p.ko) * p.ky_steps();
  // Two virtual threads take turns on tiles along their axis; with one tile there the second thread
  // would have nothing to do.
  const uint32_t axis_tiles = p.thread_over_oc ? p.ocb / p.oc_f : p.oh / p.h_f;
  if (p.nbuf == 2 && axis_tiles < 2) {
    if (why) {
      *why = std::string("two threads over ") +
             (p.thread_over_oc ? "output channels need at least two output-channel" : "rows need at least two row") +
             " tiles, not 1";
    }
    return false;
  }
  return true;
}

// Buffer halves and tile footprints against the SRAM capacities, and the DRAM-side sizes against the
// instruction fields that carry them.
bool check_capacities(const ConvShape& sh, const HwConfig& cfg, ConvPlan& p, std::string* why) {
  p.inp_half = cfg.depth(MemType::Inp) / p.nbuf;
  p.wgt_half = cfg.depth(MemType::Wgt) / p.nbuf;
  p.acc_half = cfg.depth(MemType::Acc) > p.nbuf * p.oc_f ? (cfg.depth(MemType::Acc) - p.nbuf * p.oc_f) / p.nbuf : 0;
  p.inp_tile = p.ko * p.in_rows * p.in_cols;
  p.wgt_tile = p.oc_f * p.ko * p.kh_f * p.kw;
  p.wgt_o_stride = p.split_kernel() ? p.kh_f * p.kw : p.ko * p.kh * p.kw;
  p.wgt_c_stride = p.split_kernel() ? p.oc_f * p.kh_f * p.kw : p.kh * p.kw;
  p.acc_tile = p.oc_f * p.pixels;
  const struct {
    const char* what;
    uint64_t need, have;
    const char* unit;
  } tiles[] = {{"the input tile", p.inp_tile, p.inp_half, " INP elements"},
               {"the weight tile", p.wgt_tile, p.wgt_half, " WGT elements"},
               {"the output tile (besides the bias rows)", p.acc_tile, p.acc_half, " ACC elements"}};
  for (const auto& t : tiles) {
    if (t.need > t.have) {
      if (why) *why = limit(t.what + std::string(p.nbuf > 1 ? " (half the buffer per thread)" : ""), t.need, t.have) +
                      t.unit;
      return false;
    }
  }
  const uint64_t kMax16 = 65535;
  const struct {
    const char* what;
    uint64_t v;
  } fields[] = {{"an input row stride (W)", uint64_t(sh.w)},
                {"a weight row stride", uint64_t(p.icb) * p.kh * p.kw},
                {"an output row stride", p.ow},
                {"a weight load width", uint64_t(p.ko) * p.kh * p.kw}};
  for (const auto& f : fields) {
    if (f.v > kMax16) {
      if (why) *why = limit(std::string(f.what) + " in a 16-bit field", f.v, kMax16);
      return false;
    }
  }
  const uint64_t dram_elems = std::max({uint64_t(p.nb) * p.icb * uint64_t(sh.h) * uint64_t(sh.w),
                                        uint64_t(p.ocb) * p.icb * p.kh * p.kw, uint64_t(p.nb) * p.ocb * p.oh * p.ow});
  if (dram_elems > 0xFFFFFFFFull) {
    if (why) *why = limit("a tensor in the 32-bit dram_base field", dram_elems, 0xFFFFFFFFull);
    return false;
  }
  return true;
}

// The GEMM and ALU micro-op kernels of a tile as affine loop nests, lowered against the field widths
// and the micro-op buffer.
bool plan_kernels(const HwConfig& cfg, ConvPlan& p, std::string* why, bool enumerate) {
  KernelLimits lim;
  lim.max_iter = (1u << Isa::kLoopIterBits) - 1;
  lim.max_dst_factor = (1u << cfg.isa().depths().acc) - 1;
  lim.max_src_factor = (1u << cfg.isa().depths().inp) - 1;
  lim.max_wgt_factor = (1u << cfg.isa().depths().wgt) - 1;
  lim.max_uops = cfg.depth(MemType::Uop);
  AffineKernel g;
  g.dims = {{"o", p.oc_f, p.pixels, 0, p.wgt_o_stride},
            {"y", p.h_f, p.w_f, p.stride * p.in_cols, 0},
            {"x", p.w_f, 1, p.stride, 0},
            {"c", p.ko, 0, p.in_rows * p.in_cols, p.wgt_c_stride},
            {"ky", p.kh_f, 0, p.in_cols, p.kw},
            {"kx", p.kw, 0, 1, 1}};
  std::string kwhy;
  if (!lower_kernel(g, lim, p.gemm, kwhy, enumerate)) {
    if (why) *why = "GEMM micro-op kernel: " + kwhy;
    return false;
  }
  AffineKernel a;
  a.dims = {{"o", p.oc_f, p.pixels, 1, 0}, {"y", p.h_f, p.w_f, 0, 0}, {"x", p.w_f, 1, 0, 0}};
  if (!lower_kernel(a, lim, p.alu, kwhy, enumerate)) {
    if (why) *why = "ALU micro-op kernel: " + kwhy;
    return false;
  }
  // The ALU reads the bias through the micro-op src field, which is as wide as an input index.
  if (uint64_t(p.nbuf) * p.oc_f > (uint64_t(1) << cfg.isa().depths().inp)) {
    if (why) {
      *why = limit("the bias rows in the ALU micro-op src field", uint64_t(p.nbuf) * p.oc_f,
                   uint64_t(1) << cfg.isa().depths().inp) + " indices";
    }
    return false;
  }
  if (uint64_t(p.gemm.list_size) + p.alu.list_size > lim.max_uops) {
    if (why) {
      *why = limit("the GEMM and ALU kernels together", uint64_t(p.gemm.list_size) + p.alu.list_size, lim.max_uops) +
             " micro-ops";
    }
    return false;
  }
  return true;
}

}  // namespace

bool plan_conv(const ConvLayer& layer, const HwConfig& cfg, const ConvSchedule& s, ConvPlan& p, std::string* why,
               bool kernels) {
  p = ConvPlan{};
  return plan_tile(layer.shape, cfg, s, p, why) && check_capacities(layer.shape, cfg, p, why) &&
         plan_kernels(cfg, p, why, kernels);
}

bool plan_conv(const ConvLayer& layer, const HwConfig& cfg, const ConvSchedule& s, ConvPlan& p, std::string& why,
               bool kernels) {
  return plan_conv(layer, cfg, s, p, &why, kernels);
}

namespace {

Insn loop_insn(Opcode op, const LoweredKernel& k, uint32_t bgn) {
  Insn i;
  i.opcode = op;
  i.uop_bgn = bgn;
  i.uop_end = bgn + k.list_size;
  k.apply_loops(i);
  return i;
}

}  // namespace

Insn conv_reset_insn(const ConvPlan& p, uint32_t bgn) {
  Insn reset = loop_insn(Opcode::Gemm, p.alu, bgn);
  reset.reset_reg = true;
  reset.src_factor_out = reset.src_factor_in = 0;
  reset.wgt_factor_out = reset.wgt_factor_in = 0;
  return reset;
}

Insn conv_gemm_insn(const ConvPlan& p, uint32_t bgn) { return loop_insn(Opcode::Gemm, p.gemm, bgn); }

namespace {

// Passes each epilogue instruction to `take`, in order (the list below, without building a vector).
template <typename Take>
void each_epilogue_insn(const ConvPlan& p, const Epilogue& ep, uint32_t bgn, Take&& take) {
  auto alu = [&](AluOp op, bool use_imm, int32_t imm) {
    Insn i = loop_insn(Opcode::Alu, p.alu, bgn);
    i.wgt_factor_out = i.wgt_factor_in = 0;
    i.alu_opcode = op;
    i.use_imm = use_imm;
    i.imm = imm;
    take(i);
  };
  alu(AluOp::Add, false, 0);
  if (ep.shift > 0) alu(AluOp::Shr, true, ep.shift);
  alu(AluOp::Min, true, 127);
  alu(AluOp::Max, true, ep.relu ? 0 : -128);
}

}  // namespace

std::vector<Insn> conv_epilogue_insns(const ConvPlan& p, const Epilogue& ep, uint32_t bgn) {
  std::vector<Insn> out;
  each_epilogue_insn(p, ep, bgn, [&](const Insn& i) { out.push_back(i); });
  return out;
}

EstimateInputs EstimateInputs::of(const HwConfig& cfg) {
  const HwParams& hp = cfg.params();
  EstimateInputs in;
  in.bw = cfg.mem_bytes_per_cycle();
  in.lat = double(hp.dram_latency);
  in.row_work = double(hp.dma_row_cycles) + double(hp.pad_row_cycles);
  in.dma_row_cycles = double(hp.dma_row_cycles);
  in.write_latency = double(cfg.write_latency());
  in.inp_elem = double(cfg.elem_bytes(MemType::Inp));
  in.wgt_elem = double(cfg.elem_bytes(MemType::Wgt));
  in.out_elem = double(cfg.elem_bytes(MemType::Out));
  in.acc_elem = double(cfg.elem_bytes(MemType::Acc));
  in.inp_serial = dma_policy(cfg, MemType::Inp) == DmaPolicy::RowSerial;
  in.wgt_serial = dma_policy(cfg, MemType::Wgt) == DmaPolicy::RowSerial;
  in.store_serial = dma_policy(cfg, MemType::Out) == DmaPolicy::RowSerial;
  in.compute = ComputeTiming::of(cfg);
  return in;
}

ConvEstimate estimate_conv(const ConvPlan& p, const Epilogue& ep, const HwConfig& cfg) {
  return estimate_conv(p, ep, EstimateInputs::of(cfg));
}

ConvComputeWork ConvComputeWork::of(const ConvPlan& plan, const Epilogue& epilogue) {
  ConvComputeWork w;
  w.step.add(conv_gemm_insn(plan, 0));
  w.tile.add(conv_reset_insn(plan, 0));
  each_epilogue_insn(plan, epilogue, 0, [&](const Insn& i) { w.tile.add(i); });
  return w;
}

ConvEstimate estimate_conv(const ConvPlan& p, const Epilogue& ep, const EstimateInputs& in, const ConvComputeWork* work) {
  const double bw = in.bw;
  const double lat = in.lat;
  // With two threads the data the pair of tiles shares is loaded once for both (conv_lowering.cpp).
  const double inp_share = p.nbuf == 2 && p.thread_over_oc ? 0.5 : 1.0;
  const double wgt_share = p.nbuf == 2 && !p.thread_over_oc ? 0.5 : 1.0;
  const double inp_bytes = double(p.inp_tile) * in.inp_elem * inp_share;
  const double wgt_bytes = double(p.wgt_tile) * in.wgt_elem * wgt_share;
  const double out_bytes = double(p.oc_f) * p.pixels * in.out_elem;
  const double bias_bytes = double(p.oc_f) * in.acc_elem;
  // Loads of one reduction step: each input block and the weights pay a latency (every DRAM row does
  // when rows are issued one at a time), bytes at the port, and per-row work.
  const double weight_loads = (p.split_kernel() ? double(p.ko) : 1.0) * wgt_share;
  const double inp_rows = double(p.ko) * p.in_rows * inp_share, wgt_rows = weight_loads * p.oc_f;
  const double load_rows = inp_rows + wgt_rows;
  const double latencies =
      (in.inp_serial ? inp_rows : double(p.ko) * inp_share) + (in.wgt_serial ? wgt_rows : weight_loads);
  const double load = (inp_bytes + wgt_bytes) / bw + lat * latencies + double(p.ko) * p.in_rows * inp_share +
                      in.row_work * load_rows;
  // Compute cycles from the very instructions the lowering emits, timed as the compute module does.
  const ComputeTiming& ct = in.compute;
  ConvComputeWork built;
  if (!work) built = ConvComputeWork::of(p, ep), work = &built;
  const double gemm = double(work->step.cycles(ct));
  const double epilogue = double(work->tile.cycles(ct)) + lat + bias_bytes / bw;
  const double store_rows = double(p.oc_f) * p.h_f;
  const double store = (in.store_serial ? store_rows : double(p.oc_f)) * in.write_latency + out_bytes / bw +
                       in.dma_row_cycles * store_rows;
  ConvEstimate e;
  e.dram_bytes = uint64_t(double(p.tiles) * (p.steps * (inp_bytes + wgt_bytes) + out_bytes + bias_bytes));
  e.compute_cycles = double(p.tiles) * (p.steps * gemm + epilogue);
  e.memory_cycles = double(e.dram_bytes) / bw;
  if (p.nbuf == 1) {
    e.cycles = double(p.tiles) * (p.steps * (load + gemm) + epilogue + store);
  } else {
    // Loads overlap GEMMs and stores overlap the next tile; the busier side bounds the layer.
    const double overlapped = std::max(e.compute_cycles, double(p.tiles) * (p.steps * load + store));
    e.cycles = std::max(overlapped, e.memory_cycles) + load + store;
  }
  return e;
}

}  // namespace vtasim
