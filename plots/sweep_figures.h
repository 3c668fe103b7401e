// Sweep outputs: the per-point table (points.csv) and the sweep figures: each swept parameter against
// network throughput and latency, a heatmap for two-parameter sweeps, a Pareto plot of latency against
// estimated DSPs, and the per-layer rooflines of the best points overlaid.
#pragma once

#include <string>
#include <vector>

#include "plots/figure.h"
#include "models/hw_config.h"
#include "runtime/layer_results.h"

namespace vtasim {

struct SweepPointSummary {
  std::string id;
  std::vector<std::string> values;  // one per axis
  std::string status;               // ok, failed, missing
  std::string failure;              // exit status of a failed point
  // Network totals (layers weighted by count) with 1 and 2 threads; has[k] false when not run.
  bool has[2] = {false, false};
  double cycles[2] = {0, 0}, latency_ms[2] = {0, 0}, gops[2] = {0, 0}, dram_mb[2] = {0, 0};
  double peak_gops = 0;
  // Resource estimate.
  std::string part;
  double dsp = 0, bram36 = 0, luts = 0, ffs = 0;
  bool fits = true;
  std::string limiting;

  // Best network latency over the thread counts run (0 if none).
  double best_latency_ms() const;
  double best_gops() const;
};

std::string points_csv(const std::vector<std::string>& axes, const std::vector<SweepPointSummary>& points);

// `rows` and `cfgs` are per point, in the same order as `points`.
std::vector<Figure> sweep_figures(const std::vector<std::string>& axes, const std::vector<SweepPointSummary>& points,
                                  const std::vector<std::vector<LayerResult>>& rows, const std::vector<HwConfig>& cfgs);

// The points no other point beats on both estimated DSPs and best latency, ordered by DSPs.
std::vector<size_t> pareto_front(const std::vector<SweepPointSummary>& points);

}  // namespace vtasim
