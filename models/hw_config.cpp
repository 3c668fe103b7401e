// Configuration loading, overriding, validation and derivation.
#include "models/hw_config.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "models/errors.h"
#include "board_presets.h"
#include "models/file_io.h"
#include "models/json_input.h"
#include "models/parse.h"
#include "models/suggest.h"
#include "models/timing/cache_model.h"

namespace vtasim {

using json = nlohmann::json;           // what vtasim writes (keys sorted)
using ojson = nlohmann::ordered_json;  // what it reads (file order kept for messages)

namespace {

constexpr const char* kModelSection = "vtasim";
constexpr const char* kLogBlockAlias = "LOG_BLOCK";

// VTA keys that only matter to VTA's hardware build; accepted and ignored with a note.
const std::map<std::string, std::string>& build_only_keys() {
  static const std::map<std::string, std::string> keys = {
      {"HW_FREQ", "VTA's synthesis clock target; vtasim's clock is clock_mhz"},
      {"HW_CLK_TARGET", "VTA's synthesis clock period; not a model input"},
      {"LOG_BUS_WIDTH", "VTA's build bus width; vtasim's memory port width is port.bits"},
      {"GEMM_II", "VTA 2018 build pipelining hint; vtasim's GEMM timing is gemm.fill"},
      {"TALU_II", "VTA 2018 build pipelining hint; vtasim's ALU timing is alu.cycles / alu.imm_cycles"},
      {"LOG_OUT_WIDTH", "the out width always equals LOG_INP_WIDTH"},
      {"LOG_OUT_BUFF_SIZE", "derived as LOG_ACC_BUFF_SIZE + LOG_INP_WIDTH - LOG_ACC_WIDTH"},
  };
  return keys;
}

// Keys starting with "//" are comments (JSON has none of its own): ignored wherever they appear.
bool is_comment_key(const std::string& key) { return key.rfind("//", 0) == 0; }

bool is_choice(const std::string& text, const char* choices) {
  std::string list = choices;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = list.find(',', start);
    const std::string c = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (c == text) return true;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return false;
}

std::string fmt_number(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

const std::vector<ParamDef>& param_table() {
  using P = HwParams;
  auto I = [](const char* name, const char* unit, const char* doc, double lo, double hi, int64_t P::*m) {
    return ParamDef{name, ParamKind::Int, unit, doc, lo, hi, m, nullptr, nullptr};
  };
  auto R = [](const char* name, const char* unit, const char* doc, double lo, double hi, double P::*m) {
    return ParamDef{name, ParamKind::Real, unit, doc, lo, hi, nullptr, m, nullptr};
  };
  auto T = [](const char* name, const char* doc, std::string P::*m, const char* choices = nullptr) {
    return ParamDef{name, ParamKind::Text, "", doc, 0, 0, nullptr, nullptr, m, choices};
  };
  static const std::vector<ParamDef> table = {
      T("TARGET", "board: pynq, ultra96, zcu104, de10nano (sim, tsim behave as pynq); sets clock_mhz and port.bits", &P::target),
      T("HW_VER", "VTA hardware version string (informational)", &P::hw_ver),
      I("LOG_INP_WIDTH", "log2 bits", "input element width (vtasim's kernels are int8: 3)", 3, 3, &P::log_inp_width),
      I("LOG_WGT_WIDTH", "log2 bits", "weight element width (vtasim's kernels are int8: 3)", 3, 3, &P::log_wgt_width),
      I("LOG_ACC_WIDTH", "log2 bits", "accumulator element width (vtasim's kernels are int32: 5)", 5, 5, &P::log_acc_width),
      I("LOG_BATCH", "log2", "BATCH, rows of the GEMM core (kernels exist for 1, 2, 4)", 0, 2, &P::log_batch),
      I(kLogBlockAlias, "log2", "sets LOG_BLOCK_IN and LOG_BLOCK_OUT together", 3, 6, &P::log_block_in),
      I("LOG_BLOCK_IN", "log2", "BLOCK_IN, reduction width of the GEMM core (kernels exist for 8..64)", 3, 6, &P::log_block_in),
      I("LOG_BLOCK_OUT", "log2", "BLOCK_OUT, output width of the GEMM core (kernels exist for 8..64)", 3, 6, &P::log_block_out),
      I("LOG_UOP_BUFF_SIZE", "log2 bytes", "micro-op buffer capacity", 2, 24, &P::log_uop_buff_size),
      I("LOG_INP_BUFF_SIZE", "log2 bytes", "input buffer capacity", 0, 24, &P::log_inp_buff_size),
      I("LOG_WGT_BUFF_SIZE", "log2 bytes", "weight buffer capacity", 0, 26, &P::log_wgt_buff_size),
      I("LOG_ACC_BUFF_SIZE", "log2 bytes", "accumulator buffer capacity (out buffer follows)", 0, 26, &P::log_acc_buff_size),
      I("uop_depth", "entries", "micro-op buffer depth; sets LOG_UOP_BUFF_SIZE (0: not given)", 0, 1 << 22, &P::uop_depth),
      I("inp_depth", "entries", "input buffer depth; sets LOG_INP_BUFF_SIZE for the BATCH and BLOCK_IN (0: not given)", 0,
        1 << 22, &P::inp_depth),
      I("wgt_depth", "entries", "weight buffer depth; sets LOG_WGT_BUFF_SIZE for the BLOCK (0: not given)", 0, 1 << 22,
        &P::wgt_depth),
      I("acc_depth", "entries", "accumulator buffer depth; sets LOG_ACC_BUFF_SIZE for the BATCH and BLOCK_OUT (0: not "
        "given)", 0, 1 << 22, &P::acc_depth),
      R("clock_mhz", "MHz", "accelerator clock (TARGET preset)", 1, 5000, &P::clock_mhz),
      I("port.bits", "bits", "width of the shared memory port, a power of two (TARGET preset)", 8, 1024, &P::port_bits),
      I("port.max_burst", "beats", "longest burst a DMA request may use; longer rows are split", 1, 4096, &P::max_burst_beats),
      I("port.outstanding", "requests", "requests in flight per DMA master", 1, 1024, &P::max_outstanding),
      I("dram.latency", "cycles", "latency of a read request before its first beat", 0, 100000, &P::dram_latency),
      I("dram.write_latency", "cycles", "the same for a write, until it completes (a posted write is acknowledged "
        "before a read's round trip); -1: as dram.latency", -1, 100000, &P::dram_write_latency),
      R("dram.gbps", "GB/s", "DRAM bandwidth cap below the port rate (0 = no cap)", 0, 100000, &P::dram_gbps),
      T("dram.model", "DRAM device timing behind the port: fixed (dram.latency before the first beat, dram.gbps cap)",
        &P::dram_model, "fixed"),
      I("cache.kib", "KiB", "a cache the port's requests pass through before the DRAM (0: none); a read whose lines "
        "are all present takes cache.hit_latency and is not held to dram.gbps; reads and writes allocate their lines, "
        "least recently used first out", 0, 1 << 20, &P::cache_kib),
      I("cache.line", "bytes", "cache line size, a power of two", 4, 4096, &P::cache_line),
      I("cache.ways", "ways", "cache associativity", 1, 64, &P::cache_ways),
      I("cache.hit_latency", "cycles", "latency of a read whose lines are all in the cache, before its first beat", 0,
        100000, &P::cache_hit_latency),
      I("queue.cmd_depth", "entries", "depth of each command queue (fetch to load/compute/store)", 1, 1 << 20, &P::cmd_queue_depth),
      I("queue.token_depth", "tokens", "depth of each dependency-token queue", 1, 1 << 20, &P::token_queue_depth),
      T("dma.inp_policy", "how the load module issues an input (INP) load: pipelined (every row's bursts back to back, "
        "port.outstanding in flight) or row_serial (the next row only after the previous row's data arrived)",
        &P::inp_dma, "pipelined,row_serial"),
      T("dma.wgt_policy", "the same for weight (WGT) loads", &P::wgt_dma, "pipelined,row_serial"),
      T("dma.compute_policy", "the same for the compute module's micro-op and bias loads", &P::compute_dma,
        "pipelined,row_serial"),
      T("dma.store_policy", "the same for the store module (row_serial: the next row after the previous row's write "
        "completed)", &P::store_dma, "pipelined,row_serial"),
      I("dma.row_cycles", "cycles", "loop control a module spends before issuing each DRAM row of a LOAD or STORE", 0,
        10000, &P::dma_row_cycles),
      I("dma.pad_cycles", "cycles", "cost of each zero-padding element a load inserts", 0, 10000, &P::pad_cycles),
      I("dma.pad_row_cycles", "cycles", "cost of each SRAM row the padding pass of an INP, WGT or ACC load walks", 0,
        10000, &P::pad_row_cycles),
      I("gemm.fill", "cycles", "GEMM/ALU pipeline fill paid at each start of the micro-op loop (see gemm.fill_per)", 0,
        10000, &P::gemm_fill),
      T("gemm.fill_per", "when the micro-op loop restarts and pays gemm.fill: once per instruction, per outer iteration "
        "or per inner iteration", &P::gemm_fill_per, "instruction,outer,inner"),
      T("alu.model", "ALU cost per micro-op: fixed (alu.cycles, alu.imm_cycles) or lanes (ceil(BATCH x BLOCK_OUT / "
        "alu.lanes) plus alu.overhead or alu.imm_overhead)", &P::alu_model, "fixed,lanes"),
      I("alu.cycles", "cycles", "fixed model: ALU cycles per micro-op with a tensor operand", 1, 10000, &P::alu_cycles),
      I("alu.imm_cycles", "cycles", "fixed model: ALU cycles per micro-op with an immediate operand", 1, 10000,
        &P::alu_imm_cycles),
      I("alu.lanes", "lanes", "lanes model: accumulator lanes the ALU processes per cycle", 1, 4096, &P::alu_lanes),
      I("alu.overhead", "cycles", "lanes model: control cycles per micro-op with a tensor operand", 0, 10000,
        &P::alu_overhead),
      I("alu.imm_overhead", "cycles", "lanes model: control cycles per micro-op with an immediate operand", 0, 10000,
        &P::alu_imm_overhead),
      I("noop.cycles", "cycles", "cost of an instruction that only carries dependency flags", 0, 10000, &P::noop_cycles),
      R("host.ns_per_insn", "ns", "host time to build each instruction inside a measured layer time (0: none); reported "
        "as host_us and added to the layer time, never to device cycles", 0, 1e9, &P::host_ns_per_insn),
      R("energy.mac_pj", "pJ", "energy of one 8-bit multiply of a MAC (Horowitz, ISSCC 2014, 45 nm: 0.2 pJ)", 0, 1e6,
        &P::energy_mac_pj),
      R("energy.acc_pj", "pJ", "energy of one 32-bit accumulate of a MAC (Horowitz 2014, 45 nm 32-bit add: 0.1 pJ)", 0, 1e6,
        &P::energy_acc_pj),
      R("energy.alu_pj", "pJ", "energy of one ALU lane operation on 32 bits (Horowitz 2014, 32-bit add: 0.1 pJ)", 0, 1e6,
        &P::energy_alu_pj),
      R("energy.sram_pj_per_bit", "pJ", "SRAM energy per bit read at energy.sram_ref_kib (Horowitz 2014: 10 pJ per 64-bit "
        "read of an 8 KB SRAM)", 0, 1e6, &P::energy_sram_pj_per_bit),
      R("energy.sram_ref_kib", "KiB", "the SRAM size energy.sram_pj_per_bit refers to", 0.001, 1e9, &P::energy_sram_ref_kib),
      R("energy.sram_exponent", "", "per-bit SRAM energy grows as (size / reference)^exponent (Horowitz 2014: 20 pJ at "
        "32 KB is 2x for 4x the size, so 0.5; 100 pJ at 1 MB gives 0.46)", 0, 2, &P::energy_sram_exponent),
      R("energy.sram_write_ratio", "", "a bit written costs this times a bit read (1: the source gives reads only)", 0, 100,
        &P::energy_sram_write_ratio),
      R("energy.dram_pj_per_byte", "pJ", "DRAM energy per byte moved (Horowitz 2014: 1.3-2.6 nJ per 64-bit DDR3 access; "
        "the middle, 1.95 nJ, is 243.75 pJ per byte)", 0, 1e6, &P::energy_dram_pj_per_byte),
      R("energy.static_mw", "mW", "static (leakage) power times the run's time (0: left out; set it from a power report of "
        "your implementation)", 0, 1e9, &P::energy_static_mw),
      I("sim.watchdog", "cycles", "work limit of one program: simulated cycles on the timed engines, the same cycle "
        "count estimated on the functional engine (a backstop; deadlocks are detected directly)", 1000, 1e14,
        &P::watchdog_cycles),
      R("sim.max_seconds", "s", "wall-clock limit of one program on any engine", 0.001, 1e7, &P::max_seconds),
      I("sim.max_memory_mb", "MiB", "the most memory one layer's data, program image or DRAM image may take", 1,
        1 << 24, &P::max_memory_mb),
  };
  return table;
}

const ParamDef* find_param(const std::string& name) {
  for (const auto& d : param_table()) {
    if (name == d.name) return &d;
  }
  return nullptr;
}

const char* param_source_name(ParamSource s) {
  switch (s) {
    case ParamSource::Default: return "default";
    case ParamSource::Preset: return "preset";
    case ParamSource::File: return "file";
    case ParamSource::Override: return "--set";
  }
  return "?";
}

const std::vector<BoardPreset>& board_presets() {
  static const std::vector<BoardPreset> presets = {
      {"pynq", "Zynq-7020", 100.0, 64, kPynq2018Json}, {"sim", "Zynq-7020 (as pynq)", 100.0, 64},
      {"tsim", "Zynq-7020 (as pynq)", 100.0, 64}, {"ultra96", "Zynq UltraScale+ ZU3EG", 333.0, 128},
      {"zcu104", "Zynq UltraScale+ ZU7EV", 333.0, 128}, {"de10nano", "Cyclone V", 100.0, 64},
  };
  return presets;
}

std::pair<std::string, std::string> split_override(const std::string& kv) {
  const auto eq = kv.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw UserError("override '" + kv + "' must have the form KEY=VALUE (for example --set dram.latency=40)");
  }
  return {kv.substr(0, eq), kv.substr(eq + 1)};
}

namespace {

std::string unknown_key_message(const std::string& key, const std::string& where) {
  std::vector<std::string> names;
  for (const auto& d : param_table()) names.push_back(d.name);
  const std::string hint = did_you_mean(key, names);
  if (!hint.empty()) return "unknown configuration key '" + key + "' in " + where + hint;
  std::string msg = "unknown configuration key '" + key + "' in " + where + "; known keys:";
  for (const auto& n : names) msg += " " + n;
  return msg;
}

std::string limit_text(const ParamDef& d) {
  return fmt_number(d.min) + ".." + fmt_number(d.max) + (d.unit[0] ? std::string(" ") + d.unit : "");
}

void assign(HwParams& p, const ParamDef& d, const ojson& v, const std::string& where) {
  const std::string shown = dump_json(v);
  switch (d.kind) {
    case ParamKind::Text: {
      if (!v.is_string()) throw UserError(std::string(d.name) + " = " + shown + " in " + where + ": must be a string");
      const std::string text = v.get<std::string>();
      if (d.choices && !is_choice(text, d.choices)) {
        throw UserError(std::string(d.name) + " = " + shown + " in " + where + " is not one of: " + d.choices);
      }
      p.*d.text_member = text;
      return;
    }
    case ParamKind::Int: {
      if (!v.is_number_integer()) {
        throw UserError(std::string(d.name) + " = " + shown + " in " + where + ": must be an integer (range " +
                        limit_text(d) + ")");
      }
      const int64_t x = v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX) ? INT64_MAX : v.get<int64_t>();
      if (double(x) < d.min || double(x) > d.max) {
        throw UserError(std::string(d.name) + " = " + shown + " in " + where + " is out of range; allowed: " +
                        limit_text(d) + " (" + d.doc + ")");
      }
      p.*d.int_member = x;
      if (std::string(d.name) == kLogBlockAlias) p.log_block_out = x;
      return;
    }
    case ParamKind::Real: {
      if (!v.is_number()) {
        throw UserError(std::string(d.name) + " = " + shown + " in " + where + ": must be a number (range " +
                        limit_text(d) + ")");
      }
      const double x = v.get<double>();
      if (!std::isfinite(x) || x < d.min || x > d.max) {
        throw UserError(std::string(d.name) + " = " + shown + " in " + where + " is out of range; allowed: " +
                        limit_text(d) + " (" + d.doc + ")");
      }
      p.*d.real_member = x;
      return;
    }
  }
}

// Turns the text of --set into a JSON value of the parameter's kind, strictly.
ojson override_value(const ParamDef& d, const std::string& key, const std::string& text) {
  if (d.kind == ParamKind::Text) return ojson(text);
  if (d.kind == ParamKind::Int) {
    const auto x = parse_int(text);
    if (!x) throw UserError(key + " = '" + text + "' in --set: must be an integer (range " + limit_text(d) + ")");
    return ojson(*x);
  }
  const auto x = parse_real(text);
  if (!x) throw UserError(key + " = '" + text + "' in --set: must be a finite number (range " + limit_text(d) + ")");
  return ojson(*x);
}

struct RawEntry {
  std::string key;
  ojson value;
};

// Flattens the model section ({"dram": {"latency": 40}} -> dram.latency). The input's nesting is
// limited when it is parsed, so the recursion and the key prefixes stay short.
void flatten(const ojson& obj, const std::string& prefix, std::vector<RawEntry>& out) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (is_comment_key(it.key())) continue;
    const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (it.value().is_object()) {
      flatten(it.value(), key, out);
    } else {
      out.push_back({key, it.value()});
    }
  }
}

// LOG_BLOCK first, so LOG_BLOCK_IN/OUT given in the same layer refine it.
void order_alias_first(std::vector<RawEntry>& entries) {
  std::stable_partition(entries.begin(), entries.end(), [](const RawEntry& e) { return e.key == kLogBlockAlias; });
}

void check_block_consistency(const std::vector<RawEntry>& entries, const std::string& where) {
  const ojson* alias = nullptr;
  for (const auto& e : entries)
    if (e.key == kLogBlockAlias) alias = &e.value;
  if (!alias) return;
  for (const auto& e : entries) {
    if ((e.key == "LOG_BLOCK_IN" || e.key == "LOG_BLOCK_OUT") && e.value != *alias) {
      throw UserError("LOG_BLOCK = " + dump_json(*alias) + " and " + e.key + " = " + dump_json(e.value) + " in " + where +
                      " disagree; give LOG_BLOCK alone, or LOG_BLOCK_IN and LOG_BLOCK_OUT without it");
    }
  }
}

}  // namespace

HwConfig::HwConfig(HwParams p, std::string origin) : p_(std::move(p)), origin_(std::move(origin)) {}

std::vector<std::string> config_preset_names() {
  std::vector<std::string> names;
  for (const auto& c : kShippedConfigs) names.push_back(c.name);
  for (const auto& b : board_presets())
    if (std::find(names.begin(), names.end(), b.target) == names.end()) names.push_back(b.target);
  std::sort(names.begin(), names.end());
  return names;
}

namespace {

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The text of a named preset: a file of configs/ compiled in, or a TARGET name alone.
std::optional<std::string> config_preset_text(const std::string& name) {
  for (const auto& c : kShippedConfigs)
    if (name == c.name) return std::string(c.json);
  for (const auto& b : board_presets())
    if (name == b.target) return "{\"TARGET\": \"" + name + "\"}";
  return std::nullopt;
}

}  // namespace

ConfigSource read_config_source(const std::string& path) {
  if (file_exists(path) || path.find('/') != std::string::npos || path.find(".json") != std::string::npos) {
    if (!file_exists(path)) {
      std::error_code ec;
      const auto where = std::filesystem::absolute(path, ec);
      throw UserError("configuration file '" + path + "' not found (looked for " + (ec ? path : where.string()) +
                      "); give a path, or a preset name: " + join_names(config_preset_names()));
    }
    return {read_text_file(path, "configuration file"), path};
  }
  if (const auto text = config_preset_text(path)) return {*text, "preset " + path};
  std::error_code ec;
  throw UserError("configuration '" + path + "' is neither a file in " + std::filesystem::current_path(ec).string() +
                  " nor a preset (" + join_names(config_preset_names()) + ")" + did_you_mean(path, config_preset_names()));
}

HwConfig HwConfig::load(const std::optional<std::string>& path, const std::vector<std::string>& overrides) {
  if (!path) return from_json_text("{}", "<defaults>", overrides);
  const ConfigSource src = read_config_source(*path);
  return from_json_text(src.text, src.origin, overrides);
}

ParamOverride parse_set_override(const std::string& kv) {
  const auto [key, text] = split_override(kv);
  const ParamDef* d = find_param(key);
  if (!d) throw UserError(unknown_key_message(key, "--set"));
  return {key, dump_json(override_value(*d, key, text)), "--set"};
}

HwConfig HwConfig::from_json_text(const std::string& text, const std::string& origin,
                                  const std::vector<std::string>& overrides) {
  std::vector<ParamOverride> typed;
  for (const auto& kv : overrides) typed.push_back(parse_set_override(kv));
  return from_json_overrides(text, origin, typed);
}

namespace {

// The entries of a configuration file: VTA's flat keys and the flattened model section. Build-only
// keys become notes; LOG_OUT_WIDTH and LOG_OUT_BUFF_SIZE are kept aside for checks against the final
// values.
struct FileEntries {
  std::vector<RawEntry> params;
  ojson out_width, out_buff;
};

FileEntries file_entries(const ojson& doc, const std::string& origin, std::vector<std::string>& notes) {
  FileEntries f;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (is_comment_key(it.key())) continue;
    if (it.key() == kModelSection) {
      if (!it.value().is_object()) {
        throw UserError("'" + std::string(kModelSection) + "' in " + origin + " must be an object of model parameters");
      }
      flatten(it.value(), "", f.params);
      continue;
    }
    const auto b = build_only_keys().find(it.key());
    if (b != build_only_keys().end()) {
      notes.push_back("ignoring " + it.key() + " = " + dump_json(it.value()) + " (" + b->second + ")");
      if (it.key() == "LOG_OUT_WIDTH") f.out_width = it.value();
      if (it.key() == "LOG_OUT_BUFF_SIZE") f.out_buff = it.value();
      continue;
    }
    f.params.push_back({it.key(), it.value()});
  }
  return f;
}

std::vector<RawEntry> override_entries(const std::vector<ParamOverride>& overrides, std::string& where) {
  std::vector<RawEntry> out;
  for (const auto& o : overrides) {
    if (!find_param(o.key)) throw UserError(unknown_key_message(o.key, o.where));
    out.push_back({o.key, parse_json_input(o.json_value, o.key + " = " + o.json_value + " in " + o.where)});
    where = o.where;
  }
  return out;
}

// TARGET picks the board preset before explicit values apply on top of it.
const BoardPreset& target_preset(std::string target, const std::vector<RawEntry>& file, const std::vector<RawEntry>& set) {
  for (const auto* entries : {&file, &set})
    for (const auto& e : *entries)
      if (e.key == "TARGET" && e.value.is_string()) target = e.value.get<std::string>();
  for (const auto& b : board_presets())
    if (target == b.target) return b;
  std::string known;
  for (const auto& b : board_presets()) known += std::string(known.empty() ? "" : ", ") + b.target;
  throw UserError("TARGET = \"" + target + "\" is not a known board; use one of " + known);
}

}  // namespace

HwConfig HwConfig::from_json_overrides(const std::string& text, const std::string& origin,
                                       const std::vector<ParamOverride>& overrides) {
  const ojson doc = parse_json_input(text, "configuration file '" + origin + "'");
  if (!doc.is_object()) throw UserError("configuration file '" + origin + "' must hold a JSON object");

  HwConfig cfg(HwParams{}, origin);
  FileEntries file = file_entries(doc, origin, cfg.notes_);
  std::string set_where = "--set";
  std::vector<RawEntry> set_entries = override_entries(overrides, set_where);
  check_block_consistency(file.params, origin);
  check_block_consistency(set_entries, set_where);
  order_alias_first(file.params);
  order_alias_first(set_entries);

  const BoardPreset& preset = target_preset(cfg.p_.target, file.params, set_entries);
  cfg.p_.clock_mhz = preset.clock_mhz;
  cfg.p_.port_bits = preset.port_bits;
  std::map<std::string, ParamSource> src;
  src["clock_mhz"] = src["port.bits"] = ParamSource::Preset;
  auto apply = [&](const std::vector<RawEntry>& entries, const std::string& where, ParamSource s) {
    for (const auto& e : entries) {
      const ParamDef* d = find_param(e.key);
      if (!d) throw UserError(unknown_key_message(e.key, where));
      assign(cfg.p_, *d, e.value, where);
      if (e.key == kLogBlockAlias) {
        src["LOG_BLOCK_IN"] = src["LOG_BLOCK_OUT"] = s;
      } else {
        src[e.key] = s;
      }
    }
  };
  if (preset.calibrated) {
    // The board's calibrated memory system and timing come with its TARGET; files and --set refine it.
    std::vector<RawEntry> board;
    flatten(parse_json_input(preset.calibrated, "the board preset").at(kModelSection), "", board);
    apply(board, std::string("the ") + preset.target + " board preset", ParamSource::Preset);
  }
  apply(file.params, origin, ParamSource::File);
  apply(set_entries, set_where, ParamSource::Override);
  for (const auto& d : param_table()) {
    if (std::string(d.name) == kLogBlockAlias) continue;
    const auto it = src.find(d.name);
    cfg.sources_.emplace_back(d.name, it == src.end() ? ParamSource::Default : it->second);
  }

  cfg.apply_depths();
  if (!file.out_width.is_null() && file.out_width != ojson(cfg.p_.log_inp_width)) {
    throw UserError("LOG_OUT_WIDTH = " + dump_json(file.out_width) + " in " + origin + " must equal LOG_INP_WIDTH = " +
                    std::to_string(cfg.p_.log_inp_width) + " (VTA's out buffer holds inputs for the next layer)");
  }
  try {
    cfg.derive_and_validate();
  } catch (const UserError& e) {
    throw UserError(e.what() + buffer_fix(cfg.p_));
  }
  if (!file.out_buff.is_null() && file.out_buff != ojson(cfg.log_out_buff_size())) {
    throw UserError("LOG_OUT_BUFF_SIZE = " + dump_json(file.out_buff) + " in " + origin + " must equal LOG_ACC_BUFF_SIZE + "
                    "LOG_INP_WIDTH - LOG_ACC_WIDTH = " + std::to_string(cfg.log_out_buff_size()));
  }
  return cfg;
}

void HwConfig::apply_depths() {
  auto log2_exact = [](int64_t v) {
    int r = 0;
    while ((int64_t(1) << r) < v) ++r;
    return (int64_t(1) << r) == v ? r : -1;
  };
  const int64_t batch = int64_t(1) << p_.log_batch, bin = int64_t(1) << p_.log_block_in, bout = int64_t(1) << p_.log_block_out;
  const int64_t inp_bits = int64_t(1) << p_.log_inp_width, wgt_bits = int64_t(1) << p_.log_wgt_width,
                acc_bits = int64_t(1) << p_.log_acc_width;
  const struct {
    const char* depth_name;
    const char* log_name;
    int64_t HwParams::*depth;
    int64_t HwParams::*log_size;
    int64_t elem_bits;
  } buffers[] = {{"uop_depth", "LOG_UOP_BUFF_SIZE", &HwParams::uop_depth, &HwParams::log_uop_buff_size, 32},
                 {"inp_depth", "LOG_INP_BUFF_SIZE", &HwParams::inp_depth, &HwParams::log_inp_buff_size, batch * bin * inp_bits},
                 {"wgt_depth", "LOG_WGT_BUFF_SIZE", &HwParams::wgt_depth, &HwParams::log_wgt_buff_size, bout * bin * wgt_bits},
                 {"acc_depth", "LOG_ACC_BUFF_SIZE", &HwParams::acc_depth, &HwParams::log_acc_buff_size, batch * bout * acc_bits}};
  for (const auto& b : buffers) {
    const int64_t depth = p_.*b.depth;
    if (depth == 0) continue;
    const int lg = log2_exact(depth);
    if (lg < 0) {
      throw UserError(std::string(b.depth_name) + " = " + std::to_string(depth) + " must be a power of two (entries)");
    }
    p_.*b.log_size = lg + log2_exact(b.elem_bits / 8);
    ParamSource from = ParamSource::Default;
    for (const auto& [name, source] : sources_)
      if (name == b.depth_name) from = source;
    for (auto& [name, source] : sources_)
      if (name == b.log_name) source = from;
  }
}

std::string HwConfig::buffer_fix(const HwParams& p) {
  int64_t HwParams::*const keys[] = {&HwParams::log_uop_buff_size, &HwParams::log_inp_buff_size,
                                      &HwParams::log_wgt_buff_size, &HwParams::log_acc_buff_size};
  const char* names[] = {"LOG_UOP_BUFF_SIZE", "LOG_INP_BUFF_SIZE", "LOG_WGT_BUFF_SIZE", "LOG_ACC_BUFF_SIZE"};
  constexpr int kReach = 4;  // each size may move by up to a factor of 16
  // Fewest steps first, then the most capacity, then the change spread most evenly.
  using Rank = std::tuple<int, int64_t, int>;  // steps, -capacity, largest single step
  std::optional<Rank> best;
  int best_delta[4] = {};
  int d[4];
  for (d[0] = -kReach; d[0] <= kReach; ++d[0])
    for (d[1] = -kReach; d[1] <= kReach; ++d[1])
      for (d[2] = -kReach; d[2] <= kReach; ++d[2])
        for (d[3] = -kReach; d[3] <= kReach; ++d[3]) {
          int steps = 0, largest = 0;
          int64_t capacity = 0;
          bool in_limits = true;  // only sizes a user could set are proposed
          HwParams q = p;
          for (int k = 0; k < 4; ++k) {
            steps += std::abs(d[k]);
            largest = std::max(largest, std::abs(d[k]));
            q.*keys[k] += d[k];
            capacity += q.*keys[k];
            const ParamDef* def = find_param(names[k]);
            in_limits = in_limits && double(q.*keys[k]) >= def->min && double(q.*keys[k]) <= def->max;
          }
          const Rank rank{steps, -capacity, largest};
          if (!in_limits || steps == 0 || (best && !(rank < *best))) continue;
          try {
            HwConfig trial(q, "");
            trial.derive_and_validate();
          } catch (const UserError&) {
            continue;
          }
          best = rank;
          std::copy(d, d + 4, best_delta);
        }
  if (!best) return "";
  std::string fix;
  for (int k = 0; k < 4; ++k) {
    if (best_delta[k] != 0) fix += std::string(fix.empty() ? "" : " ") + names[k] + "=" + std::to_string(p.*keys[k] + best_delta[k]);
  }
  return " (a configuration that passes: " + fix + ")";
}

void HwConfig::derive_and_validate() {
  batch_ = 1 << p_.log_batch;
  block_in_ = 1 << p_.log_block_in;
  block_out_ = 1 << p_.log_block_out;

  if (p_.port_bits & (p_.port_bits - 1)) {
    throw UserError("port.bits = " + std::to_string(p_.port_bits) + " must be a power of two between 8 and 1024");
  }
  if (p_.cache_line & (p_.cache_line - 1)) {
    throw UserError("cache.line = " + std::to_string(p_.cache_line) + " must be a power of two between 4 and 4096");
  }
  if (p_.cache_kib > 0 && (p_.cache_kib * 1024) % (p_.cache_line * p_.cache_ways) != 0) {
    throw UserError("cache.kib = " + std::to_string(p_.cache_kib) + " is not a whole number of sets of cache.ways = " +
                    std::to_string(p_.cache_ways) + " lines of cache.line = " + std::to_string(p_.cache_line) +
                    " bytes; choose a size that is a multiple of " + std::to_string(p_.cache_line * p_.cache_ways) +
                    " bytes");
  }
  if (p_.cache_kib > 0) {
    // The model keeps a tag per line and a few bytes per set (models/timing/cache_model.h).
    const uint64_t lines = uint64_t(p_.cache_kib) * 1024 / uint64_t(p_.cache_line);
    const uint64_t model_bytes = LineCache::model_bytes(lines, uint32_t(p_.cache_ways));
    if (model_bytes > uint64_t(p_.max_memory_mb) << 20) {
      throw UserError("cache.kib = " + std::to_string(p_.cache_kib) + " with cache.line = " +
                      std::to_string(p_.cache_line) + " is " + std::to_string(lines) + " lines, whose model takes " +
                      std::to_string(model_bytes >> 20) + " MiB, more than sim.max_memory_mb = " +
                      std::to_string(p_.max_memory_mb) + "; use longer lines, a smaller cache or a larger sim.max_memory_mb");
    }
  }
  const struct {
    MemType type;
    const char* key;
    int64_t log_size;
  } bufs[] = {{MemType::Uop, "LOG_UOP_BUFF_SIZE", p_.log_uop_buff_size},
              {MemType::Inp, "LOG_INP_BUFF_SIZE", p_.log_inp_buff_size},
              {MemType::Wgt, "LOG_WGT_BUFF_SIZE", p_.log_wgt_buff_size},
              {MemType::Acc, "LOG_ACC_BUFF_SIZE", p_.log_acc_buff_size}};
  for (const auto& b : bufs) {
    const uint32_t elem = elem_bytes(b.type);
    if (b.log_size < 0 || b.log_size > 40) {  // the parameter table's limits keep user values far inside
      throw UserError(std::string(b.key) + " = " + std::to_string(b.log_size) + " is outside 0..40");
    }
    if ((int64_t(1) << b.log_size) < int64_t(elem)) {
      throw UserError(std::string(b.key) + " = " + std::to_string(b.log_size) + " gives a " +
                      std::to_string(int64_t(1) << b.log_size) + "-byte buffer, smaller than one " +
                      mem_type_name(b.type) + " element of " + std::to_string(elem) + " bytes; use at least " +
                      std::to_string(int(std::log2(elem))));
    }
  }
  BufferDepthsLog2 d;
  d.uop = log_depth(MemType::Uop);
  d.inp = log_depth(MemType::Inp);
  d.wgt = log_depth(MemType::Wgt);
  d.acc = log_depth(MemType::Acc);
  isa_ = Isa(d);  // throws if the instruction fields no longer fit
  if (d.uop > Isa::kSramAddrBits || d.inp > Isa::kSramAddrBits || d.wgt > Isa::kSramAddrBits ||
      d.acc > Isa::kSramAddrBits) {
    throw UserError("a buffer deeper than 2^16 elements cannot be addressed by the 16-bit sram_base field; "
                    "reduce LOG_*_BUFF_SIZE");
  }
}

uint32_t HwConfig::elem_bytes(MemType t) const {
  switch (t) {
    case MemType::Uop: return 4;
    case MemType::Inp: return uint32_t(batch_ * block_in_ * inp_bits() / 8);
    case MemType::Wgt: return uint32_t(block_out_ * block_in_ * wgt_bits() / 8);
    case MemType::Acc: return uint32_t(batch_ * block_out_ * acc_bits() / 8);
    case MemType::Out:
    case MemType::Acc8: return uint32_t(batch_ * block_out_ * out_bits() / 8);
  }
  return 0;
}

int HwConfig::log_depth(MemType t) const {
  auto lg = [](uint32_t v) {
    int r = 0;
    while ((1u << r) < v) ++r;
    return r;
  };
  switch (t) {
    case MemType::Uop: return int(p_.log_uop_buff_size) - lg(elem_bytes(t));
    case MemType::Inp: return int(p_.log_inp_buff_size) - lg(elem_bytes(t));
    case MemType::Wgt: return int(p_.log_wgt_buff_size) - lg(elem_bytes(t));
    case MemType::Acc:
    case MemType::Out:
    case MemType::Acc8: return int(p_.log_acc_buff_size) - lg(elem_bytes(MemType::Acc));
  }
  return 0;
}

uint32_t HwConfig::depth(MemType t) const { return 1u << log_depth(t); }

double HwConfig::mem_gbps() const {
  const double port = port_gbps();
  return (p_.dram_gbps > 0 && p_.dram_gbps < port) ? p_.dram_gbps : port;
}

ParamSource HwConfig::source(const std::string& name) const {
  for (const auto& [n, s] : sources_)
    if (n == name) return s;
  return ParamSource::Default;
}

namespace {

// The parameters that shape the hardware the timed model elaborates (and the programs compiled for it).
bool is_structural(const ParamDef& d) {
  const std::string name = d.name;
  const bool vta_key = std::isupper(static_cast<unsigned char>(name[0])) && name != "TARGET" && name != "HW_VER";
  return d.kind == ParamKind::Int && (vta_key || name.rfind("queue.", 0) == 0);
}

}  // namespace

std::string HwConfig::structural_difference(const HwConfig& o) const {
  for (const auto& d : param_table()) {
    if (is_structural(d) && p_.*d.int_member != o.p_.*d.int_member) return d.name;
  }
  return "";
}

std::string HwConfig::structural_key() const {
  std::string key;
  for (const auto& d : param_table()) {
    if (is_structural(d)) key += std::string(d.name) + "=" + std::to_string(p_.*d.int_member) + ";";
  }
  return key;
}

std::string HwConfig::cycle_key() const {
  const auto exact = [](double v) {  // every bit of a real (hexadecimal floating point)
    char text[40];
    std::snprintf(text, sizeof text, "%a", v);
    return std::string(text);
  };
  std::string key;
  for (const auto& d : param_table()) {
    const std::string name = d.name;
    if (name == "clock_mhz" || name == "dram.gbps") continue;
    key += name + "=";
    switch (d.kind) {
      case ParamKind::Text: key += p_.*d.text_member; break;
      case ParamKind::Int: key += std::to_string(p_.*d.int_member); break;
      case ParamKind::Real: key += exact(p_.*d.real_member); break;
    }
    key += ";";
  }
  // The two ways they are used: as the memory's bytes per cycle (schedule estimates), and whether
  // that is a cap below the port (the DRAM model, models/timing/dram_model.cpp).
  const bool capped = p_.dram_gbps > 0 && mem_bytes_per_cycle() < double(port_bytes_per_cycle());
  return key + "bytes_per_cycle=" + exact(mem_bytes_per_cycle()) + (capped ? ";capped" : ";uncapped");
}

std::string HwConfig::to_config_json() const {
  json vta = json::object();
  json model = json::object();
  for (const auto& d : param_table()) {
    if (std::string(d.name) == kLogBlockAlias) continue;
    json v;
    switch (d.kind) {
      case ParamKind::Text: v = p_.*d.text_member; break;
      case ParamKind::Int: v = p_.*d.int_member; break;
      case ParamKind::Real: v = p_.*d.real_member; break;
    }
    const std::string name = d.name;
    const bool is_vta = !name.empty() && std::isupper(static_cast<unsigned char>(name[0]));
    if (is_vta) {
      vta[name] = v;
    } else {
      const auto dot = name.find('.');
      if (dot == std::string::npos) model[name] = v;
      else model[name.substr(0, dot)][name.substr(dot + 1)] = v;
    }
  }
  vta[kModelSection] = model;
  return dump_json(vta, 2);
}

}  // namespace vtasim
