// The command-line interface end to end: exit codes, JSON output, error messages.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "run_command.h"

using vtasim::test::run_vtasim;
using vtasim::test::test_dir;

TEST_CASE("vtasim --help lists the subcommands, --version names SystemC", "[cli]") {
  const auto h = run_vtasim("--help");
  CHECK(h.exit_code == 0);
  CHECK(h.out.find("config") != std::string::npos);
  CHECK(h.out.find("disasm") != std::string::npos);
  const auto v = run_vtasim("--version");
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("SystemC 2.3") != std::string::npos);
  CHECK(v.out.find("commit") != std::string::npos);
  CHECK(run_vtasim("config --help").out.find("--set") != std::string::npos);
  CHECK(run_vtasim("frobnicate").exit_code == 2);
  CHECK(run_vtasim("config --no-such-option").exit_code == 2);
}

TEST_CASE("vtasim config --json gives the derived values", "[cli]") {
  const auto r = run_vtasim("config --json");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"target", "batch", "block_in", "block_out", "inp_bits", "wgt_bits", "acc_bits",
                          "uop_depth", "inp_depth", "wgt_depth", "acc_depth", "out_depth", "clock_mhz",
                          "port_bytes_per_cycle", "peak_gops", "port_gbps", "ridge_ops_per_byte"}) {
    INFO(key);
    CHECK(j.contains(key));
  }
  CHECK(j["peak_gops"].get<double>() == Approx(51.2));
  CHECK(j["ridge_ops_per_byte"].get<double>() == Approx(51.2 / 0.42));  // the calibrated board sustains 0.42 GB/s
  CHECK(j["mem_gbps"].get<double>() == Approx(0.42));
  CHECK(j["wgt_depth"] == 1024);

  const auto u = run_vtasim("config --config configs/ultra96.json --json");
  REQUIRE(u.exit_code == 0);
  CHECK(nlohmann::json::parse(u.out)["peak_gops"].get<double>() == Approx(170.5).margin(0.05));
  // A shipped configuration by name, wherever the binary runs: the same as the file.
  const auto named = run_vtasim("config --config ultra96 --json");
  REQUIRE(named.exit_code == 0);
  CHECK(nlohmann::json::parse(named.out)["peak_gops"] == nlohmann::json::parse(u.out)["peak_gops"]);
  const auto typo = run_vtasim("config --config ultra69");
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("did you mean 'ultra96'") != std::string::npos);
  const auto s = run_vtasim("config --json --set LOG_BLOCK=5 --set LOG_BATCH=1");
  CHECK(nlohmann::json::parse(s.out)["block_out"] == 32);
}

TEST_CASE("bad configurations exit with code 2 and name the key", "[cli]") {
  const auto r = run_vtasim("config --set LOG_WGT_BUFF_SIZE=7");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("LOG_WGT_BUFF_SIZE") != std::string::npos);
  CHECK(r.out.empty());
  const auto nf = run_vtasim("config --config /nonexistent.json");
  CHECK(nf.exit_code == 2);
  CHECK(nf.err.find("looked for /nonexistent.json") != std::string::npos);
  const auto legacy = run_vtasim("config --config configs/pynq_2018_legacy.json --json");
  CHECK(legacy.exit_code == 0);
  CHECK(legacy.err.find("HW_FREQ") != std::string::npos);  // the note goes to stderr
  CHECK_NOTHROW(nlohmann::json::parse(legacy.out));
}

TEST_CASE("vtasim disasm decodes hex words and binary streams", "[cli]") {
  const auto r = run_vtasim("disasm --hex 43210005000400030000000008000540 00000000000000000000000000000003");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "0: LOAD INP sram=1 dram=2 y=3 x=4 stride=5 pad=1,2,3,4 [push_next]\n1: FINISH\n");

  const auto j = run_vtasim("disasm --json --hex 43210005000400030000000008000540");
  REQUIRE(j.exit_code == 0);
  const auto o = nlohmann::json::parse(j.out);
  CHECK(o["opcode"] == "LOAD");
  CHECK(o["memory_type"] == "INP");
  CHECK(o["x_pad_1"] == 4);
  CHECK(o["push_next_dep"] == 1);

  const auto alu = run_vtasim("disasm --json --hex fffeb00000000010000201000a00030c");
  const auto a = nlohmann::json::parse(alu.out);
  CHECK(a["alu_opcode"] == "SHR");
  CHECK(a["imm"] == -2);
  CHECK(a["use_imm"] == 1);

  const std::string bin = test_dir() + "/disasm_test.bin";
  {
    std::ofstream out(bin, std::ios::binary);
    const char finish[16] = {3};
    out.write(finish, 16);
  }
  const auto f = run_vtasim("disasm --file " + bin);
  CHECK(f.exit_code == 0);
  CHECK(f.out == "0: FINISH\n");
  std::ofstream(bin, std::ios::binary) << "abc";
  const auto bad = run_vtasim("disasm --file " + bin);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("multiple of 16") != std::string::npos);
}

TEST_CASE("disasm names the instruction index of an opcode that does not exist", "[cli]") {
  const auto r = run_vtasim("disasm --hex 00000000000000000000000000000003 00000000000000000000000000000007");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("instruction 1") != std::string::npos);
  CHECK(r.err.find("opcode 7") != std::string::npos);
}
