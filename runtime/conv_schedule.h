// Where a layer's schedule comes from: the automatic search (any valid configuration), the
// hand-written 2018 Pynq schedules (BRIEF section 7), or a file of explicit knobs per layer.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "conv_plan.h"

namespace vtasim {

// Searches every divisor combination of the knobs (and, with two threads, both thread axes) for the
// lowest estimated cycles. Throws UserError saying why no schedule fits.
ConvSchedule auto_schedule(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads);

// The 2018 schedule for one of the twelve benchmark shapes, accepted only if it fits the
// configuration. Throws UserError otherwise.
ConvSchedule vta2018_schedule(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads);

// Explicit schedules: CSV with columns layer,threads,oc_factor,ko_factor,h_factor,w_factor and
// optionally oc_nthread,h_nthread,kh_factor. Keyed by (layer name, threads).
using ScheduleTable = std::map<std::pair<std::string, uint32_t>, ConvSchedule>;
ScheduleTable load_schedule_file(const std::string& path);

// Resolves `source` ("auto", "vta2018" or a schedule file already loaded into `table`) and checks the
// result fits; throws UserError naming the layer and the reason otherwise.
ConvSchedule choose_schedule(const ConvLayer& layer, const HwConfig& cfg, uint32_t threads, const std::string& source,
                             const ScheduleTable& table);

}  // namespace vtasim
