// Schedule sources (see conv_schedule.h).
#include "conv_schedule.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

#include "errors.h"

namespace vtasim {

namespace {

std::vector<uint32_t> divisors(uint32_t n) {
  std::vector<uint32_t> d;
  for (uint32_t k = 1; k <= n; ++k)
    if (n % k == 0) d.push_back(k);
  return d;
}

std::string layer_ref(const ConvLayer& l, uint32_t threads) {
  return "layer " + l.name + " (" + std::to_string(threads) + (threads == 1 ? " thread" : " threads") + ")";
}

}  // namespace

ConvSchedule auto_schedule(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads) {
  ConvPlan probe;
  std::string why;
  // Divisor lists come from the blocked geometry; a throwaway plan provides it.
  ConvSchedule unit;
  unit.w_factor = 1;
  plan_conv(layer, cfg, unit, probe, why);
  const auto ocs = divisors(probe.ocb), kos = divisors(probe.icb), hs = divisors(probe.oh), ws = divisors(probe.ow),
             khs = divisors(probe.kh);
  std::vector<std::pair<uint32_t, uint32_t>> thread_modes = {{1, 1}};
  if (threads == 2) thread_modes = {{1, 2}, {2, 1}};
  std::vector<std::pair<double, ConvSchedule>> candidates;
  std::vector<std::string> reasons;  // the first reason of each kind
  auto note = [&](const std::string& reason) {
    const std::string kind = reason.substr(0, reason.find_first_of("0123456789"));
    const bool seen = std::any_of(reasons.begin(), reasons.end(),
                                  [&](const std::string& r) { return r.compare(0, kind.size(), kind) == 0; });
    if (!seen && reasons.size() < 4) reasons.push_back(reason);
  };
  for (const auto& [oc_n, h_n] : thread_modes) {
    for (uint32_t kh : khs)
      for (uint32_t oc : ocs)
        for (uint32_t ko : kos)
          for (uint32_t h : hs)
            for (uint32_t w : ws) {
              const ConvSchedule s = ConvSchedule::make(oc, ko, h, w, oc_n, h_n, "auto", kh == probe.kh ? 0 : kh);
              ConvPlan p;
              std::string reason;
              if (!plan_conv(layer, cfg, s, p, reason, false)) {  // sizes only: fast
                note(reason);
                continue;
              }
              candidates.emplace_back(estimate_conv(p, cfg).cycles, s);
            }
  }
  // Lowest estimate first (ties: the earlier, fewer-tile candidate); the winner is then planned in
  // full, micro-ops and hazard check included, falling back to the next if that fails.
  std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [cycles, s] : candidates) {
    ConvPlan p;
    std::string reason;
    if (plan_conv(layer, cfg, s, p, reason)) return s;
    note(reason);
  }
  std::string all;
  for (const auto& r : reasons) all += (all.empty() ? "" : "; ") + r;
  throw UserError("no schedule fits " + layer_ref(layer, threads) + ": every tiling fails, because " + all);
}

namespace {

struct Table2018Row {
  int h, ic, oc, k, pad, stride;
  ConvSchedule one, two;
};

ConvSchedule sch(uint32_t oc, uint32_t ko, uint32_t h, uint32_t w, uint32_t oc_n = 1, uint32_t h_n = 1) {
  return ConvSchedule::make(oc, ko, h, w, oc_n, h_n, "vta2018");
}

// BRIEF section 7, by the shape of section 8.
const std::vector<Table2018Row>& table2018() {
  static const std::vector<Table2018Row> rows = {
      {224, 3, 64, 7, 3, 2, sch(1, 1, 4, 56), sch(1, 1, 4, 56)},
      {56, 64, 64, 3, 1, 1, sch(2, 1, 14, 0), sch(2, 1, 7, 0, 1, 2)},
      {56, 64, 64, 1, 0, 1, sch(4, 4, 8, 0), sch(4, 2, 4, 0, 1, 2)},
      {56, 64, 128, 3, 1, 2, sch(4, 1, 14, 0), sch(4, 1, 7, 0, 1, 2)},
      {56, 64, 128, 1, 0, 2, sch(8, 1, 4, 0), sch(4, 1, 7, 0, 1, 2)},
      {28, 128, 128, 3, 1, 1, sch(8, 1, 7, 0), sch(4, 1, 7, 0, 1, 2)},
      {28, 128, 256, 3, 1, 2, sch(8, 1, 14, 0), sch(4, 1, 7, 0, 2, 1)},
      {28, 128, 256, 1, 0, 2, sch(16, 1, 7, 0), sch(8, 1, 7, 0, 2, 1)},
      {14, 256, 256, 3, 1, 1, sch(8, 1, 7, 0), sch(4, 1, 7, 0, 2, 1)},
      {14, 256, 512, 3, 1, 2, sch(8, 1, 7, 0), sch(4, 1, 7, 0, 2, 1)},
      {14, 256, 512, 1, 0, 2, sch(16, 1, 7, 0), sch(8, 1, 7, 0, 2, 1)},
      {7, 512, 512, 3, 1, 1, sch(8, 1, 7, 0), sch(4, 1, 7, 0, 2, 1)},
  };
  return rows;
}

}  // namespace

ConvSchedule vta2018_schedule(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads) {
  const ConvShape& s = layer.shape;
  for (const auto& r : table2018()) {
    if (r.h != s.h || s.w != s.h || r.ic != s.ic || r.oc != s.oc || r.k != s.kh || r.k != s.kw || r.pad != s.pad ||
        r.stride != s.stride) {
      continue;
    }
    const ConvSchedule sched = threads == 2 ? r.two : r.one;
    ConvPlan p;
    std::string why;
    if (!plan_conv(layer, cfg, sched, p, why)) {
      throw UserError("the vta2018 schedule (" + sched.describe() + ") of " + layer_ref(layer, threads) +
                      " does not fit this configuration: " + why + "; use --schedule auto");
    }
    return sched;
  }
  throw UserError(layer_ref(layer, threads) + " is not one of the twelve VTA benchmark shapes, so vta2018 has no "
                  "schedule for it; use --schedule auto or a schedule file");
}

ScheduleTable load_schedule_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UserError("cannot open schedule file '" + path + "'");
  ScheduleTable table;
  std::string line;
  int line_no = 0;
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    const std::string where = path + ":" + std::to_string(line_no);
    if (header.empty()) {
      header = f;
      const std::vector<std::string> need = {"layer", "threads", "oc_factor", "ko_factor", "h_factor", "w_factor"};
      for (const auto& n : need) {
        bool found = false;
        for (const auto& h : header) found |= h == n;
        if (!found) throw UserError(where + ": the header lacks the column '" + n + "'");
      }
      for (const auto& h : header) {
        bool known = h == "oc_nthread" || h == "h_nthread" || h == "kh_factor";
        for (const auto& n : need) known |= h == n;
        if (!known) throw UserError(where + ": unknown column '" + h + "'");
      }
      continue;
    }
    if (f.size() != header.size()) {
      throw UserError(where + ": " + std::to_string(f.size()) + " fields, the header has " + std::to_string(header.size()));
    }
    ConvSchedule s;
    s.source = path;
    std::string layer;
    uint32_t threads = 1;
    for (size_t c = 0; c < f.size(); ++c) {
      if (header[c] == "layer") {
        layer = f[c];
        continue;
      }
      uint32_t v = 0;
      const auto r = std::from_chars(f[c].data(), f[c].data() + f[c].size(), v);
      if (f[c].empty() || r.ec != std::errc() || r.ptr != f[c].data() + f[c].size()) {
        throw UserError(where + ", column " + std::to_string(c + 1) + " (" + header[c] + "): '" + f[c] +
                        "' is not a non-negative integer");
      }
      if (header[c] == "threads") threads = v;
      else if (header[c] == "oc_factor") s.oc_factor = v;
      else if (header[c] == "ko_factor") s.ko_factor = v;
      else if (header[c] == "h_factor") s.h_factor = v;
      else if (header[c] == "w_factor") s.w_factor = v;
      else if (header[c] == "oc_nthread") s.oc_nthread = v;
      else if (header[c] == "h_nthread") s.h_nthread = v;
      else if (header[c] == "kh_factor") s.kh_factor = v;
    }
    if (threads != 1 && threads != 2) throw UserError(where + ": threads must be 1 or 2");
    if (s.threads() > threads) throw UserError(where + ": oc_nthread/h_nthread ask for more threads than the row's threads");
    table[{layer, threads}] = s;
  }
  return table;
}

ConvSchedule choose_schedule(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads, const std::string& source,
                             const ScheduleTable& table) {
  if (source == "auto") return auto_schedule(layer, cfg, threads);
  if (source == "vta2018") return vta2018_schedule(layer, cfg, threads);
  const auto it = table.find({layer.name, threads});
  if (it == table.end()) {
    throw UserError("the schedule file '" + source + "' has no row for " + layer_ref(layer, threads));
  }
  ConvPlan p;
  std::string why;
  if (!plan_conv(layer, cfg, it->second, p, why)) {
    throw UserError("the schedule (" + it->second.describe() + ") for " + layer_ref(layer, threads) + " from '" + source +
                    "' does not fit: " + why);
  }
  return it->second;
}

}  // namespace vtasim
