// Schedule sources (see conv_schedule.h).
#include "runtime/conv_schedule.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "models/csv.h"
#include "models/errors.h"
#include "models/file_io.h"
#include "runtime/search_cache.h"

namespace vtasim {

namespace {

std::vector<uint32_t> divisors(uint32_t n) {
  std::vector<uint32_t> d;
  for (uint32_t k = 1; k <= n; ++k)
    if (n % k == 0) d.push_back(k);
  return d;
}

// Keeps the first reason of each kind (the text before the first number), at most four.
void note_reason(std::vector<std::string>& reasons, const std::string& reason) {
  const std::string kind = reason.substr(0, reason.find_first_of("0123456789"));
  const bool seen = std::any_of(reasons.begin(), reasons.end(),
                                [&](const std::string& r) { return r.compare(0, kind.size(), kind) == 0; });
  if (!seen && reasons.size() < 4) reasons.push_back(reason);
}

std::string layer_ref(const ConvLayer& l, uint32_t threads) {
  return "layer " + l.name + " (" + std::to_string(threads) + (threads == 1 ? " thread" : " threads") + ")";
}

}  // namespace

namespace {

// A tiling that fits by size, with its estimate.
struct RankedTiling {
  double estimate;
  const SearchCache::Sized* tiling;
};

// Lowest estimate first; ties: the earlier, fewer-tile one (the tilings are ranked where they lie, in
// enumeration order, so their addresses order them).
bool ranks_before(const RankedTiling& a, const RankedTiling& b) {
  return a.estimate < b.estimate || (a.estimate == b.estimate && a.tiling < b.tiling);
}

// Every tiling of the layer that fits by size (from `cache`, or enumerated into `storage`), the
// `ordered` best first and in order (ranks_before), the rest after them in no order. Ranks pointers,
// so nothing but the estimates is copied or moved while sorting.
std::vector<RankedTiling> rank_tilings(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads,
                                       std::vector<std::string>* reasons, SearchCache* cache,
                                       std::vector<SearchCache::Sized>& storage, size_t ordered = SIZE_MAX) {
  const std::string key = cache ? SearchCache::layer_key(layer, cfg) + " t" + std::to_string(threads) : "";
  const std::vector<SearchCache::Sized>* sized = cache ? cache->sized(key) : nullptr;
  if (!sized) {
    std::vector<SearchCache::Sized> enumerated;
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
    enumerated.reserve(thread_modes.size() * khs.size() * ocs.size() * kos.size() * hs.size() * ws.size());
    for (const auto& [oc_n, h_n] : thread_modes) {
      for (uint32_t kh : khs)
        for (uint32_t oc : ocs)
          for (uint32_t ko : kos)
            for (uint32_t h : hs)
              for (uint32_t w : ws) {
                SearchCache::Sized t{ConvSchedule::make(oc, ko, h, w, oc_n, h_n, "auto", kh == probe.kh ? 0 : kh), {}, {}};
                std::string reason;
                if (!plan_conv(layer, cfg, t.schedule, t.plan, reasons ? &reason : nullptr, false)) {  // sizes only: fast
                  if (reasons) note_reason(*reasons, reason);
                  continue;
                }
                t.work = ConvComputeWork::of(t.plan, layer.epilogue);
                enumerated.push_back(std::move(t));
              }
    }
    if (cache) {
      cache->put_sized(key, std::move(enumerated));
      sized = cache->sized(key);
    } else {
      storage = std::move(enumerated);
      sized = &storage;
    }
  }
  std::vector<RankedTiling> ranked;
  ranked.reserve(sized->size());
  const EstimateInputs inputs = EstimateInputs::of(cfg);
  for (const auto& t : *sized) ranked.push_back({estimate_conv(t.plan, layer.epilogue, inputs, &t.work).cycles, &t});
  std::partial_sort(ranked.begin(), ranked.begin() + std::min(ordered, ranked.size()), ranked.end(), ranks_before);
  return ranked;
}

}  // namespace

std::vector<RankedSchedule> rank_schedules(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads,
                                           std::vector<std::string>* reasons, SearchCache* cache) {
  std::vector<SearchCache::Sized> storage;
  std::vector<RankedSchedule> out;
  for (const RankedTiling& r : rank_tilings(layer, cfg, threads, reasons, cache, storage))
    out.push_back({r.estimate, r.tiling->schedule});
  return out;
}

ConvSchedule auto_schedule(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads) {
  return auto_candidates(layer, cfg, threads, 1).front();
}

namespace {

// auto_candidates; `explain`: collect why tilings fail (only needed, and then searched again, when
// none fits).
std::vector<ConvSchedule> candidates(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads, size_t k,
                                     SearchCache* cache, bool explain) {
  std::vector<std::string> reasons;  // the first reason of each kind
  std::vector<ConvSchedule> out;
  const std::string layer_key = cache ? SearchCache::layer_key(layer, cfg) : "";
  // The best estimates are planned in full, micro-ops and hazard check included; one that fails
  // makes room for the next.
  double best = -1;
  std::vector<SearchCache::Sized> storage;
  // Usually the first few fit; the rest is put in order only when the search gets to it.
  const size_t first_ordered = std::min<size_t>(k, 1 << 20) * 4 + 8;
  std::vector<RankedTiling> ranked = rank_tilings(layer, cfg, threads, explain ? &reasons : nullptr, cache, storage, first_ordered);
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (i == first_ordered) std::sort(ranked.begin() + long(i), ranked.end(), ranks_before);
    const RankedSchedule c{ranked[i].estimate, ranked[i].tiling->schedule};
    if (best >= 0 && c.estimate > best * (1 + kCandidateMargin)) break;
    SearchCache::Fit fit;
    const std::string key = cache ? layer_key + " " + SearchCache::schedule_key(c.schedule) : "";
    if (const SearchCache::Fit* known = cache ? cache->full_fit(key) : nullptr) {
      fit = *known;
    } else {
      ConvPlan p;
      fit.fits = plan_conv(layer, cfg, c.schedule, p, fit.why);
      if (cache) cache->put_full_fit(key, fit);
    }
    if (fit.fits) {
      if (best < 0) best = c.estimate;
      out.push_back(c.schedule);
      if (out.size() >= k) break;
      continue;
    }
    note_reason(reasons, fit.why);
  }
  if (!out.empty()) return out;
  if (cache || !explain) return candidates(layer, cfg, threads, k, nullptr, true);  // enumerates anew, with every reason
  std::string all;
  for (const auto& r : reasons) all += (all.empty() ? "" : "; ") + r;
  throw UserError("no schedule fits " + layer_ref(layer, threads) + ": every tiling fails, because " + all);
}

}  // namespace

std::vector<ConvSchedule> auto_candidates(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads, size_t k,
                                          SearchCache* cache) {
  return candidates(layer, cfg, threads, k, cache, false);
}

namespace {

struct Table2018Row {
  int h, ic, oc, k, pad, stride;
  ConvSchedule one, two;
};

ConvSchedule sch(uint32_t oc, uint32_t ko, uint32_t h, uint32_t w, uint32_t oc_n = 1, uint32_t h_n = 1) {
  return ConvSchedule::make(oc, ko, h, w, oc_n, h_n, "vta2018");
}

// VTA's 2018 Pynq schedules, looked up by layer shape.
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

ScheduleTable parse_schedule_csv(const std::string& text, const std::string& origin) {
  const CsvTable t = CsvTable::parse(text, origin);
  const std::vector<std::string> need = {"layer", "threads", "oc_factor", "ko_factor", "h_factor", "w_factor"};
  std::vector<std::string> known = need;
  for (const char* k : {"oc_nthread", "h_nthread", "kh_factor"}) known.push_back(k);
  t.allow_only(known);
  t.require_columns(need);
  ScheduleTable table;
  for (const CsvRow& row : t.rows()) {
    ConvSchedule s;
    s.source = origin;
    std::string layer;
    uint32_t threads = 1;
    for (size_t c = 0; c < row.fields.size(); ++c) {
      const std::string& h = t.header()[c];
      if (h == "layer") {
        layer = row.fields[c];
        if (layer.empty()) throw UserError(t.where(row, c) + ": empty layer name");
        continue;
      }
      const uint32_t v = uint32_t(t.integer(row, c, 0, 65535));
      if (h == "threads") threads = v;
      else if (h == "oc_factor") s.oc_factor = v;
      else if (h == "ko_factor") s.ko_factor = v;
      else if (h == "h_factor") s.h_factor = v;
      else if (h == "w_factor") s.w_factor = v;
      else if (h == "oc_nthread") s.oc_nthread = v;
      else if (h == "h_nthread") s.h_nthread = v;
      else if (h == "kh_factor") s.kh_factor = v;
    }
    if (threads != 1 && threads != 2) throw UserError(t.where(row) + ": threads must be 1 or 2");
    if (s.threads() > threads) throw UserError(t.where(row) + ": oc_nthread/h_nthread ask for more threads than the row's threads");
    if (!table.emplace(std::make_pair(layer, threads), s).second) {
      throw UserError(t.where(row) + ": a second row for layer " + layer + " with " + std::to_string(threads) + " thread(s)");
    }
  }
  return table;
}

ScheduleTable load_schedule_file(const std::string& path) {
  return parse_schedule_csv(read_text_file(path, "schedule file"), path);
}

std::string ScheduleSource::name() const {
  switch (kind) {
    case ScheduleKind::Auto: return "auto";
    case ScheduleKind::Vta2018: return "vta2018";
    case ScheduleKind::File: break;
  }
  return file;
}

ScheduleSource ScheduleSource::parse(const std::string& keyword_or_file) {
  ScheduleSource s;
  if (keyword_or_file == "auto") return s;
  if (keyword_or_file == "vta2018") {
    s.kind = ScheduleKind::Vta2018;
    return s;
  }
  if (!file_exists(keyword_or_file)) {
    throw UserError("schedule '" + keyword_or_file + "' is neither auto, vta2018 nor a schedule file");
  }
  return from_csv(keyword_or_file, read_text_file(keyword_or_file, "schedule file"));
}

ScheduleSource ScheduleSource::from_csv(const std::string& origin, const std::string& csv_text) {
  ScheduleSource s;
  s.kind = ScheduleKind::File;
  s.file = origin;
  s.text = csv_text;
  s.table = parse_schedule_csv(csv_text, origin);
  return s;
}

ConvSchedule choose_schedule(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads, const ScheduleSource& source) {
  if (source.kind == ScheduleKind::Auto) return auto_schedule(layer, cfg, threads);
  if (source.kind == ScheduleKind::Vta2018) return vta2018_schedule(layer, cfg, threads);
  const auto it = source.table.find({layer.name, threads});
  if (it == source.table.end()) {
    throw UserError("the schedule file '" + source.file + "' has no row for " + layer_ref(layer, threads));
  }
  ConvPlan p;
  std::string why;
  if (!plan_conv(layer, cfg, it->second, p, why)) {
    throw UserError("the schedule (" + it->second.describe() + ") for " + layer_ref(layer, threads) + " from '" +
                    source.file + "' does not fit: " + why);
  }
  return it->second;
}

}  // namespace vtasim
