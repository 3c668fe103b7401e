// `vtasim exec` end to end: program images written to files, replayed, dumped and counted.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "program_builder.h"
#include "run_command.h"

using namespace vtasim;
using vtasim::test::test_dir;
using vtasim::test::ProgramBuilder;
using vtasim::test::run_vtasim;
using vtasim::test::slurp;

namespace {

struct GemmImage {
  ProgramImage img;
  uint64_t out_addr = 0;
  std::vector<int8_t> expect;  // 16 output lanes
};

// One GEMM micro-op on the default 1x16x16 core: out[o] = low8(sum_i inp[i] * wgt[o][i]).
GemmImage gemm_image() {
  const HwConfig cfg = HwConfig::defaults();
  ProgramBuilder pb(cfg);
  std::vector<int8_t> inp(16), wgt(256);
  for (int i = 0; i < 16; ++i) inp[size_t(i)] = int8_t(i - 8);
  for (int k = 0; k < 256; ++k) wgt[size_t(k)] = int8_t((k * 37) % 251 - 125);
  const uint32_t ib = pb.put(MemType::Inp, inp), wb = pb.put(MemType::Wgt, wgt);
  const uint32_t ub = pb.put_uops({{0, 0, 0}});
  const uint32_t ob = pb.alloc(MemType::Out, 1);
  pb.load(MemType::Inp, 0, ib, 1, 1, 1);
  pb.load(MemType::Wgt, 0, wb, 1, 1, 1).push_next_dep = true;
  pb.load(MemType::Uop, 0, ub, 1, 1, 1);
  pb.gemm(0, 1).reset_reg = true;
  Insn& g = pb.gemm(0, 1);
  g.pop_prev_dep = true;
  g.push_next_dep = true;
  Insn& s = pb.store(0, ob, 1, 1, 1);
  s.pop_prev_dep = true;
  s.push_prev_dep = true;
  pb.noop(Opcode::Load, MemType::Uop).pop_next_dep = true;
  pb.finish();
  GemmImage gi;
  gi.img = pb.image();
  gi.out_addr = uint64_t(ob) * 16;
  for (int o = 0; o < 16; ++o) {
    int sum = 0;
    for (int i = 0; i < 16; ++i) sum += inp[size_t(i)] * wgt[size_t(o * 16 + i)];
    gi.expect.push_back(int8_t(uint8_t(sum & 0xFF)));
  }
  return gi;
}

std::string write_image(const ProgramImage& img, const std::string& name) {
  const std::string path = test_dir() + "/exec_" + name + ".bin";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(img.dram.data()), std::streamsize(img.dram.size()));
  return path;
}

}  // namespace

TEST_CASE("exec replays a program image and dumps DRAM and counters", "[cli][exec]") {
  const GemmImage gi = gemm_image();
  const std::string dram = write_image(gi.img, "gemm");
  const std::string dump = test_dir() + "/exec_gemm.dump", stats = test_dir() + "/exec_gemm.json";
  const auto r = run_vtasim("exec --dram " + dram + " --insn-addr " + std::to_string(gi.img.insn_addr) +
                            " --insn-count " + std::to_string(gi.img.insn_count) + " --dump " + dump + " --stats " +
                            stats + " --engine functional");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string out = slurp(dump);
  REQUIRE(out.size() == gi.img.dram.size());
  for (int o = 0; o < 16; ++o) CHECK(int8_t(out[gi.out_addr + size_t(o)]) == gi.expect[size_t(o)]);
  const auto j = nlohmann::json::parse(slurp(stats));
  CHECK(j["counters"]["gemm_counter"] == 1);
  CHECK(j["counters"]["inp_load_nbytes"] == 16);
  CHECK(j["counters"]["wgt_load_nbytes"] == 256);
  CHECK(j["counters"]["uop_load_nbytes"] == 4);
  CHECK(j["counters"]["out_store_nbytes"] == 16);
  CHECK(j["counters"]["acc_load_nbytes"] == 0);
  CHECK(j["counters"]["alu_counter"] == 0);
  CHECK(j["counters"]["insn_gemm"] == 2);
  CHECK(j["counters"]["insn_finish"] == 1);
}

TEST_CASE("exec honours --base-out and --dram-size", "[cli][exec]") {
  const GemmImage gi = gemm_image();
  const std::string dram = write_image(gi.img, "base");
  const std::string dump = test_dir() + "/exec_base.dump";
  const uint64_t size = gi.img.dram.size() + 4096;
  const auto r = run_vtasim("exec --dram " + dram + " --insn-addr " + std::to_string(gi.img.insn_addr) +
                            " --insn-count " + std::to_string(gi.img.insn_count) + " --base-out 0x1000" +
                            " --dram-size " + std::to_string(size) + " --dump " + dump);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string out = slurp(dump);
  REQUIRE(out.size() == size);
  for (int o = 0; o < 16; ++o) CHECK(int8_t(out[0x1000 + gi.out_addr + size_t(o)]) == gi.expect[size_t(o)]);
}

TEST_CASE("exec rejects malformed input with exit code 2", "[cli][exec]") {
  const GemmImage gi = gemm_image();
  const std::string dram = write_image(gi.img, "bad");
  const std::string addr = std::to_string(gi.img.insn_addr), n = std::to_string(gi.img.insn_count);
  const auto missing = run_vtasim("exec --dram /nonexistent.bin --insn-addr 0 --insn-count 1");
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("/nonexistent.bin") != std::string::npos);
  const auto beyond = run_vtasim("exec --dram " + dram + " --insn-addr " + addr + " --insn-count 100000");
  CHECK(beyond.exit_code == 2);
  CHECK(beyond.err.find("beyond") != std::string::npos);
  const auto small = run_vtasim("exec --dram " + dram + " --insn-addr " + addr + " --insn-count " + n + " --dram-size 16");
  CHECK(small.exit_code == 2);
  CHECK(small.err.find("--dram-size") != std::string::npos);
  const auto bad_num = run_vtasim("exec --dram " + dram + " --insn-addr 12x --insn-count " + n);
  CHECK(bad_num.exit_code == 2);
  CHECK(bad_num.err.find("12x") != std::string::npos);
  const auto no_count = run_vtasim("exec --dram " + dram + " --insn-addr " + addr);
  CHECK(no_count.exit_code == 2);
  const auto engine = run_vtasim("exec --dram " + dram + " --insn-addr " + addr + " --insn-count " + n + " --engine warp");
  CHECK(engine.exit_code == 2);
  // A program error (deadlock) is also a user error.
  const auto truncated = run_vtasim("exec --dram " + dram + " --insn-addr " + addr + " --insn-count 4");
  CHECK(truncated.exit_code == 2);
  CHECK(truncated.err.find("FINISH") != std::string::npos);
}
