// Hardware configuration: VTA's own configuration keys plus the model's timing parameters, loaded
// from JSON, overridden with --set, validated, and turned into derived values exactly once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/isa.h"

namespace vtasim {

// Every tunable value. The VTA keys keep VTA's names (they come from vta_config.json unchanged);
// the model's own parameters live under the "vtasim" object of the same file and are addressed by
// dotted names (dram.latency). The table of names, units, defaults and limits is param_table().
struct HwParams {
  // --- VTA keys ---
  std::string target = "pynq";
  std::string hw_ver = "0.0.2";
  int64_t log_inp_width = 3;
  int64_t log_wgt_width = 3;
  int64_t log_acc_width = 5;
  int64_t log_batch = 0;
  int64_t log_block_in = 4;
  int64_t log_block_out = 4;
  int64_t log_uop_buff_size = 15;
  int64_t log_inp_buff_size = 15;
  int64_t log_wgt_buff_size = 18;
  int64_t log_acc_buff_size = 17;
  // Buffer depths in elements (0: not given). Where given, each sets its LOG_*_BUFF_SIZE for the
  // configuration's BATCH, BLOCK and widths, so a sweep over BLOCK can keep depths constant.
  int64_t uop_depth = 0, inp_depth = 0, wgt_depth = 0, acc_depth = 0;
  // --- board (TARGET presets) ---
  double clock_mhz = 100.0;
  int64_t port_bits = 64;
  // --- memory system ---
  int64_t max_burst_beats = 16;
  int64_t max_outstanding = 16;
  int64_t dram_latency = 16;
  int64_t dram_write_latency = -1;  // -1: the same as dram_latency
  double dram_gbps = 0.0;  // 0: no cap below the port rate
  std::string dram_model = "fixed";
  // A cache between the port and the DRAM (0 KiB: none).
  int64_t cache_kib = 0;
  int64_t cache_line = 32;
  int64_t cache_ways = 8;
  int64_t cache_hit_latency = 0;
  // --- queues ---
  int64_t cmd_queue_depth = 512;
  int64_t token_queue_depth = 1024;
  // --- DMA timing ---
  std::string inp_dma = "pipelined";      // pipelined | row_serial
  std::string wgt_dma = "pipelined";
  std::string compute_dma = "pipelined";
  std::string store_dma = "pipelined";
  int64_t dma_row_cycles = 0;
  int64_t pad_cycles = 1;
  int64_t pad_row_cycles = 0;
  // --- compute timing ---
  int64_t gemm_fill = 4;
  std::string gemm_fill_per = "inner";    // instruction | outer | inner
  std::string alu_model = "fixed";        // fixed | lanes
  int64_t alu_cycles = 2;
  int64_t alu_imm_cycles = 2;
  int64_t alu_lanes = 1;
  int64_t alu_overhead = 0;
  int64_t alu_imm_overhead = 0;
  int64_t noop_cycles = 1;
  // --- host ---
  double host_ns_per_insn = 0.0;
  // --- energy (pJ per event; see models/energy.h) ---
  double energy_mac_pj = 0.2;
  double energy_acc_pj = 0.1;
  double energy_alu_pj = 0.1;
  double energy_sram_pj_per_bit = 0.15625;
  double energy_sram_ref_kib = 8.0;
  double energy_sram_exponent = 0.5;
  double energy_sram_write_ratio = 1.0;
  double energy_dram_pj_per_byte = 243.75;
  double energy_static_mw = 0.0;
  // --- simulation limits ---
  int64_t watchdog_cycles = 1000000000000;
  double max_seconds = 3600.0;
  int64_t max_memory_mb = 8192;
};

enum class ParamKind { Int, Real, Text };

struct ParamDef {
  const char* name;   // as written in JSON / --set
  ParamKind kind;
  const char* unit;
  const char* doc;
  double min;         // inclusive limits for numbers
  double max;
  int64_t HwParams::*int_member;
  double HwParams::*real_member;
  std::string HwParams::*text_member;
  const char* choices = nullptr;  // Text: the accepted values, comma-separated (nullptr: checked elsewhere)
};

const std::vector<ParamDef>& param_table();
const ParamDef* find_param(const std::string& name);
// The names --config accepts besides files: every shipped configuration and every TARGET.
std::vector<std::string> config_preset_names();
// A configuration's text and its name for messages, from a file or a preset name; UserError saying
// where it looked.
struct ConfigSource {
  std::string text;
  std::string origin;
};
ConfigSource read_config_source(const std::string& path_or_preset);

// Where a parameter's value came from, for the human-readable configuration listing.
enum class ParamSource { Default, Preset, File, Override };
const char* param_source_name(ParamSource s);

struct BoardPreset {
  const char* target;
  const char* part;
  double clock_mhz;
  int64_t port_bits;
  // A configuration file whose "vtasim" section holds the board's calibrated memory system and
  // timing (nullptr: the generic defaults).
  const char* calibrated = nullptr;
};
const std::vector<BoardPreset>& board_presets();

// One parameter value set on top of a configuration file, already typed: `json_value` is a JSON
// literal (40, 2.5, "fixed"); `where` names its origin in messages ("--set", "sweep axis").
struct ParamOverride {
  std::string key;
  std::string json_value;
  std::string where;
};
// "KEY=VALUE" as given to --set; the value is read strictly as the parameter's kind (an integer
// parameter takes only an integer, and so on). Throws UserError naming the key and value.
ParamOverride parse_set_override(const std::string& kv);

// The validated configuration with everything derived from it. Immutable once built.
class HwConfig {
 public:
  // Defaults, then the file (if any), then the overrides ("KEY=VALUE" in order). Throws UserError
  // naming the key, the value and the limit for anything invalid.
  // `path` is a file, or the name of a shipped configuration (configs/NAME.json, compiled in) or of a
  // TARGET; UserError saying where it looked otherwise.
  static HwConfig load(const std::optional<std::string>& path,
                       const std::vector<std::string>& overrides = {});
  static HwConfig from_json_text(const std::string& json_text, const std::string& origin,
                                 const std::vector<std::string>& overrides = {});
  static HwConfig from_json_overrides(const std::string& json_text, const std::string& origin,
                                      const std::vector<ParamOverride>& overrides);
  static HwConfig defaults() { return from_json_text("{}", "<defaults>"); }

  const HwParams& params() const { return p_; }
  ParamSource source(const std::string& name) const;
  // Notes for the user (keys VTA uses only for its build and vtasim ignores).
  const std::vector<std::string>& notes() const { return notes_; }
  const std::string& origin() const { return origin_; }

  // --- derived ---
  int batch() const { return batch_; }
  int block_in() const { return block_in_; }
  int block_out() const { return block_out_; }
  int inp_bits() const { return 1 << p_.log_inp_width; }
  int wgt_bits() const { return 1 << p_.log_wgt_width; }
  int acc_bits() const { return 1 << p_.log_acc_width; }
  int out_bits() const { return inp_bits(); }

  // Bytes of one element of each memory type (uop: one micro-op; out: the int8 view of acc).
  uint32_t elem_bytes(MemType t) const;
  // Depth in elements of the SRAM a memory type lives in (out shares acc's index space).
  uint32_t depth(MemType t) const;
  int log_depth(MemType t) const;
  int64_t log_out_buff_size() const { return p_.log_acc_buff_size + p_.log_inp_width - p_.log_acc_width; }

  int64_t macs_per_cycle() const { return int64_t(batch_) * block_in_ * block_out_; }
  double peak_gops() const { return 2.0 * double(macs_per_cycle()) * p_.clock_mhz / 1000.0; }
  uint32_t port_bytes_per_cycle() const { return uint32_t(p_.port_bits / 8); }
  double port_gbps() const { return port_bytes_per_cycle() * p_.clock_mhz / 1000.0; }
  // The memory bandwidth the accelerator can actually get: the port, or the DRAM cap if lower.
  double mem_gbps() const;
  double mem_bytes_per_cycle() const { return mem_gbps() * 1000.0 / p_.clock_mhz; }
  // Cycles until a write's data may cross the port (dram.write_latency, or dram.latency if unset).
  uint64_t write_latency() const { return uint64_t(p_.dram_write_latency < 0 ? p_.dram_latency : p_.dram_write_latency); }
  double ridge_ops_per_byte() const { return peak_gops() / mem_gbps(); }
  double cycle_ns() const { return 1000.0 / p_.clock_mhz; }
  // Longest burst a DMA request may use, in bytes: rows are split into bursts no longer than this.
  uint32_t max_burst_bytes() const { return uint32_t(p_.max_burst_beats) * port_bytes_per_cycle(); }

  const Isa& isa() const { return isa_; }

  // The first parameter that shapes the elaborated hardware (VTA's keys: core shape, buffer sizes; the
  // queue depths) and differs from `other`, or "" when the two differ in timing parameters only.
  std::string structural_difference(const HwConfig& other) const;
  // The values of those parameters, as text: equal for configurations with no structural difference.
  std::string structural_key() const;
  // Every parameter a simulated cycle can depend on, as text: all but the clock and dram.gbps, which
  // reach the cycle-level model only as the bytes per cycle the memory delivers and whether that caps
  // the port (both included, exactly).
  // Configurations with equal keys give equal cycles, schedule choices and statistics; e.g. clocks
  // at which the DRAM can outpace the port.
  std::string cycle_key() const;

  // The full configuration as a VTA-style JSON file (VTA keys flat, model keys under "vtasim"),
  // loadable again with load().
  std::string to_config_json() const;

 private:
  HwConfig(HwParams p, std::string origin);
  void derive_and_validate();
  // Sets each LOG_*_BUFF_SIZE whose depth parameter is given (see HwParams::inp_depth); the LOG
  // parameter takes the depth's source.
  void apply_depths();
  // " (a configuration that passes: LOG_WGT_BUFF_SIZE=16 ...)": the smallest change of the buffer
  // sizes that makes `p` valid, or "" when none within a factor of 16 does.
  static std::string buffer_fix(const HwParams& p);

  HwParams p_;
  std::string origin_;
  std::vector<std::pair<std::string, ParamSource>> sources_;
  std::vector<std::string> notes_;
  int batch_ = 1, block_in_ = 16, block_out_ = 16;
  Isa isa_{BufferDepthsLog2{}};
};

// Splits "KEY=VALUE"; throws UserError if there is no '='.
std::pair<std::string, std::string> split_override(const std::string& kv);

}  // namespace vtasim
