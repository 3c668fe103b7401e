// The operators besides the dense convolution (grouped and depthwise convolution, dense, residual add,
// max and average pooling): their references against hand-computed values, SCALE-Sim topologies, and
// every operator bit-exact on the functional engine over core shapes; whole networks load and the
// end-to-end ResNet-18 runs bit-exact layer by layer.
#include <catch2/catch.hpp>

#include "models/errors.h"
#include "models/functional_engine.h"
#include "runtime/run_layers.h"
#include "workloads/reference_ops.h"

using namespace vtasim;

namespace {

// A tiny network with every operator; shapes chosen to cross block and tile edges. (A dense layer
// needs two output-channel blocks on one image: with one, every GEMM micro-op would write the same
// accumulator back to back, a hazard VTA's pipeline does not allow.)
const char* kTinyNetwork =
    "name,op,H,W,IC,OC,KH,KW,pad,stride,groups,relu,count\n"
    "conv,conv,10,10,3,24,3,3,1,2,1,1,1\n"
    "grouped,conv,5,5,24,24,3,3,1,1,3,1,1\n"
    "depthwise,conv,5,5,24,24,3,3,1,1,24,1,1\n"
    "pool_max,maxpool,9,9,24,24,3,3,1,2,1,0,1\n"
    "pool_avg,avgpool,6,6,20,20,2,2,0,2,1,0,1\n"
    "global,avgpool,5,5,24,24,5,5,0,1,1,0,1\n"
    "residual,add,7,5,40,40,1,1,0,1,1,1,1\n"
    "fc,dense,1,1,24,40,1,1,0,1,1,0,1\n";

RunOutcome run_functional(const std::string& csv, const std::vector<std::string>& sets, uint32_t batch = 0) {
  RunRequest req;
  req.config = HwConfig::from_json_text("{}", "test", sets);
  req.workload = Workload::from_csv("tiny_network.csv", csv);
  req.threads = {1};
  req.engine = EngineKind::Functional;
  req.batch = batch;
  FunctionalEngine engine(req.config);
  return run_layers(req, engine);
}

}  // namespace

TEST_CASE("operator references on hand-computed values", "[operators]") {
  // 1 image, 1 channel, 4x4 ramp 0..15.
  Int8Tensor in(1, 1, 4, 4);
  for (int i = 0; i < 16; ++i) in.data[size_t(i)] = int8_t(i);
  ConvShape pool{1, 4, 4, 1, 1, 2, 2, 0, 2};
  const Int8Tensor mx = reference_maxpool(pool, in);
  CHECK(mx.at(0, 0, 0, 0) == 5);   // max of 0, 1, 4, 5
  CHECK(mx.at(0, 0, 1, 1) == 15);  // max of 10, 11, 14, 15
  // Average of 0, 1, 4, 5 = 2.5: 4 elements -> mul/2^shift closest to 1/4 is exact (e.g. 64/256), so 10 x 1/4 = 2.
  CHECK(avgpool_scale(4).mul * 4 == (1 << avgpool_scale(4).shift));
  CHECK(reference_avgpool(pool, in).at(0, 0, 0, 0) == 2);
  CHECK(reference_avgpool(pool, in).at(0, 0, 1, 1) == 12);  // (10+11+14+15)/4 = 12.5 -> 12
  // 49 elements: 21/1024 (= 84/4096 = 1/48.76) is the closest fraction with mul <= 127; the smallest
  // shift of equally close ones is kept.
  CHECK(avgpool_scale(49).mul == 21);
  CHECK(avgpool_scale(49).shift == 10);
  // A padded max: with pad 1 the corner window sees the padding's zeros.
  Int8Tensor neg(1, 1, 2, 2);
  for (auto& v : neg.data) v = -5;
  ConvShape padded{1, 2, 2, 1, 1, 3, 3, 1, 1};
  CHECK(reference_maxpool(padded, neg).at(0, 0, 0, 0) == 0);
  // Add: (100 + 100) >> 1 = 100; (-100 + -100) >> 1 = -100, ReLU makes it 0; (127 + 127) >> 0 clips to 127.
  Int8Tensor a(1, 1, 1, 2), b(1, 1, 1, 2);
  a.data = {100, -100};
  b.data = {100, -100};
  CHECK(reference_add(a, b, Epilogue{1, true}).data == std::vector<int8_t>{100, 0});
  a.data = {127, -128};
  b.data = {127, -128};
  CHECK(reference_add(a, b, Epilogue{0, false}).data == std::vector<int8_t>{127, -128});
  // Grouped 1x1: two groups of one channel each; the cross weights must not count.
  Int8Tensor x(1, 2, 1, 1), w(2, 2, 1, 1);
  x.data = {3, 5};
  w.data = {2, 100, 100, 7};  // (oc0: ic0=2, ic1=100), (oc1: ic0=100, ic1=7)
  const Int8Tensor g = reference_grouped_conv2d(ConvShape{1, 1, 1, 2, 2, 1, 1, 0, 1}, 2, x, w, {}, Epilogue{0, false});
  CHECK(g.data == std::vector<int8_t>{6, 35});
}

TEST_CASE("every operator runs bit-exact on the functional engine over core shapes", "[operators]") {
  const std::vector<std::vector<std::string>> configs = {
      {},
      {"LOG_BLOCK=5", "inp_depth=2048", "wgt_depth=1024", "acc_depth=2048"},
      {"LOG_BATCH=1", "inp_depth=2048", "wgt_depth=1024", "acc_depth=2048"},
      {"LOG_BATCH=1", "LOG_BLOCK=5", "inp_depth=2048", "wgt_depth=1024", "acc_depth=2048"},
  };
  for (const auto& sets : configs) {
    for (uint32_t batch : {0u, 3u}) {
      INFO("config " << (sets.empty() ? "default" : sets[0]) << (sets.size() > 1 ? " " + sets[1] : "") << ", batch " << batch);
      const RunOutcome out = run_functional(kTinyNetwork, sets, batch);
      CHECK(out.mismatch.empty());
      REQUIRE(out.rows.size() == 8);
      for (const auto& r : out.rows) {
        INFO(r.layer);
        CHECK(r.verified == "yes");
      }
    }
  }
}

TEST_CASE("operators count their work: grouped MACs, pooling and add element operations", "[operators]") {
  const RunOutcome out = run_functional(kTinyNetwork, {});
  auto row = [&](const std::string& name) -> const LayerResult& {
    for (const auto& r : out.rows)
      if (r.layer == name) return r;
    FAIL("no row " << name);
    return out.rows.front();
  };
  // grouped: 5x5 outputs x 24 out channels x (24 / 3) inputs x 9 taps.
  CHECK(row("grouped").macs == 5u * 5 * 24 * 8 * 9);
  CHECK(row("depthwise").macs == 5u * 5 * 24 * 1 * 9);
  // The depthwise layer executes dense block-diagonal weights: 1/16 of a 16-wide block is useful.
  CHECK(double(row("depthwise").macs) / double(row("depthwise").access.macs) < 1.0 / 16 + 1e-9);
  // maxpool 9x9 -> 5x5 (pad 1, stride 2), 24 channels, 9 taps each.
  CHECK(row("pool_max").ops == 5u * 5 * 24 * 9);
  CHECK(row("pool_max").macs == 0);
  CHECK(row("residual").ops == 7u * 5 * 40);
  CHECK(row("residual").op == "add");
  CHECK(row("fc").macs == 24u * 40);
}

TEST_CASE("workload operator rows are checked", "[operators][workload]") {
  auto err = [](const std::string& row) {
    try {
      parse_workload_csv("name,op,H,W,IC,OC,KH,KW,pad,stride,groups,count\n" + row + "\n", "w.csv");
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(err("a,pool,4,4,8,8,2,2,0,2,1,1").find("'pool' is not one of") != std::string::npos);
  CHECK(err("a,conv,4,4,8,9,3,3,1,1,2,1").find("groups 2 must divide") != std::string::npos);
  CHECK(err("a,dense,4,4,8,9,1,1,0,1,1,1").find("dense layer") != std::string::npos);
  CHECK(err("a,add,4,4,8,9,1,1,0,1,1,1").find("OC = IC") != std::string::npos);
  CHECK(err("a,maxpool,4,4,8,9,2,2,0,2,1,1").find("keeps its channels") != std::string::npos);
  CHECK(err("a,add,4,4,8,8,1,1,0,1,2,1").find("only convolutions take groups") != std::string::npos);
  CHECK(err("a,maxpool,4,4,8,8,2,2,0,2,1,1").empty());
}

TEST_CASE("SCALE-Sim topologies load unchanged as convolutions", "[operators][workload]") {
  const std::string topo =
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
      "Conv1, 230, 230, 7, 7, 3, 64, 2,\n"
      "CB2a 1, 56, 56, 1, 1, 64, 64, 1,\n";
  const auto layers = parse_workload_csv(topo, "resnet.csv");
  REQUIRE(layers.size() == 2);
  CHECK(layers[0].name == "Conv1");
  CHECK(layers[0].shape.h == 230);
  CHECK(layers[0].shape.out_h() == 112);  // (230 - 7) / 2 + 1, no padding
  CHECK(layers[0].shape.ic == 3);
  CHECK(layers[0].shape.oc == 64);
  CHECK(layers[1].name == "CB2a_1");  // a space is not a file-name character
  CHECK(layers[1].op == OpKind::Conv);
  CHECK_THROWS_WITH(parse_workload_csv(topo + "bad, 5, 5, 3,\n", "t.csv"), Catch::Contains("t.csv:4"));
}

TEST_CASE("the shipped networks load, and ResNet-18 end to end runs bit-exact layer by layer", "[operators][network]") {
  for (const char* name : {"resnet18", "resnet34", "resnet50", "mobilenet_v1", "resnet18_convs"}) {
    INFO(name);
    CHECK_NOTHROW(load_workload(name));
  }
  const auto net = load_workload("resnet18");
  CHECK(net.size() == 31);  // 20 convolutions, 8 adds, 2 pools, the classifier
  RunRequest req;
  req.workload = Workload::load("resnet18");
  req.threads = {1};
  req.engine = EngineKind::Functional;
  FunctionalEngine engine(req.config);
  const RunOutcome out = run_layers(req, engine);
  CHECK(out.mismatch.empty());
  REQUIRE(out.rows.size() == 31);
  for (const auto& r : out.rows) CHECK(r.verified == "yes");
}
