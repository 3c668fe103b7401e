// Layer results: derived quantities and CSV (see layer_results.h).
#include "layer_results.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "errors.h"

namespace vtasim {

void LayerResult::derive(const HwConfig& cfg) {
  peak_gops = cfg.peak_gops();
  ai_ops_per_byte = dram_bytes ? double(ops) / double(dram_bytes) : 0.0;
  roof_gops = std::min(peak_gops, cfg.mem_gbps() * ai_ops_per_byte);
  bound = ai_ops_per_byte < cfg.ridge_ops_per_byte() ? "memory" : "compute";
  if (timed && cycles > 0) {
    time_us = double(cycles) / cfg.params().clock_mhz;
    gops = double(ops) / (time_us * 1e3);
    utilization = gops / peak_gops;
  }
}

const std::vector<std::string>& layer_csv_columns() {
  static const std::vector<std::string> cols = {
      "layer",     "threads",   "count",     "schedule",  "cycles",    "time_us",    "macs",
      "ops",       "gops",      "peak_gops", "utilization", "dram_bytes", "insn_bytes", "uop_bytes",
      "inp_bytes", "wgt_bytes", "acc_bytes", "out_bytes", "ai_ops_per_byte", "roof_gops", "bound",
      "verified"};
  return cols;
}

namespace {

std::string num(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char b[32];
    std::snprintf(b, sizeof b, "%.0f", v);
    return b;
  }
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

}  // namespace

std::string layers_to_csv(const std::vector<LayerResult>& rows) {
  std::ostringstream os;
  const auto& cols = layer_csv_columns();
  for (size_t i = 0; i < cols.size(); ++i) os << (i ? "," : "") << cols[i];
  if (!rows.empty())
    for (const auto& s : rows.front().stats) os << "," << s.first;
  os << "\n";
  for (const auto& r : rows) {
    const bool t = r.timed;
    os << r.layer << "," << r.threads << "," << r.count << "," << r.schedule << "," << (t ? num(double(r.cycles)) : "")
       << "," << (t ? num(r.time_us) : "") << "," << r.macs << "," << r.ops << "," << (t ? num(r.gops) : "") << ","
       << num(r.peak_gops) << "," << (t ? num(r.utilization) : "") << "," << r.dram_bytes;
    for (auto b : r.bytes) os << "," << b;
    os << "," << num(r.ai_ops_per_byte) << "," << num(r.roof_gops) << "," << r.bound << "," << r.verified;
    for (const auto& s : r.stats) os << "," << num(s.second);
    os << "\n";
  }
  return os.str();
}

std::vector<LayerResult> layers_from_csv(const std::string& text, const std::string& origin) {
  std::istringstream in(text);
  std::string line;
  std::vector<std::string> header;
  std::vector<LayerResult> rows;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    if (!line.empty() && line.back() == ',') f.emplace_back();
    if (header.empty()) {
      header = f;
      const auto& cols = layer_csv_columns();
      if (header.size() < cols.size() || !std::equal(cols.begin(), cols.end(), header.begin())) {
        throw UserError(origin + ":1: not a vtasim layers.csv (the header must start with layer,threads,count,...)");
      }
      continue;
    }
    if (f.size() != header.size()) {
      throw UserError(origin + ":" + std::to_string(line_no) + ": " + std::to_string(f.size()) + " fields, the header has " +
                      std::to_string(header.size()));
    }
    auto d = [&](size_t i) {
      try {
        return f[i].empty() ? 0.0 : std::stod(f[i]);
      } catch (const std::exception&) {
        throw UserError(origin + ":" + std::to_string(line_no) + ", column " + std::to_string(i + 1) + " (" + header[i] +
                        "): '" + f[i] + "' is not a number");
      }
    };
    LayerResult r;
    r.layer = f[0];
    r.threads = uint32_t(d(1));
    r.count = int(d(2));
    r.schedule = f[3];
    r.timed = !f[4].empty();
    r.cycles = uint64_t(d(4));
    r.time_us = d(5);
    r.macs = uint64_t(d(6));
    r.ops = uint64_t(d(7));
    r.gops = d(8);
    r.peak_gops = d(9);
    r.utilization = d(10);
    r.dram_bytes = uint64_t(d(11));
    for (int k = 0; k < 6; ++k) r.bytes[k] = uint64_t(d(12 + size_t(k)));
    r.ai_ops_per_byte = d(18);
    r.roof_gops = d(19);
    r.bound = f[20];
    r.verified = f[21];
    for (size_t i = layer_csv_columns().size(); i < f.size(); ++i) r.stats.emplace_back(header[i], d(i));
    rows.push_back(std::move(r));
  }
  if (header.empty()) throw UserError(origin + ": empty file");
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
  }
  std::vector<NetworkTotals> out;
  for (auto& [threads, t] : by) {
    t.gops = t.time_us > 0 ? t.ops / (t.time_us * 1e3) : 0.0;
    out.push_back(t);
  }
  return out;
}

}  // namespace vtasim
