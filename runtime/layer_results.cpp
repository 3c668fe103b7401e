// Layer results: derived quantities and CSV (see layer_results.h).
#include "runtime/layer_results.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <stdexcept>

#include "models/csv.h"
#include "models/errors.h"
#include "models/parse.h"
#include "models/program_image.h"

namespace vtasim {

namespace {
// Bounds of the columns read back (what a run can write).
constexpr int64_t kMaxCandidatesInCsv = 1 << 16;
constexpr int64_t kMaxImagesInCsv = 1 << 20;
}  // namespace

void LayerResult::derive(const HwConfig& cfg) {
  if (timing) {
    cycles = timing->cycles;
    // What reaches the DRAM: every byte over the port but the reads a cache served (cache.kib).
    dram_bytes = timing->total_bytes() - timing->cache_hit_bytes;
    for (int k = 0; k < kByteKindCount; ++k) bytes[k] = timing->bytes[k];
  }
  peak_gops = cfg.peak_gops();
  ai_ops_per_byte = dram_bytes ? double(ops) / double(dram_bytes) : 0.0;
  roof_gops = std::min(peak_gops, cfg.mem_gbps() * ai_ops_per_byte);
  bound = ai_ops_per_byte < cfg.ridge_ops_per_byte() ? "memory" : "compute";
  if (timed && cycles > 0) {
    const double device_us = double(cycles) / cfg.params().clock_mhz;
    host_us = double(bytes[int(ByteKind::Insn)] / kInsnBytes) * cfg.params().host_ns_per_insn / 1000.0;
    time_us = device_us + host_us;
    gops = double(ops) / (time_us * 1e3);
    device_gops = double(ops) / (device_us * 1e3);
    utilization = device_gops / peak_gops;
    us_per_image = time_us / std::max<uint32_t>(images, 1);
    images_per_s = 1e6 / us_per_image;
  }
  energy = energy_of(access, dram_bytes, timed ? time_us * 1e-6 : 0.0, cfg);
  const double pj = energy.total();
  pj_per_op = ops ? pj / double(ops) : 0.0;
  gops_per_w = pj > 0 ? double(ops) / pj * 1e12 / 1e9 : 0.0;
  edp_uj_ms = timed ? pj * 1e-6 * time_us * 1e-3 : 0.0;
}

const TimedStats& LayerResult::stats() const {
  if (!timing) throw std::logic_error("layer " + layer + " has no timing statistics (functional engine)");
  return *timing;
}

const std::vector<std::string>& layer_csv_columns() {
  static const std::vector<std::string> cols = {
      "layer",     "threads",   "count",     "schedule",  "cycles",    "time_us",    "macs",
      "ops",       "gops",      "peak_gops", "utilization", "dram_bytes", "insn_bytes", "uop_bytes",
      "inp_bytes", "wgt_bytes", "acc_bytes", "out_bytes", "ai_ops_per_byte", "roof_gops", "bound",
      "verified", "host_us", "device_gops", "measured_gops", "candidates", "images", "us_per_image", "images_per_s", "op"};
  static const std::vector<std::string> all = [] {
    std::vector<std::string> c = cols;
    for (int b = 0; b < kBufferCount; ++b) {
      c.push_back(std::string(buffer_name(Buffer(b))) + "_reads");
      c.push_back(std::string(buffer_name(Buffer(b))) + "_writes");
    }
    c.push_back("macs_executed");
    c.push_back("alu_ops");
    c.push_back("energy_pj");
    for (const auto& n : EnergyBreakdown::component_names()) c.push_back("energy_" + n + "_pj");
    c.push_back("pj_per_op");
    c.push_back("gops_per_w");
    c.push_back("edp_uj_ms");
    return c;
  }();
  return all;
}

namespace {

std::string num(double v) { return csv_number(v); }

// The statistics columns: everything TimedStats writes except what the fixed columns hold.
bool in_fixed_columns(const std::string& name) {
  return name == "cycles" || name == "time_us" || name.rfind("bytes.", 0) == 0;
}

}  // namespace

std::string layers_to_csv(const std::vector<LayerResult>& rows, double clock_mhz) {
  std::ostringstream os;
  const auto& cols = layer_csv_columns();
  for (size_t i = 0; i < cols.size(); ++i) os << (i ? "," : "") << cols[i];
  const auto first_timed = std::find_if(rows.begin(), rows.end(), [](const LayerResult& r) { return r.timing.has_value(); });
  if (first_timed != rows.end()) {
    for (const auto& [name, value] : first_timed->timing->flat(clock_mhz))
      if (!in_fixed_columns(name)) os << "," << name;
  }
  os << "\n";
  for (const auto& r : rows) {
    const bool t = r.timed;
    std::string schedule = r.schedule;  // free text: never a field separator
    std::replace(schedule.begin(), schedule.end(), ',', ';');
    os << r.layer << "," << r.threads << "," << r.count << "," << schedule << "," << (t ? num(double(r.cycles)) : "")
       << "," << (t ? num(r.time_us) : "") << "," << r.macs << "," << r.ops << "," << (t ? num(r.gops) : "") << ","
       << num(r.peak_gops) << "," << (t ? num(r.utilization) : "") << "," << r.dram_bytes;
    for (auto b : r.bytes) os << "," << b;
    os << "," << num(r.ai_ops_per_byte) << "," << num(r.roof_gops) << "," << r.bound << "," << r.verified << ","
       << (t ? num(r.host_us) : "") << "," << (t ? num(r.device_gops) : "") << ","
       << (r.measured_gops > 0 ? num(r.measured_gops) : "") << "," << r.candidates << "," << r.images << ","
       << (t ? num(r.us_per_image) : "") << "," << (t ? num(r.images_per_s) : "") << "," << r.op;
    for (int b = 0; b < kBufferCount; ++b) os << "," << r.access.reads[b] << "," << r.access.writes[b];
    os << "," << r.access.macs << "," << r.access.alu_ops() << "," << num(r.energy.total());
    for (double v : r.energy.components()) os << "," << num(v);
    os << "," << num(r.pj_per_op) << "," << num(r.gops_per_w) << "," << (t ? num(r.edp_uj_ms) : "");
    if (r.timing) {
      for (const auto& [name, value] : r.timing->flat(clock_mhz))
        if (!in_fixed_columns(name)) os << "," << num(value);
    }
    os << "\n";
  }
  return os.str();
}

std::vector<LayerResult> layers_from_csv(const std::string& text, const std::string& origin) {
  const CsvTable t = CsvTable::parse(text, origin);
  const auto& cols = layer_csv_columns();
  for (size_t i = 0; i < cols.size(); ++i) {
    if (i >= t.header().size()) {
      throw UserError(origin + ":1: not a vtasim layers.csv header: it ends before column " + std::to_string(i + 1) +
                      " ('" + cols[i] + "')");
    }
    if (t.header()[i] != cols[i]) {
      throw UserError(origin + ":1: not a vtasim layers.csv header: column " + std::to_string(i + 1) + " is '" + t.header()[i] +
                      "' where vtasim writes '" + cols[i] + "'");
    }
  }
  std::vector<LayerResult> rows;
  for (const CsvRow& row : t.rows()) {
    auto number = [&](size_t i) {
      const std::string& f = row.fields[i];
      if (f.empty()) return 0.0;
      const auto v = parse_real(f);
      if (!v || *v < 0) throw UserError(t.where(row, i) + ": '" + f + "' is not a non-negative number");
      return *v;
    };
    auto count = [&](size_t i) {
      const double v = number(i);
      if (v != std::floor(v) || v > 1.8e19) throw UserError(t.where(row, i) + ": '" + row.fields[i] + "' is not a count");
      return uint64_t(v);
    };
    LayerResult r;
    r.layer = row.fields[0];
    r.threads = uint32_t(t.integer(row, 1, 1, 2));
    r.count = int(t.integer(row, 2, 0, 1 << 20));
    r.schedule = row.fields[3];
    r.timed = !row.fields[4].empty();
    r.cycles = count(4);
    r.time_us = number(5);
    r.macs = count(6);
    r.ops = count(7);
    r.gops = number(8);
    r.peak_gops = number(9);
    r.utilization = number(10);
    r.dram_bytes = count(11);
    for (int k = 0; k < kByteKindCount; ++k) r.bytes[k] = count(12 + size_t(k));
    r.ai_ops_per_byte = number(18);
    r.roof_gops = number(19);
    r.bound = row.fields[20];
    r.verified = row.fields[21];
    r.host_us = number(22);
    r.device_gops = number(23);
    r.measured_gops = number(24);
    r.candidates = uint32_t(t.integer(row, 25, 1, kMaxCandidatesInCsv));
    r.images = uint32_t(t.integer(row, 26, 1, kMaxImagesInCsv));
    r.us_per_image = number(27);
    r.images_per_s = number(28);
    r.op = row.fields[29];
    if (r.op != "conv" && r.op != "dense" && r.op != "add" && r.op != "maxpool" && r.op != "avgpool") {
      throw UserError(t.where(row, 29) + ": '" + r.op + "' is not an operator vtasim runs");
    }
    size_t col = 30;
    for (int b = 0; b < kBufferCount; ++b) {
      r.access.reads[b] = count(col++);
      r.access.writes[b] = count(col++);
    }
    r.access.macs = count(col++);
    // The ALU operations are kept as a total (the CSV does not split them by opcode).
    r.access.alu_lane_ops[int(AluOp::Add)] = count(col++);
    ++col;  // energy_pj: the sum of the components below
    r.energy.mac = number(col++);
    r.energy.alu = number(col++);
    for (double& v : r.energy.sram) v = number(col++);
    r.energy.dram = number(col++);
    r.energy.static_energy = number(col++);
    r.pj_per_op = number(col++);
    r.gops_per_w = number(col++);
    r.edp_uj_ms = number(col++);
    if (r.timed && t.header().size() > cols.size()) {
      std::map<std::string, double> values = {{"cycles", double(r.cycles)}};
      for (int k = 0; k < kByteKindCount; ++k) {
        values[std::string("bytes.") + byte_kind_name(ByteKind(k))] = double(r.bytes[k]);
      }
      for (size_t i = cols.size(); i < row.fields.size(); ++i) values[t.header()[i]] = number(i);
      r.timing = TimedStats::from_flat(values, t.where(row));
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

std::vector<NetworkTotals> network_totals(const std::vector<LayerResult>& rows) {
  std::map<uint32_t, NetworkTotals> by;
  for (const auto& r : rows) {
    NetworkTotals& t = by[r.threads];
    t.threads = r.threads;
    t.cycles += double(r.count) * double(r.cycles);
    t.time_us += double(r.count) * r.time_us;
    t.ops += double(r.count) * double(r.ops);
    t.dram_bytes += double(r.count) * double(r.dram_bytes);
    t.us_per_image += double(r.count) * r.time_us / std::max<uint32_t>(r.images, 1);
    t.energy += r.energy.scaled(double(r.count));
    t.uj_per_image += double(r.count) * r.energy.total() * 1e-6 / std::max<uint32_t>(r.images, 1);
  }
  std::vector<NetworkTotals> out;
  for (auto& [threads, t] : by) {
    t.gops = t.time_us > 0 ? t.ops / (t.time_us * 1e3) : 0.0;
    t.images_per_s = t.us_per_image > 0 ? 1e6 / t.us_per_image : 0.0;
    const double pj = t.energy.total();
    t.pj_per_op = t.ops > 0 ? pj / t.ops : 0.0;
    t.gops_per_w = pj > 0 ? t.ops / pj * 1e3 : 0.0;
    t.edp_uj_ms = t.uj_per_image * t.us_per_image * 1e-3;
    out.push_back(t);
  }
  return out;
}

}  // namespace vtasim
