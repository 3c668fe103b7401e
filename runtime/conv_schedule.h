// Where a layer's schedule comes from: the automatic search (any valid configuration), the
// hand-written 2018 Pynq schedules (VTA's ResNet-18 benchmark), or a file of explicit knobs per layer.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "runtime/conv_plan.h"

namespace vtasim {

class SearchCache;

// Every tiling that fits the buffers and field widths (sized, micro-op lists not enumerated), ranked
// by the analytic estimate, lowest first. `reasons` (optional) collects why others do not fit.
struct RankedSchedule {
  double estimate = 0;  // estimated cycles
  ConvSchedule schedule;
};
// `cache` (optional) keeps which tilings fit across runs on one hardware shape (runtime/search_cache.h);
// `reasons` are collected only when the tilings are enumerated anew.
std::vector<RankedSchedule> rank_schedules(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads,
                                           std::vector<std::string>* reasons = nullptr, SearchCache* cache = nullptr);

// Searches every divisor combination of the knobs (and, with two threads, both thread axes) for the
// lowest estimated cycles. Throws UserError saying why no schedule fits.
ConvSchedule auto_schedule(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads);
// The `k` (at least one) best-estimated schedules that fit, best first, leaving out those estimated
// more than kCandidateMargin slower than the best (the estimate ranks those right); UserError as
// auto_schedule.
constexpr double kCandidateMargin = 0.25;
std::vector<ConvSchedule> auto_candidates(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads, size_t k,
                                          SearchCache* cache = nullptr);

// The 2018 schedule for one of the twelve benchmark shapes, accepted only if it fits the
// configuration. Throws UserError otherwise.
ConvSchedule vta2018_schedule(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads);

// Explicit schedules: CSV with columns layer,threads,oc_factor,ko_factor,h_factor,w_factor and
// optionally oc_nthread,h_nthread,kh_factor. Keyed by (layer name, threads).
using ScheduleTable = std::map<std::pair<std::string, uint32_t>, ConvSchedule>;
ScheduleTable load_schedule_file(const std::string& path);
ScheduleTable parse_schedule_csv(const std::string& text, const std::string& origin);

// Where schedules come from: the automatic search, the 2018 hand-written table, or a schedule file
// (its text kept, so a run request that carries it stands alone).
enum class ScheduleKind : uint8_t { Auto, Vta2018, File };
struct ScheduleSource {
  ScheduleKind kind = ScheduleKind::Auto;
  std::string file;  // File: where the table came from
  std::string text;  // File: its contents
  ScheduleTable table;

  std::string name() const;  // "auto", "vta2018" or the file
  // "auto", "vta2018", or the path of a schedule CSV file (read and checked now).
  static ScheduleSource parse(const std::string& keyword_or_file);
  static ScheduleSource from_csv(const std::string& origin, const std::string& csv_text);
};

// Resolves the schedule of a layer from `source` and checks it fits; throws UserError naming the layer
// and the reason otherwise.
ConvSchedule choose_schedule(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads, const ScheduleSource& source);

}  // namespace vtasim
