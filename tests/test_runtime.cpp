// The runtime: dependency folding, micro-op kernels and their cache, convolution plans and schedules,
// and compiled convolutions checked bit for bit against the reference (functional engine).
#include <catch2/catch.hpp>
#include <stdexcept>

#include "runtime/conv_lowering.h"
#include "runtime/conv_schedule.h"
#include "models/errors.h"
#include "models/functional_engine.h"
#include "runtime/insn_stream.h"
#include "runtime/run_request.h"
#include "runtime/uop_cache.h"
#include "runtime/uop_kernel.h"

using namespace vtasim;

namespace {

HwConfig cfg_with(const std::vector<std::string>& sets) { return HwConfig::from_json_text("{}", "test", sets); }

// "L" load, "C" compute, "S" store + flags as "<" pop_prev, ">" pop_next, "^" push_prev, "v" push_next,
// "-" for a no-op; e.g. "L-v" is a load no-op pushing to compute.
std::string describe(const Insn& i) {
  std::string s;
  const Stage st = stage_of(i, 0);
  s += st == Stage::Load ? "L" : st == Stage::Compute ? "C" : "S";
  if (i.opcode == Opcode::Finish) s += "F";
  else if (i.is_noop()) s += "-";
  if (i.pop_prev_dep) s += "<";
  if (i.pop_next_dep) s += ">";
  if (i.push_prev_dep) s += "^";
  if (i.push_next_dep) s += "v";
  return s;
}

std::vector<std::string> describe_all(const InsnStream& s) {
  std::vector<std::string> out;
  for (const auto& i : s.insns()) out.push_back(describe(i));
  return out;
}

Insn load_inp() {
  Insn i;
  i.opcode = Opcode::Load;
  i.memory_type = MemType::Inp;
  i.x_size = 1;
  i.y_size = 1;
  return i;
}
Insn gemm() {
  Insn i;
  i.opcode = Opcode::Gemm;
  return i;
}
Insn store() {
  Insn i;
  i.opcode = Opcode::Store;
  i.memory_type = MemType::Out;
  i.x_size = 1;
  i.y_size = 1;
  return i;
}

}  // namespace

TEST_CASE("dependency pushes fold onto the stage's last instruction or else a no-op", "[runtime][deps]") {
  InsnStream s;
  s.emit(load_inp());
  s.dep_push(Stage::Load, Stage::Compute);  // onto the load
  s.dep_push(Stage::Load, Stage::Compute);  // flag taken: a load no-op
  s.dep_pop(Stage::Load, Stage::Compute);
  s.emit(gemm());                           // carries the pop
  s.dep_push(Stage::Compute, Stage::Load);  // push_prev onto the GEMM
  s.dep_push(Stage::Compute, Stage::Store); // push_next onto the GEMM as well
  s.dep_push(Stage::Compute, Stage::Store); // taken: compute no-op
  s.dep_push(Stage::Store, Stage::Compute); // no store instruction yet: store no-op
  CHECK(describe_all(s) == std::vector<std::string>{"Lv", "L-v", "C<^v", "C-v", "S-^"});
}

TEST_CASE("pending pops attach to the next instruction of their stage and a second one flushes", "[runtime][deps]") {
  InsnStream s;
  s.dep_pop(Stage::Compute, Stage::Load);   // pending pop_next for load
  s.emit(gemm());                           // other stage: unaffected
  s.emit(load_inp());                       // carries it
  s.dep_pop(Stage::Load, Stage::Compute);   // pending pop_prev for compute
  s.dep_pop(Stage::Store, Stage::Compute);  // pending pop_next for compute (different kind)
  s.dep_pop(Stage::Load, Stage::Compute);   // same kind again: flush both as a compute no-op
  s.emit(gemm());                           // carries the new pop_prev
  s.dep_pop(Stage::Compute, Stage::Store);
  s.emit(store());
  s.dep_pop(Stage::Store, Stage::Compute);
  s.synchronise();                          // compute no-op with the pending pop, then FINISH
  CHECK(describe_all(s) == std::vector<std::string>{"C", "L>", "C-<>", "C<", "S<", "C->", "CF"});
}

TEST_CASE("micro-op cache hit and append and wrap-around eviction", "[runtime][uop]") {
  UopCache c(10);
  const std::vector<uint32_t> a = {1, 2, 3, 4}, b = {5, 6, 7}, d = {8, 9, 10, 11};
  const auto pa = c.place(a);
  CHECK(pa.load_needed);
  CHECK(pa.sram_base == 0);
  const auto pb = c.place(b);
  CHECK(pb.load_needed);
  CHECK(pb.sram_base == 4);
  const auto pa2 = c.place(a);  // resident: free
  CHECK_FALSE(pa2.load_needed);
  CHECK(pa2.sram_base == 0);
  const auto pd = c.place(d);   // 7 + 4 > 10: wraps to 0, evicts a
  CHECK(pd.load_needed);
  CHECK(pd.sram_base == 0);
  CHECK(c.evictions() == 1);
  CHECK_FALSE(c.place(b).load_needed);  // b at 4..7 survived
  CHECK(c.place(a).load_needed);        // a was evicted; appended after d at 4 -> evicts b
  CHECK(c.hits() == 2);
  CHECK(c.misses() == 4);
}

TEST_CASE("kernel lowering keeps consecutive micro-ops on different accumulators", "[runtime][uop]") {
  KernelLimits lim{16383, 2047, 2047, 1023, 8192};
  // 2 output blocks x 3 rows x 4 columns, 3x3 taps: x moves dst and must be innermost.
  AffineKernel k;
  k.dims = {{"o", 2, 12, 0, 9}, {"y", 3, 4, 6, 0}, {"x", 4, 1, 1, 0}, {"ky", 3, 0, 6, 3}, {"kx", 3, 0, 1, 1}};
  LoweredKernel out;
  std::string why;
  REQUIRE(lower_kernel(k, lim, out, why));
  CHECK_FALSE(has_write_hazard(out));
  CHECK(out.uops.size() * out.iter_out * out.iter_in == 2u * 3 * 4 * 3 * 3);
  // Every (o, y, x, ky, kx) appears exactly once.
  std::vector<int> seen(2 * 12 * 100, 0);
  for (uint32_t i0 = 0; i0 < out.iter_out; ++i0)
    for (uint32_t i1 = 0; i1 < out.iter_in; ++i1)
      for (const auto& u : out.uops) {
        const uint32_t dst = u.dst + i0 * out.dst_factor_out + i1 * out.dst_factor_in;
        const uint32_t wgt = u.wgt + i0 * out.wgt_factor_out + i1 * out.wgt_factor_in;
        seen[size_t(dst * 100 + wgt)]++;
      }
  int total = 0;
  for (int v : seen) {
    CHECK(v <= 1);
    total += v;
  }
  CHECK(total == 2 * 3 * 4 * 9);

  // A kernel whose every micro-op writes one accumulator cannot be made hazard-free.
  AffineKernel bad;
  bad.dims = {{"ky", 3, 0, 6, 3}, {"kx", 3, 0, 1, 1}};
  CHECK_FALSE(lower_kernel(bad, lim, out, why));
  CHECK(why.find("same accumulator") != std::string::npos);
  // Dimensions are kept in place, eight at most; a ninth is refused, not dropped.
  const KernelDim one{"d", 2, 1, 0, 0};
  CHECK_NOTHROW(KernelDims{one, one, one, one, one, one, one, one});
  CHECK_THROWS_AS((KernelDims{one, one, one, one, one, one, one, one, one}), std::length_error);

  // A hazard made by hand is detected across an iteration boundary too.
  LoweredKernel h;
  h.uops = {{0, 0, 0}, {1, 0, 0}};
  h.iter_in = 2;
  h.dst_factor_in = 0;  // second pass starts at dst 0 after dst 1: fine
  CHECK_FALSE(has_write_hazard(h));
  h.uops = {{1, 0, 0}, {0, 0, 0}};
  h.dst_factor_in = 0;  // dst 0 then dst 1 ... 0 then 1: fine
  CHECK_FALSE(has_write_hazard(h));
  h.uops = {{0, 0, 0}, {1, 0, 0}};
  h.dst_factor_in = 1;  // ... 1 | 1 ...: hazard at the boundary
  CHECK(has_write_hazard(h));
}

namespace {

ConvLayer layer(const std::string& name, int h, int w, int ic, int oc, int k, int pad, int stride, bool relu = true,
                int n = 1) {
  ConvLayer l;
  l.name = name;
  l.shape.n = n;
  l.shape.h = h;
  l.shape.w = w;
  l.shape.ic = ic;
  l.shape.oc = oc;
  l.shape.kh = l.shape.kw = k;
  l.shape.pad = pad;
  l.shape.stride = stride;
  l.epilogue.relu = relu;
  l.epilogue.shift = default_shift(ic, k, k);
  return l;
}

// Compiles and runs a layer on the functional engine; returns the first mismatch or "".
std::string run_layer(const ConvLayer& l, const HwConfig& cfg, const ConvSchedule& s, uint64_t seed = 3) {
  const ConvData d = make_conv_data(l, seed);
  CompiledConv c = compile_conv(l, cfg, s, d);
  FunctionalEngine(cfg).run(c.image);
  const Int8Tensor got = read_conv_output(c, l, cfg);
  const Int8Tensor want = reference_conv2d(l.shape, d.input, d.weights, d.bias, l.epilogue);
  for (size_t k = 0; k < want.data.size(); ++k)
    if (got.data[k] != want.data[k]) return "element " + std::to_string(k) + " differs";
  int nonzero = 0, saturated = 0;
  for (auto v : want.data) {
    nonzero += v != 0;
    saturated += v == 127 || v == -128;
  }
  // The data must exercise the epilogue, not just produce zeros or saturate everywhere.
  if (nonzero == 0 || saturated == int(want.data.size())) return "degenerate reference output";
  return "";
}

}  // namespace

TEST_CASE("small convolutions compile bit-exact for every shape kind and both thread counts", "[runtime][conv]") {
  const std::vector<ConvLayer> layers = {
      layer("1x1s1", 8, 8, 32, 32, 1, 0, 1),
      layer("3x3s1p1", 9, 7, 16, 48, 3, 1, 1, false),
      layer("3x3s2p1", 10, 10, 32, 16, 3, 1, 2),
      layer("1x1s2", 9, 9, 16, 32, 1, 0, 2, false),
      layer("chanpad", 11, 5, 3, 16, 3, 1, 1),      // 3 input channels padded to 16
      layer("7x7s2p3", 15, 13, 5, 32, 7, 3, 2),
      layer("odd_oc", 6, 6, 20, 24, 3, 1, 1),       // channel counts not multiples of the block
      layer("batch3", 5, 5, 16, 16, 3, 1, 1, true, 3),
  };
  const std::vector<std::vector<std::string>> configs = {
      {},
      {"LOG_BATCH=1", "LOG_BLOCK=5"},
      {"LOG_BLOCK=3", "LOG_INP_BUFF_SIZE=13", "LOG_WGT_BUFF_SIZE=16", "LOG_ACC_BUFF_SIZE=15"},
      {"LOG_BLOCK_IN=5", "LOG_BLOCK_OUT=4", "LOG_INP_BUFF_SIZE=13", "LOG_ACC_BUFF_SIZE=14", "LOG_WGT_BUFF_SIZE=16"},
  };
  for (const auto& sets : configs) {
    const HwConfig cfg = cfg_with(sets);
    for (const auto& l : layers) {
      for (uint32_t threads : {1u, 2u}) {
        INFO(l.name << " on " << cfg.batch() << "x" << cfg.block_in() << "x" << cfg.block_out() << ", " << threads
                    << " thread(s)");
        const ConvSchedule s = auto_schedule(l, cfg, threads);
        INFO("schedule " << s.describe());
        CHECK(run_layer(l, cfg, s) == "");
      }
    }
  }
}

TEST_CASE("many tiles with small explicit schedules exercise buffer halves and the micro-op cache", "[runtime][conv]") {
  const HwConfig cfg = HwConfig::defaults();
  const ConvLayer l = layer("tiles", 12, 12, 64, 64, 3, 1, 1);
  for (uint32_t oc_n : {1u, 2u}) {
    for (uint32_t h_n : {1u, 2u}) {
      if (oc_n * h_n > 2) continue;
      ConvSchedule s;
      s.oc_factor = 1;
      s.ko_factor = 2;
      s.h_factor = 3;
      s.w_factor = 4;
      s.oc_nthread = oc_n;
      s.h_nthread = h_n;
      INFO(s.describe());
      CHECK(run_layer(l, cfg, s) == "");
    }
  }
}

TEST_CASE("kernel rows split over reduction steps compile bit-exact, padding-only windows included", "[runtime][conv]") {
  // 7x7 stride 2 pad 3: with one kernel row per step and one output row per tile, the first steps of
  // the top tile read rows that lie entirely in the padding.
  const ConvLayer l = layer("7x7split", 14, 12, 24, 32, 7, 3, 2);
  const HwConfig cfg = cfg_with({"LOG_WGT_BUFF_SIZE=14", "LOG_INP_BUFF_SIZE=12"});  // 64 weights, 256 inputs
  for (uint32_t kh : {1u, 7u}) {
    for (uint32_t oc_n : {1u, 2u}) {
      ConvSchedule s = ConvSchedule::make(1, 1, 1, 0, oc_n, 1, "test", kh);
      ConvPlan p;
      std::string why;
      if (kh == 7 && oc_n == 2) {
        CHECK_FALSE(plan_conv(l, cfg, s, p, why));  // 49 weights per half do not fit 32
        continue;
      }
      INFO(s.describe());
      REQUIRE(plan_conv(l, cfg, s, p, why));
      CHECK(run_layer(l, cfg, s) == "");
    }
  }
  // Two input blocks per step with split rows: one weight load per block.
  ConvSchedule s = ConvSchedule::make(2, 2, 2, 0, 1, 2, "test", 1);
  CHECK(run_layer(layer("ko2", 10, 9, 32, 32, 3, 1, 1), cfg_with({}), s) == "");
  // The search finds a schedule where whole kernels cannot fit.
  const ConvSchedule a = auto_schedule(l, cfg, 2);
  CHECK(a.kh_factor != 0);
  CHECK(run_layer(l, cfg, a) == "");
}

TEST_CASE("schedules that do not fit are rejected with the limit named", "[runtime][schedule]") {
  const HwConfig cfg = HwConfig::defaults();
  const ConvLayer l = layer("big", 56, 56, 64, 64, 3, 1, 1);
  ConvPlan p;
  std::string why;
  ConvSchedule s;
  s.oc_factor = 4;
  s.ko_factor = 4;
  s.h_factor = 56;
  s.w_factor = 0;
  CHECK_FALSE(plan_conv(l, cfg, s, p, why));
  CHECK(why.find("input tile") != std::string::npos);
  s.h_factor = 5;  // does not divide 56
  CHECK_FALSE(plan_conv(l, cfg, s, p, why));
  CHECK(why.find("h_factor 5 must divide 56") != std::string::npos);
}

TEST_CASE("vta2018 schedules apply to the benchmark shapes only", "[runtime][schedule]") {
  const HwConfig cfg = HwConfig::defaults();
  const auto layers = load_workload("resnet18_convs");
  for (const auto& l : layers) {
    for (uint32_t t : {1u, 2u}) {
      INFO(l.name << " threads " << t);
      ConvSchedule s;
      CHECK_NOTHROW(s = vta2018_schedule(l, cfg, t));
      CHECK(s.source == "vta2018");
    }
  }
  // C2's two-thread schedule: 2,1,7,0 with h_nthread=2
  const ConvSchedule c2 = vta2018_schedule(layers[1], cfg, 2);
  CHECK(c2.oc_factor == 2);
  CHECK(c2.h_factor == 7);
  CHECK(c2.h_nthread == 2);
  CHECK_THROWS_WITH(vta2018_schedule(layer("other", 10, 10, 16, 16, 3, 1, 1), cfg, 1),
                    Catch::Contains("not one of the twelve"));
  // A 64-entry weight buffer cannot hold C7's 2018 tile (8 x 1 x 9 = 72).
  const HwConfig small = cfg_with({"LOG_WGT_BUFF_SIZE=14"});
  CHECK_THROWS_WITH(vta2018_schedule(layers[6], small, 1), Catch::Contains("does not fit") && Catch::Contains("WGT"));
}

TEST_CASE("the 2018 schedules compile bit-exact (C11 and C12)", "[runtime][schedule]") {
  const HwConfig cfg = HwConfig::defaults();
  const auto layers = load_workload("resnet18_convs");
  for (size_t idx : {size_t(10), size_t(11)}) {
    for (uint32_t t : {1u, 2u}) {
      INFO(layers[idx].name << " threads " << t);
      CHECK(run_layer(layers[idx], cfg, vta2018_schedule(layers[idx], cfg, t)) == "");
    }
  }
}

TEST_CASE("workload CSV errors name the file, line and column", "[runtime][workload]") {
  const std::string head = "name,H,W,IC,OC,KH,KW,pad,stride,count\n";
  CHECK_THROWS_WITH(parse_workload_csv(head + "A,8,8,16,16,3,3,1,x,1\n", "w.csv"),
                    Catch::Contains("w.csv:2, column 9 (stride)") && Catch::Contains("'x'"));
  CHECK_THROWS_WITH(parse_workload_csv(head + "A,8,8,16,16,3,3,1,1\n", "w.csv"), Catch::Contains("w.csv:2"));
  CHECK_THROWS_WITH(parse_workload_csv("name,H,W\n", "w.csv"), Catch::Contains("lacks the column 'IC'"));
  CHECK_THROWS_WITH(parse_workload_csv(head + "A,8,8,16,16,3,3,3,1,1\n", "w.csv"), Catch::Contains("pad 3"));
  CHECK_THROWS_WITH(parse_workload_csv(head + "A,8,8,16,16,3,3,1,1,1\nA,8,8,16,16,3,3,1,1,1\n", "w.csv"),
                    Catch::Contains("appears twice"));
  const auto l = parse_workload_csv("name,H,W,IC,OC,KH,KW,pad,stride,count,relu,shift,batch\nX,8,9,16,32,3,3,1,2,2,0,5,2\n", "ok");
  REQUIRE(l.size() == 1);
  CHECK(l[0].shape.w == 9);
  CHECK(l[0].shape.n == 2);
  CHECK(l[0].epilogue.shift == 5);
  CHECK_FALSE(l[0].epilogue.relu);
  const auto r = load_workload("resnet18_convs");
  REQUIRE(r.size() == 12);
  CHECK(r[0].shape.ic == 3);
  CHECK(r[1].count == 4);
  CHECK(r[2].count == 0);
  // MMACs of the brief's table: C2 115.6, C1 118.0
  CHECK(double(r[1].macs()) / 1e6 == Approx(115.6).margin(0.05));
  CHECK(double(r[0].macs()) / 1e6 == Approx(118.0).margin(0.05));
}

TEST_CASE("a run request survives its JSON form and is validated again when read", "[runtime][request]") {
  RunRequest r;
  r.config = cfg_with({"LOG_BLOCK=5", "dram.latency=40"});
  r.workload = Workload::from_csv("mine.csv", "name,H,W,IC,OC,KH,KW,pad,stride,count\nA,8,8,32,32,3,3,1,1,1\nB,8,8,32,64,1,1,0,1,2\n");
  r.layer_names = {"B"};
  r.threads = {2};
  r.schedule = ScheduleSource::from_csv("s.csv", "layer,threads,oc_factor,ko_factor,h_factor,w_factor,h_nthread\nB,2,1,1,2,0,2\n");
  r.engine = EngineKind::Timing;
  r.seed = 7;
  r.trace_layer = "B";
  const RunRequest back = RunRequest::from_json(r.to_json(), "req.json");
  CHECK(back.config.to_config_json() == r.config.to_config_json());
  CHECK(back.workload.name == "mine.csv");
  REQUIRE(back.layers().size() == 1);
  CHECK(back.layers()[0].shape.oc == 64);
  CHECK(back.threads == std::vector<uint32_t>{2});
  CHECK(back.schedule.kind == ScheduleKind::File);
  CHECK(back.schedule.table.count({"B", 2}) == 1);
  CHECK(back.engine == EngineKind::Timing);
  CHECK(back.seed == 7);
  CHECK(back.trace_layer == "B");
  CHECK(back.to_json() == r.to_json());
  // Read back, a request is checked as strictly as the command line checks its options.
  std::string bad = r.to_json();
  bad.replace(bad.find("\"timing\""), 8, "\"warp\"");
  CHECK_THROWS_WITH(RunRequest::from_json(bad, "req.json"), Catch::Contains("'warp'"));
  CHECK_THROWS_WITH(RunRequest::from_json("{}", "req.json"), Catch::Contains("req.json"));
  CHECK_THROWS_WITH(RunRequest::from_json("[", "req.json"), Catch::Contains("not valid JSON"));
}

TEST_CASE("the run vocabulary has one parser each", "[runtime][request]") {
  CHECK(parse_threads("both", "--threads") == std::vector<uint32_t>{1, 2});
  CHECK(parse_threads("2", "--threads") == std::vector<uint32_t>{2});
  CHECK_THROWS_WITH(parse_threads("3", "--threads"), Catch::Contains("--threads '3'"));
  CHECK_THROWS_WITH(check_threads({1, 1}, "threads"), Catch::Contains("twice"));
  CHECK_THROWS_WITH(check_threads({0}, "threads"), Catch::Contains("0 is not a thread count"));
  CHECK(parse_name_list("C2,,C6") == std::vector<std::string>{"C2", "C6"});
  CHECK(parse_engine_kind("timing", "--engine") == EngineKind::Timing);
  CHECK_THROWS_WITH(parse_engine_kind("fast", "--engine"), Catch::Contains("--engine 'fast'"));
  CHECK_THROWS_WITH(ScheduleSource::parse("/no/such/file.csv"), Catch::Contains("/no/such/file.csv"));
  const Workload w = Workload::load("resnet18_convs");
  CHECK_THROWS_WITH(select_layers(w, {"C99"}), Catch::Contains("C99") && Catch::Contains("C1,C2"));
}

// An estimate from a tiling's kept compute work is the estimate built from scratch, and that work
// times as the instructions the lowering emits do (gemm_cycles, alu_cycles one by one), for every
// tiling of three layer shapes and epilogues on three timings (GEMM fill and its rule, ALU costs).
TEST_CASE("estimates from kept compute work equal estimates built afresh", "[runtime][schedule]") {
  const Workload w = Workload::load("resnet18_convs");
  int checked = 0;
  for (const auto& sets : std::vector<std::vector<std::string>>{
           {}, {"gemm.fill=9", "alu.cycles=7", "dram.latency=80"}, {"gemm.fill_per=outer", "alu.imm_cycles=3"}}) {
    const HwConfig cfg = HwConfig::from_json_text("{}", "test", sets);
    const EstimateInputs in = EstimateInputs::of(cfg);
    const ComputeTiming& ct = in.compute;
    for (ConvLayer layer : select_layers(w, {"C1", "C6", "C11"})) {
      layer.epilogue.relu = checked % 2 == 0;
      for (const auto& r : rank_schedules(layer, cfg, 1)) {
        ConvPlan plan;
        std::string why;
        if (!plan_conv(layer, cfg, r.schedule, plan, why, false)) continue;
        const ConvComputeWork kept = ConvComputeWork::of(plan, layer.epilogue);
        CHECK(estimate_conv(plan, layer.epilogue, in, &kept).cycles == estimate_conv(plan, layer.epilogue, in).cycles);
        CHECK(kept.step.cycles(ct) == gemm_cycles(conv_gemm_insn(plan, 0), ct));
        uint64_t tile = gemm_cycles(conv_reset_insn(plan, 0), ct);
        for (const Insn& i : conv_epilogue_insns(plan, layer.epilogue, 0)) tile += alu_cycles(i, ct);
        CHECK(kept.tile.cycles(ct) == tile);
        CHECK(estimate_conv(plan, layer.epilogue, in).cycles == r.estimate);
        ++checked;
      }
    }
  }
  CHECK(checked > 100);
}
