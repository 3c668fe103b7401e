// The run pipeline end to end on the timed engine: a golden layers.csv for a tiny convolution with
// fixed schedules, and the analytic estimate's ranking of schedules against simulated cycles. Each
// test case runs in its own process (one SystemC elaboration per process).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <sstream>

#include <catch2/catch.hpp>

#include "models/file_io.h"
#include "models/functional_engine.h"
#include "runtime/conv_lowering.h"
#include "runtime/run_layers.h"
#include "runtime/search_cache.h"
#include "test_configs.h"
#include "tlm/timed_engine.h"

using namespace vtasim;

namespace {

const char* kTinyWorkload =
    "name,H,W,IC,OC,KH,KW,pad,stride,count\n"
    "T1,8,8,32,32,3,3,1,1,2\n";
// One thread: one output block per tile, 4 of the 8 rows; two threads over rows, 2 rows a tile.
const char* kTinySchedules =
    "layer,threads,oc_factor,ko_factor,h_factor,w_factor,oc_nthread,h_nthread\n"
    "T1,1,1,1,4,0,1,1\n"
    "T1,2,1,2,2,0,1,2\n";

RunRequest tiny_request() {
  RunRequest r;
  r.config = test::ideal_cfg();  // pinned: the golden file must not follow a recalibrated preset
  r.workload = Workload::from_csv("tiny.csv", kTinyWorkload);
  r.schedule = ScheduleSource::from_csv("tiny_schedules.csv", kTinySchedules);
  r.threads = {1, 2};
  r.engine = EngineKind::Timed;
  return r;
}

// Spearman's rank correlation (no ties expected among simulated cycles of distinct schedules; ties
// get their average rank anyway).
double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  auto ranks = [](const std::vector<double>& v) {
    std::vector<size_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::sort(idx.begin(), idx.end(), [&](size_t x, size_t y) { return v[x] < v[y]; });
    std::vector<double> r(v.size());
    for (size_t i = 0; i < idx.size();) {
      size_t j = i;
      while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
      for (size_t k = i; k <= j; ++k) r[idx[k]] = double(i + j) / 2.0;
      i = j + 1;
    }
    return r;
  };
  const auto ra = ranks(a), rb = ranks(b);
  const double n = double(a.size()), mean = (n - 1) / 2;
  double num = 0, da = 0, db = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) * (ra[i] - mean);
    db += (rb[i] - mean) * (rb[i] - mean);
  }
  return num / std::sqrt(da * db);
}

}  // namespace

// Regression: every column of layers.csv for a tiny layer, against tests/golden/tiny_conv_layers.csv.
// A deliberate timing change updates the file: VTASIM_UPDATE_GOLDEN=1 ctest -R golden, then review the
// diff. The quantities below that do not depend on timing are derived by hand.
TEST_CASE("first_difference names the first differing output and is empty for equal ones", "[pipeline]") {
  Int8Tensor want(1, 2, 2, 3), got(1, 2, 2, 3);
  for (size_t k = 0; k < want.data.size(); ++k) want.data[k] = got.data[k] = int8_t(k * 7 - 40);
  CHECK(first_difference(got, want).empty());
  got.at(0, 1, 0, 2) = 99;  // and a later one: the first in (n, c, y, x) order is named
  got.at(0, 1, 1, 0) = -5;
  CHECK(first_difference(got, want) == "output (n=0, c=1, y=0, x=2) is 99, the reference says " +
                                           std::to_string(int(want.at(0, 1, 0, 2))));
  CHECK(first_difference(Int8Tensor(1, 2, 3, 2), want) == "the output has a different shape than the reference");
}

TEST_CASE("golden layers.csv of a tiny convolution with fixed schedules", "[pipeline][golden]") {
  const RunRequest req = tiny_request();
  TimedEngine engine(req.config);
  const RunOutcome out = run_layers(req, engine);
  REQUIRE(out.mismatch.empty());
  REQUIRE(out.rows.size() == 2);
  for (const auto& r : out.rows) {
    INFO("threads " << r.threads);
    CHECK(r.verified == "yes");
    // 8 x 8 outputs x 32 output channels x 32 x 3 x 3 taps.
    CHECK(r.macs == 8u * 8 * 32 * 32 * 9);
    CHECK(r.ops == 2 * r.macs);
    // Every output byte is stored once: 2 channel blocks x 64 pixels x 16 bytes.
    CHECK(r.bytes[int(ByteKind::Out)] == 2u * 64 * 16);
    // Bias rows: one 64-byte acc element per output block per tile.
    const uint64_t tiles = 2 * (r.threads == 1 ? 2 : 4);
    CHECK(r.bytes[int(ByteKind::Acc)] == tiles * 64);
    // Weights: per tile the tile's output block over every input block and tap, 256 bytes each; two
    // threads over rows share them, so each pair of tiles loads them once.
    const uint64_t weight_loads = r.threads == 1 ? tiles : tiles / 2;
    CHECK(r.bytes[int(ByteKind::Wgt)] == weight_loads * 2 * 9 * 256);
    // Inputs: per tile and input block the window of the tile's rows (plus the kernel's 2 halo rows,
    // minus the padding rows at the image edge) of 8 columns, 16 bytes each; 1 thread: 2 tiles per
    // output block of 4 rows (windows of 5 image rows), 2 threads: 4 tiles of 2 rows (3, 4, 4, 3).
    const uint64_t window_rows = r.threads == 1 ? 5 + 5 : 3 + 4 + 4 + 3;
    CHECK(r.bytes[int(ByteKind::Inp)] == 2 * 2 * window_rows * 8 * 16);
  }
  const std::string csv = layers_to_csv(out.rows, req.config.params().clock_mhz);
  const std::string path = std::string(VTASIM_SOURCE_DIR) + "/tests/golden/tiny_conv_layers.csv";
  if (std::getenv("VTASIM_UPDATE_GOLDEN")) write_file_atomic(path, csv);
  CHECK(csv == read_text_file(path, "golden file"));
}

// The analytic estimate orders candidate schedules as the simulation does: over candidates spread
// across the whole ranking of three layers, the rank correlation between estimated and simulated
// cycles stays high.
TEST_CASE("the estimate ranks candidate schedules as the timed engine does", "[pipeline][estimate]") {
  const HwConfig cfg = HwConfig::defaults();
  TimedEngine::Options opts;
  opts.data = false;
  TimedEngine engine(cfg, opts);
  const Workload w = Workload::load("resnet18_convs");
  for (const char* name : {"C5", "C9", "C12"}) {
    const ConvLayer layer = select_layers(w, {name}).front();
    for (uint32_t threads : {1u, 2u}) {
      INFO(name << " with " << threads << " thread(s)");
      const auto ranked = rank_schedules(layer, cfg, threads);
      REQUIRE(ranked.size() >= 12);
      std::vector<double> estimated, simulated;
      const PackedConvData zeros = zero_conv_data(layer, cfg);
      for (size_t k = 0; k < 12; ++k) {
        const auto& c = ranked[k * (ranked.size() - 1) / 11];
        CompiledConv prog;
        try {
          prog = compile_conv(layer, cfg, c.schedule, zeros);
        } catch (const std::exception&) {
          continue;  // sized but not encodable once enumerated (micro-op hazards): not a candidate
        }
        estimated.push_back(c.estimate);
        simulated.push_back(double(engine.run_timed(prog.image).cycles));
      }
      REQUIRE(estimated.size() >= 8);
      const double rho = spearman(estimated, simulated);
      INFO("Spearman rank correlation " << rho);
      CHECK(rho >= 0.8);
    }
  }
}

// A compile hands over its instructions as emitted, which the bound and the timing-only simulation
// of a search take instead of decoding the image: they must be what decoding gives, field for field
// (the encoder checks every field fits; a field outside an opcode's layout would decode as zero). Every
// candidate of every layer, one and two threads, on shapes and boards that change the field widths.
TEST_CASE("a compile's instructions are what decoding its image gives", "[pipeline]") {
  const auto layers = select_layers(Workload::load("resnet18_convs"), {});
  size_t programs = 0;
  for (const auto& sets : std::vector<std::vector<std::string>>{{}, {"LOG_BLOCK=5"}, {"LOG_BATCH=1"}, {"TARGET=ultra96"}}) {
    const HwConfig cfg = HwConfig::from_json_text("{}", "test", sets);
    for (const ConvLayer& layer : layers) {
      for (uint32_t threads : {1u, 2u}) {
        for (const ConvSchedule& s : auto_candidates(layer, cfg, threads, 3)) {
          INFO(layer.name << " t" << threads << " " << s.describe() << " under " << Catch::rangeToString(sets));
          const CompiledConv c = compile_conv(layer, cfg, s, zero_conv_data(layer, cfg));
          const std::vector<Insn> decoded = decode_program(c.image, cfg.isa());
          REQUIRE(decoded.size() == c.insns.size());
          for (size_t i = 0; i < decoded.size(); ++i) {
            INFO("instruction " << i << ": " << disassemble(decoded[i]));
            REQUIRE(c.insns[i] == decoded[i]);
          }
          ++programs;
        }
      }
    }
  }
  CHECK(programs >= 4 * 12 * 2);
}

// A timing-only compile (zero data) stores only its micro-ops and instructions: the same program at
// the same addresses as a compile with data, so the same cycles, from an image a fraction of the size;
// the engines that move data refuse it.
TEST_CASE("a zero-data program is the data program without its data bytes", "[pipeline][timed]") {
  const HwConfig cfg = HwConfig::defaults();
  TimedEngine::Options opts;
  opts.data = false;
  TimedEngine engine(cfg, opts);
  const ConvLayer layer = select_layers(Workload::load("resnet18_convs"), {"C2"}).front();
  // Before any simulation: an exception thrown after SystemC switched stacks confuses AddressSanitizer.
  CompiledConv zero1 = compile_conv(layer, cfg, auto_schedule(layer, cfg, 1), zero_conv_data(layer, cfg));
  CHECK_THROWS_AS(FunctionalEngine(cfg).run(zero1.image), std::logic_error);
  for (uint32_t threads : {1u, 2u}) {
    const ConvSchedule s = auto_schedule(layer, cfg, threads);
    CompiledConv full = compile_conv(layer, cfg, s, make_conv_data(layer, 7));
    CompiledConv zero = compile_conv(layer, cfg, s, zero_conv_data(layer, cfg));
    CHECK(full.image.dram_floor == 0);
    REQUIRE(zero.image.dram_floor > 0);
    // Inputs 56 x 56 x 64, weights 64 x 64 x 9, outputs 56 x 56 x 64 bytes are all below the floor.
    CHECK(zero.image.dram_floor >= 56 * 56 * 64 * 2 + 64 * 64 * 9);
    CHECK(zero.image.dram_size() == full.image.dram_size());
    CHECK(zero.image.insn_addr == full.image.insn_addr);
    CHECK(zero.out_addr == full.out_addr);
    const std::vector<uint8_t> stored(full.image.dram.begin() + int64_t(zero.image.dram_floor), full.image.dram.end());
    CHECK(zero.image.dram == stored);
    CHECK(decode_program(zero.image, cfg.isa()) == decode_program(full.image, cfg.isa()));
    CHECK(engine.run_timed(zero.image).cycles == engine.run_timed(full.image).cycles);
  }
}

// A program's timing does not depend on what the engine ran before: the same layer three times in a
// row under a fractional bandwidth cap (0.48 GB/s: 4.8 bytes per cycle, no whole number of cycles per
// beat) gives the same cycles each time.
TEST_CASE("a program's cycles do not depend on the programs run before it", "[pipeline][timed]") {
  RunRequest req;
  req.config = HwConfig::from_json_text("{}", "test", {"dram.gbps=0.48"});
  req.workload = Workload::from_csv("same.csv", "name,H,W,IC,OC,KH,KW,pad,stride,count\n"
                                                "A,56,56,64,64,3,3,1,1,1\nB,56,56,64,64,3,3,1,1,1\nC,56,56,64,64,3,3,1,1,1\n");
  req.threads = {1};
  req.engine = EngineKind::Timing;
  req.candidates = 1;
  TimedEngine::Options opts;
  opts.data = false;
  TimedEngine engine(req.config, opts);
  const RunOutcome out = run_layers(req, engine);
  REQUIRE(out.rows.size() == 3);
  CHECK(out.rows[1].cycles == out.rows[0].cycles);
  CHECK(out.rows[2].cycles == out.rows[0].cycles);
}

// auto keeps the fastest of its best-estimated candidates, the better estimate winning ties, exactly
// as simulating every candidate would choose, although candidates whose proven lower bound cannot
// beat the best so far are skipped (models/timing/cycle_bound.h).
TEST_CASE("auto keeps the first of its candidates with the fewest simulated cycles", "[pipeline][estimate]") {
  const HwConfig cfg = HwConfig::defaults();
  TimedEngine::Options opts;
  opts.data = false;
  TimedEngine engine(cfg, opts);
  RunRequest req;
  req.config = cfg;
  req.layer_names = {"C1", "C5", "C10", "C12"};
  req.engine = EngineKind::Timing;
  req.candidates = 8;
  const RunOutcome out = run_layers(req, engine);
  const Workload w = Workload::load("resnet18_convs");
  for (const auto& r : out.rows) {
    INFO(r.layer << " with " << r.threads << " thread(s): " << r.schedule);
    CHECK(r.candidates >= 2);
    ConvLayer layer = select_layers(w, {r.layer}).front();
    const auto cands = auto_candidates(layer, cfg, r.threads, 8);
    REQUIRE(cands.size() == r.candidates);
    const PackedConvData data = zero_conv_data(layer, cfg);
    size_t first_best = 0;
    uint64_t best = UINT64_MAX;
    for (size_t i = 0; i < cands.size(); ++i) {
      CompiledConv prog = compile_conv(layer, cfg, cands[i], data);
      const uint64_t cycles = engine.run_timed(prog.image).cycles;
      if (cycles < best) best = cycles, first_best = i;
    }
    CHECK(r.cycles == best);
    CHECK(r.schedule == "auto: " + cands[first_best].describe());
  }
}

// A search cache kept across runs on one hardware shape (a sweep worker's points) changes nothing:
// every row of layers.csv is the same with it, cold or warm, as without, for configurations that
// differ in timing (the cache's programs are reused, and its searches where the cycle-level timing is
// the same: 0.4 GB/s at 100 MHz and 0.8 GB/s at 200 MHz are both 4 bytes per cycle; 0.3 GB/s at 100
// and at 250 MHz are not) and in shape (nothing is reused).
TEST_CASE("runs with a search cache give the same rows as without", "[pipeline][cache]") {
  TimedEngine::Options opts;
  opts.data = false;
  const HwConfig first = HwConfig::defaults();
  TimedEngine engine(first, opts);
  SearchCache cache;
  const auto csv = [&](const HwConfig& cfg, SearchCache* c) {
    engine.retime(cfg);
    RunRequest req;
    req.config = cfg;
    req.layer_names = {"C1", "C6", "C9", "C11"};
    req.engine = EngineKind::Timing;
    return layers_to_csv(run_layers(req, engine, {}, c).rows, cfg.params().clock_mhz);
  };
  for (const auto& sets : std::vector<std::vector<std::string>>{
           {}, {"dram.latency=16", "dram.gbps=0"}, {"dram.gbps=0.3"}, {"dram.gbps=0.3", "clock_mhz=250"},
           {"dram.gbps=0.4"}, {"dram.gbps=0.8", "clock_mhz=200"}, {"dram.gbps=0"}, {"dram.gbps=0", "clock_mhz=250"},
           {"dram.latency=400", "dma.inp_policy=row_serial"}, {"dram.gbps=0.05"}, {"port.outstanding=1", "dram.latency=300"},
           {"cache.kib=64", "dram.gbps=0.1"}, {}}) {
    const HwConfig cfg = HwConfig::from_json_text("{}", "test", sets);
    INFO(Catch::rangeToString(sets));
    const std::string plain = csv(cfg, nullptr);
    CHECK(csv(cfg, &cache) == plain);
    CHECK(csv(cfg, &cache) == plain);  // warm
  }
  // Each search after the first simulates the layer's previous winner first; at some timings (a slow,
  // small-cache memory) another candidate wins, and the rows are still those of the plain runs.
  CHECK(cache.leads().led > 0);
  CHECK(cache.leads().lost > 0);
  // Another hardware shape finds none of the entries above: its candidates are its own.
  const HwConfig wide = HwConfig::from_json_text("{}", "test", {"LOG_BLOCK=5"});
  const ConvLayer c6 = select_layers(Workload::load("resnet18_convs"), {"C6"}).front();
  const auto describe = [](const std::vector<ConvSchedule>& v) {
    std::string out;
    for (const auto& c : v) out += c.describe() + "; ";
    return out;
  };
  CHECK(SearchCache::layer_key(c6, wide) != SearchCache::layer_key(c6, first));
  CHECK(describe(auto_candidates(c6, wide, 1, 8, &cache)) == describe(auto_candidates(c6, wide, 1, 8)));
}

// The cycle-level key: equal exactly where no cycle can differ (hand-derived: the default port moves 8
// bytes per cycle at 100 MHz, so without a DRAM cap any clock gives the same cycles; with one, what
// counts is GB/s per clock).
TEST_CASE("configurations share a cycle key only where their cycles cannot differ", "[pipeline][cache]") {
  const auto key = [](std::vector<std::string> sets) {
    sets.insert(sets.begin(), "dram.gbps=0");  // no cap unless a test sets one
    return HwConfig::from_json_text("{}", "test", sets).cycle_key();
  };
  CHECK(key({}) == key({"clock_mhz=250"}));                                  // no cap: the clock changes no cycle
  CHECK(key({"dram.gbps=0.4"}) == key({"dram.gbps=0.8", "clock_mhz=200"}));  // 4 bytes per cycle both
  CHECK(key({"dram.gbps=2"}) == key({}));                                    // 20 bytes per cycle: the port's 8 limit
  CHECK(key({"dram.gbps=0.3"}) != key({"dram.gbps=0.3", "clock_mhz=250"}));  // 3 against 1.2 bytes per cycle
  CHECK(key({"dram.gbps=0.4"}) != key({}));                                  // capped at 4 against the port's 8
  CHECK(key({"dram.latency=16"}) != key({}));
  CHECK(key({"cache.kib=64"}) != key({}));
  CHECK(key({"alu.cycles=3"}) != key({}));
}

// A layer without a batch of its own takes the core's BATCH, so a batch-2 core is not judged on
// batch-1 work; --batch and the workload's column override it, and the idle share is reported.
TEST_CASE("a layer's batch defaults to the core's BATCH", "[pipeline][batch]") {
  RunRequest req;
  req.config = HwConfig::from_json_text("{}", "test", {"LOG_BATCH=1"});
  req.workload = Workload::from_csv("b.csv", "name,H,W,IC,OC,KH,KW,pad,stride,count\nA,8,8,16,16,3,3,1,1,1\n");
  req.threads = {1};
  req.engine = EngineKind::Functional;
  CHECK(req.layers().front().shape.n == 2);
  req.batch = 3;
  CHECK(req.layers().front().shape.n == 3);
  req.workload = Workload::from_csv("b.csv", "name,H,W,IC,OC,KH,KW,pad,stride,count,batch\nA,8,8,16,16,3,3,1,1,1,1\n");
  CHECK(req.layers().front().shape.n == 1);
  FunctionalEngine functional(req.config);
  const RunOutcome out = run_layers(req, functional);
  REQUIRE(out.rows.size() == 1);
  CHECK(out.rows[0].images == 1);
  CHECK(out.rows[0].verified == "yes");
  REQUIRE(out.notes.size() == 1);
  CHECK(out.notes[0].find("50%") != std::string::npos);
}

namespace {

const char* kTinyNetworkCsv =
    "name,op,H,W,IC,OC,KH,KW,pad,stride,groups,relu,count\n"
    "conv,conv,10,10,3,24,3,3,1,2,1,1,1\n"
    "depthwise,conv,5,5,24,24,3,3,1,1,24,1,1\n"
    "pool_max,maxpool,9,9,24,24,3,3,1,2,1,0,1\n"
    "pool_avg,avgpool,5,5,24,24,5,5,0,1,1,0,1\n"
    "residual,add,7,5,40,40,1,1,0,1,1,1,1\n"
    "fc,dense,1,1,24,40,1,1,0,1,1,0,1\n";

RunOutcome run_tiny_network_timed(const HwConfig& cfg) {
  RunRequest req;
  req.config = cfg;
  req.workload = Workload::from_csv("tiny_network.csv", kTinyNetworkCsv);
  req.engine = EngineKind::Timed;
  TimedEngine engine(cfg);
  return run_layers(req, engine);
}

}  // namespace

// Every operator on the timed engine, bit-exact, against a golden layers.csv (ideal configuration,
// pinned). VTASIM_UPDATE_GOLDEN=1 rewrites it for an intended change; review the diff.
TEST_CASE("golden layers.csv of a tiny network with every operator on the timed engine", "[pipeline][golden][operators]") {
  const RunOutcome out = run_tiny_network_timed(test::ideal_cfg());
  CHECK(out.mismatch.empty());
  REQUIRE(out.rows.size() == 12);
  for (const auto& r : out.rows) {
    INFO(r.layer << " " << r.threads);
    CHECK(r.verified == "yes");
    CHECK(r.cycles >= r.access.macs / 256);  // at least its GEMM micro-ops
  }
  const std::string csv = layers_to_csv(out.rows, 100.0);
  const std::string path = std::string(VTASIM_SOURCE_DIR) + "/tests/golden/tiny_network_layers.csv";
  if (std::getenv("VTASIM_UPDATE_GOLDEN")) write_file_atomic(path, csv);
  CHECK(csv == read_text_file(path, "golden file"));
}

TEST_CASE("every operator is bit-exact on the timed engine on a 2 x 32 x 32 core", "[pipeline][operators]") {
  const RunOutcome out = run_tiny_network_timed(
      HwConfig::from_json_text("{}", "test", {"LOG_BATCH=1", "LOG_BLOCK=5", "inp_depth=2048", "wgt_depth=1024", "acc_depth=2048"}));
  CHECK(out.mismatch.empty());
  for (const auto& r : out.rows) {
    INFO(r.layer << " " << r.threads);
    CHECK(r.verified == "yes");
  }
}
