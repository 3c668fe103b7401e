// Configuration loading, overrides, validation and derived values.
#include <catch2/catch.hpp>

#include <cctype>
#include <sstream>

#include "models/errors.h"
#include "models/file_io.h"
#include "models/hw_config.h"

using namespace vtasim;

namespace {
std::string src(const std::string& rel) { return std::string(VTASIM_SOURCE_DIR) + "/" + rel; }

HwConfig from_text(const std::string& json, const std::vector<std::string>& sets = {}) {
  return HwConfig::from_json_text(json, "test.json", sets);
}

// Expect a UserError whose message contains every fragment.
void expect_error(const std::function<void()>& f, const std::vector<std::string>& fragments) {
  try {
    f();
    FAIL("no error raised");
  } catch (const UserError& e) {
    const std::string msg = e.what();
    for (const auto& frag : fragments) {
      INFO(msg);
      CHECK(msg.find(frag) != std::string::npos);
    }
  }
}
}  // namespace

TEST_CASE("defaults are VTA's Pynq design", "[config]") {
  const auto c = HwConfig::defaults();
  CHECK(c.batch() == 1);
  CHECK(c.block_in() == 16);
  CHECK(c.block_out() == 16);
  CHECK(c.elem_bytes(MemType::Uop) == 4);
  CHECK(c.elem_bytes(MemType::Inp) == 16);
  CHECK(c.elem_bytes(MemType::Wgt) == 256);
  CHECK(c.elem_bytes(MemType::Acc) == 64);
  CHECK(c.elem_bytes(MemType::Out) == 16);
  CHECK(c.depth(MemType::Uop) == 8192);
  CHECK(c.depth(MemType::Inp) == 2048);
  CHECK(c.depth(MemType::Wgt) == 1024);
  CHECK(c.depth(MemType::Acc) == 2048);
  CHECK(c.depth(MemType::Out) == 2048);
  CHECK(c.log_out_buff_size() == 15);
  // 2 x 256 MACs x 100 MHz; 8 B x 100 MHz. The board's DRAM sustains 0.42 GB/s through its port (the
  // calibrated Pynq preset), so the ridge is 51.2 / 0.42.
  CHECK(c.peak_gops() == Approx(51.2));
  CHECK(c.port_gbps() == Approx(0.8));
  CHECK(c.mem_gbps() == Approx(0.42));
  CHECK(c.ridge_ops_per_byte() == Approx(51.2 / 0.42));
  // The defaults are the calibrated board, configs/pynq2018.json, and say so.
  CHECK(c.to_config_json() == HwConfig::load(src("configs/pynq2018.json")).to_config_json());
  CHECK(c.source("dram.latency") == ParamSource::Preset);
  CHECK(c.params().wgt_dma == "row_serial");
}

TEST_CASE("the ideal Pynq memory system spells out every timing value", "[config]") {
  const auto ideal = HwConfig::load(src("configs/pynq_ideal.json"));
  CHECK(ideal.mem_gbps() == Approx(0.8));
  CHECK(ideal.ridge_ops_per_byte() == Approx(64.0));
  // Nothing of the board's calibration leaks in through the preset.
  for (const auto& d : param_table()) {
    INFO(d.name);
    CHECK(ideal.source(d.name) != ParamSource::Preset);
  }
}

TEST_CASE("VTA's sample configurations load unchanged", "[config]") {
  const auto pynq = HwConfig::load(src("configs/vta_config.json"));
  CHECK(pynq.peak_gops() == Approx(51.2));
  CHECK(pynq.notes().empty());
  // The built-in defaults and VTA's own Pynq file must be the same machine.
  CHECK(pynq.to_config_json() == HwConfig::defaults().to_config_json());

  const auto u96 = HwConfig::load(src("configs/ultra96.json"));
  CHECK(u96.params().clock_mhz == 333.0);
  CHECK(u96.port_bytes_per_cycle() == 16);
  CHECK(u96.peak_gops() == Approx(170.5).margin(0.05));
  CHECK(u96.port_gbps() == Approx(5.33).margin(0.005));
  const auto zcu = HwConfig::load(src("configs/zcu104.json"));
  CHECK(zcu.peak_gops() == Approx(170.5).margin(0.05));
  const auto de10 = HwConfig::load(src("configs/de10nano.json"));
  CHECK(de10.peak_gops() == Approx(51.2));
}

TEST_CASE("the timing variants of the Pynq design load", "[config]") {
  const auto chisel = HwConfig::load(src("configs/chisel_tsim.json"));
  CHECK(chisel.params().alu_imm_cycles == 1);
  CHECK(chisel.params().alu_cycles == 2);
  CHECK(chisel.params().max_burst_beats == 256);
  CHECK(chisel.params().clock_mhz == 100.0);  // tsim behaves as pynq
}

TEST_CASE("legacy files with LOG_BLOCK_IN/OUT and build-only keys load with notes", "[config]") {
  const auto c = HwConfig::load(src("configs/pynq_2018_legacy.json"));
  CHECK(c.block_in() == 16);
  CHECK(c.block_out() == 16);
  CHECK(c.notes().size() == 3);  // HW_FREQ, HW_CLK_TARGET, LOG_OUT_WIDTH
  CHECK(c.to_config_json().find("HW_FREQ") == std::string::npos);
}

TEST_CASE("sim and tsim targets have pynq's clock and port, without the board's calibration", "[config]") {
  for (const char* t : {"sim", "tsim"}) {
    const auto c = from_text(std::string("{\"TARGET\":\"") + t + "\"}");
    CHECK(c.params().clock_mhz == 100.0);
    CHECK(c.params().port_bits == 64);
    CHECK(c.params().dram_gbps == 0);
    CHECK(c.source("dram.latency") == ParamSource::Default);
  }
}

TEST_CASE("keys starting with // are comments, at the top level and in the model section", "[config]") {
  const auto c = from_text(R"({"//": "a note", "LOG_BLOCK": 5, "vtasim": {"//why": "x", "dram": {"//": 1, "latency": 30}}})");
  CHECK(c.block_in() == 32);
  CHECK(c.params().dram_latency == 30);
}

TEST_CASE("overrides (--set) reach any parameter, VTA keys included", "[config]") {
  const auto c = from_text("{}", {"LOG_BLOCK=5", "LOG_BATCH=1", "dram.latency=40", "clock_mhz=250", "TARGET=ultra96"});
  CHECK(c.block_in() == 32);
  CHECK(c.block_out() == 32);
  CHECK(c.batch() == 2);
  CHECK(c.params().dram_latency == 40);
  CHECK(c.params().clock_mhz == 250.0);  // explicit value beats the ultra96 preset
  CHECK(c.params().port_bits == 128);    // preset still applies where nothing overrides it
  CHECK(c.source("clock_mhz") == ParamSource::Override);
  CHECK(c.source("port.bits") == ParamSource::Preset);
  CHECK(c.source("gemm.fill") == ParamSource::Default);
  // BATCH 2 x 32 x 32 x 250 MHz x 2
  CHECK(c.peak_gops() == Approx(2.0 * 2 * 32 * 32 * 250 / 1000.0));
}

TEST_CASE("model parameters nest under the vtasim object", "[config]") {
  const auto c = from_text(R"({"vtasim": {"dram": {"latency": 7, "gbps": 0.4}, "port.max_burst": 64}})");
  CHECK(c.params().dram_latency == 7);
  CHECK(c.params().max_burst_beats == 64);
  CHECK(c.mem_gbps() == Approx(0.4));
  CHECK(c.ridge_ops_per_byte() == Approx(51.2 / 0.4));
  // A cap above the port rate changes nothing.
  CHECK(from_text(R"({"vtasim": {"dram": {"gbps": 5}}})").mem_gbps() == Approx(0.8));
}

TEST_CASE("non-square GEMM cores derive their sizes", "[config]") {
  const auto c = from_text(R"({"LOG_BLOCK_IN": 5, "LOG_BLOCK_OUT": 3, "LOG_BATCH": 2})");
  CHECK(c.elem_bytes(MemType::Inp) == 4 * 32);
  CHECK(c.elem_bytes(MemType::Wgt) == 8 * 32);
  CHECK(c.elem_bytes(MemType::Acc) == 4 * 8 * 4);
  CHECK(c.depth(MemType::Inp) == (1u << 15) / 128);
  CHECK(c.depth(MemType::Acc) == (1u << 17) / 128);
}

TEST_CASE("bad configurations are rejected with the key, value and limit", "[config][errors]") {
  SECTION("micro-op index fields no longer fit in 32 bits") {
    // acc 2^11, inp 2^11, wgt 2^11 -> 33 bits
    expect_error([] { from_text(R"({"LOG_WGT_BUFF_SIZE": 19})"); }, {"micro-op", "33", "32"});
  }
  SECTION("GEMM fields no longer fit in 128 bits") {
    expect_error([] { from_text(R"({"LOG_UOP_BUFF_SIZE": 17})"); }, {"GEMM", "128 bits"});
  }
  SECTION("buffer smaller than one element") {
    expect_error([] { from_text(R"({"LOG_WGT_BUFF_SIZE": 7})"); }, {"LOG_WGT_BUFF_SIZE", "7", "256"});
  }
  SECTION("negative value") {
    expect_error([] { from_text("{}", {"dram.latency=-1"}); }, {"dram.latency", "-1", "0..100000"});
  }
  SECTION("absurd value") {
    expect_error([] { from_text(R"({"vtasim": {"clock_mhz": 1e9}})"); }, {"clock_mhz", "1..5000"});
  }
  SECTION("unknown key in the file") {
    expect_error([] { from_text(R"({"LOG_BLOKC": 4})"); }, {"LOG_BLOKC", "test.json"});
  }
  SECTION("unknown key in --set") {
    expect_error([] { from_text("{}", {"dram.latancy=4"}); }, {"dram.latancy", "--set"});
  }
  SECTION("non-integer where an integer belongs") {
    expect_error([] { from_text(R"({"LOG_BATCH": 1.5})"); }, {"LOG_BATCH", "1.5", "integer"});
    expect_error([] { from_text("{}", {"port.outstanding=four"}); }, {"port.outstanding", "four", "integer"});
    expect_error([] { from_text(R"({"LOG_BATCH": "1"})"); }, {"LOG_BATCH", "integer"});
  }
  SECTION("not JSON") {
    expect_error([] { from_text("{\"TARGET\": pynq"); }, {"test.json", "not valid JSON"});
    expect_error([] { from_text("[1, 2]"); }, {"JSON object"});
  }
  SECTION("unknown target") {
    expect_error([] { from_text(R"({"TARGET": "vcu118"})"); }, {"vcu118", "pynq"});
  }
  SECTION("unsupported GEMM shape") {
    expect_error([] { from_text(R"({"LOG_BLOCK": 7})"); }, {"LOG_BLOCK", "3..6"});
    expect_error([] { from_text(R"({"LOG_INP_WIDTH": 4})"); }, {"LOG_INP_WIDTH", "3..3"});
  }
  SECTION("port width not a power of two") {
    expect_error([] { from_text("{}", {"port.bits=96"}); }, {"port.bits", "96", "power of two"});
  }
  SECTION("LOG_BLOCK and LOG_BLOCK_IN disagree") {
    expect_error([] { from_text(R"({"LOG_BLOCK": 4, "LOG_BLOCK_IN": 5})"); }, {"LOG_BLOCK", "LOG_BLOCK_IN"});
  }
  SECTION("inconsistent LOG_OUT_WIDTH") {
    expect_error([] { from_text(R"({"LOG_OUT_WIDTH": 4})"); }, {"LOG_OUT_WIDTH", "LOG_INP_WIDTH"});
  }
  SECTION("malformed --set") {
    expect_error([] { from_text("{}", {"LOG_BLOCK"}); }, {"KEY=VALUE"});
  }
  SECTION("missing file") {
    expect_error([] { HwConfig::load(std::string("/nonexistent/x.json")); }, {"/nonexistent/x.json"});
  }
}

TEST_CASE("the configuration JSON round-trips", "[config]") {
  const auto c = from_text("{}", {"LOG_BLOCK=5", "dram.gbps=0.5", "TARGET=zcu104", "gemm.fill=9"});
  const auto again = HwConfig::from_json_text(c.to_config_json(), "again");
  CHECK(again.to_config_json() == c.to_config_json());
  CHECK(again.params().gemm_fill == 9);
}

TEST_CASE("the README's parameter table lists every model parameter with its generic and Pynq values",
          "[config][docs]") {
  const std::string readme = read_text_file(src("README.md"), "README");
  const HwConfig generic = from_text(R"({"TARGET": "sim"})");
  const HwConfig pynq = HwConfig::defaults();
  // The value as the table writes it; clock and port width come from the board preset.
  auto cell = [](const HwConfig& c, const ParamDef& d) {
    std::ostringstream v;
    switch (d.kind) {
      case ParamKind::Text: v << c.params().*d.text_member; break;
      case ParamKind::Int: v << c.params().*d.int_member; break;
      case ParamKind::Real: v << c.params().*d.real_member; break;
    }
    return v.str();
  };
  for (const auto& d : param_table()) {
    const std::string name = d.name;
    if (std::isupper(static_cast<unsigned char>(name[0]))) continue;  // VTA's keys are listed above the table
    INFO(name);
    // The row whose first cell names the parameter (alone, or among others separated by ", ").
    std::string row;
    std::istringstream lines(readme);
    for (std::string line; std::getline(lines, line) && row.empty();) {
      if (line.rfind("| ", 0) != 0) continue;
      const std::string cell = line.substr(2, line.find(" |") - 2);
      if ((", " + cell + ", ").find(", " + name + ", ") != std::string::npos) row = line;
    }
    REQUIRE_FALSE(row.empty());
    if (name == "clock_mhz" || name == "port.bits" || name == "sim.watchdog") continue;
    const std::string g = cell(generic, d), p = cell(pynq, d);
    CHECK(row.find("| " + g + " |") != std::string::npos);
    CHECK(row.find(" " + p + " |") != std::string::npos);
  }
}

TEST_CASE("an invalid configuration's message proposes buffer sizes that pass", "[config]") {
  std::string msg;
  try {
    from_text("{}", {"LOG_BLOCK=3"});
  } catch (const UserError& e) {
    msg = e.what();
  }
  INFO(msg);
  const std::string marker = "a configuration that passes: ";
  const auto at = msg.find(marker);
  REQUIRE(at != std::string::npos);
  std::vector<std::string> sets = {"LOG_BLOCK=3"};
  std::istringstream fix(msg.substr(at + marker.size(), msg.find(')', at) - at - marker.size()));
  for (std::string kv; fix >> kv;) sets.push_back(kv);
  REQUIRE(sets.size() >= 2);
  CHECK_NOTHROW(from_text("{}", sets));
  // Nothing to propose when no buffer size is at fault.
  try {
    from_text("{}", {"port.bits=48"});
  } catch (const UserError& e) {
    CHECK(std::string(e.what()).find(marker) == std::string::npos);
  }
}

TEST_CASE("buffer depths set the LOG sizes for the core's shape", "[config]") {
  // 1x8x8 core: INP elements 8 bytes, WGT 64, ACC 32; 2048 / 1024 / 2048 entries.
  const HwConfig small = from_text("{}", {"LOG_BLOCK=3", "inp_depth=2048", "wgt_depth=1024", "acc_depth=2048"});
  CHECK(small.params().log_inp_buff_size == 11 + 3);
  CHECK(small.params().log_wgt_buff_size == 10 + 6);
  CHECK(small.params().log_acc_buff_size == 11 + 5);
  CHECK(small.depth(MemType::Wgt) == 1024);
  // 2x32x32: INP 64 bytes, WGT 1024, ACC 256.
  const HwConfig big = from_text("{}", {"LOG_BLOCK=5", "LOG_BATCH=1", "inp_depth=2048", "wgt_depth=1024", "acc_depth=2048"});
  CHECK(big.params().log_inp_buff_size == 11 + 6);
  CHECK(big.params().log_wgt_buff_size == 10 + 10);
  CHECK(big.params().log_acc_buff_size == 11 + 8);
  CHECK_THROWS_WITH(from_text("{}", {"wgt_depth=1000"}), Catch::Contains("wgt_depth = 1000 must be a power of two"));
}

TEST_CASE("every shipped configuration loads by name, and the energy presets differ only in DRAM energy", "[config]") {
  for (const auto& name : config_preset_names()) {
    INFO(name);
    CHECK_NOTHROW(HwConfig::load(name));
  }
  const HwConfig ddr3 = HwConfig::load(std::string("energy_asic45_ddr3"));
  const HwConfig lpddr4 = HwConfig::load(std::string("energy_asic45_lpddr4"));
  CHECK(ddr3.params().energy_dram_pj_per_byte == HwConfig::defaults().params().energy_dram_pj_per_byte);
  CHECK(lpddr4.params().energy_dram_pj_per_byte < ddr3.params().energy_dram_pj_per_byte);
  CHECK(lpddr4.params().energy_mac_pj == ddr3.params().energy_mac_pj);
}
