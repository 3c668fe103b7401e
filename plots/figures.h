// The figures of a run: roofline, latency hiding and timeline, built as gnuplot scripts plus data
// from the results alone (plain C++; rendering is render_figure's job).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/hw_config.h"
#include "runtime/layer_results.h"

namespace vtasim {

// What the subtitles state about the machine and the run.
struct RunInfo {
  std::string workload = "resnet18_convs";
  std::string schedule = "auto";
  std::string version;
};
std::string machine_subtitle(const HwConfig& cfg, const RunInfo& info);

struct Figure;
Figure roofline_figure(const std::vector<LayerResult>& rows, const HwConfig& cfg, const RunInfo& info);
Figure latency_figure(const std::vector<LayerResult>& rows, const HwConfig& cfg, const RunInfo& info);
// Energy per layer (uJ) stacked by component, one bar per layer and thread count.
Figure energy_figure(const std::vector<LayerResult>& rows, const HwConfig& cfg, const RunInfo& info);

// A module's activity over one run, for the Gantt chart: intervals per track in cycles.
struct TimelineTrace {
  uint32_t threads = 1;
  uint64_t cycles = 0;
  // load, compute, store, memory port
  std::vector<std::pair<uint64_t, uint64_t>> tracks[4];
};
// Reads a trace written by `vtasim run --trace-layer` (Chrome trace-event JSON). Throws UserError.
TimelineTrace read_timeline_trace(const std::string& path, uint32_t threads);
Figure timeline_figure(const std::string& layer, const std::vector<TimelineTrace>& traces, const HwConfig& cfg,
                       const RunInfo& info);

}  // namespace vtasim
