// Sweep outputs: the per-point table (points.csv) and the sweep figures: each swept parameter against
// network throughput and latency, a heatmap for two-parameter sweeps, a Pareto plot of latency against
// estimated DSPs, and the per-layer rooflines of the best points overlaid.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "plots/figure.h"
#include "models/hw_config.h"
#include "runtime/layer_results.h"

namespace vtasim {

struct SweepPointSummary {
  std::string id;
  std::vector<std::string> values;  // one per axis
  std::string status;               // ok, failed, missing, skipped
  std::string failure;              // why a point failed or was skipped
  bool user_error = false;          // a failed point stopped on a user error (exit 2)
  // Network totals (layers weighted by count) with 1 and 2 threads; has[k] false when not run.
  bool has[2] = {false, false};
  double cycles[2] = {0, 0}, latency_ms[2] = {0, 0}, gops[2] = {0, 0}, dram_mb[2] = {0, 0}, images_per_s[2] = {0, 0};
  double uj_per_image[2] = {0, 0}, edp_uj_ms[2] = {0, 0};  // estimated energy per image, and x latency per image
  double peak_gops = 0;
  // Resource estimate.
  std::string part;
  double part_dsp = 0, part_bram36 = 0;  // what the part has
  double dsp = 0, bram36 = 0, luts = 0, ffs = 0;
  bool fits = true;
  std::string limiting;
  size_t layer_rows = 0;  // rows in its results table (0 unless it finished)

  // Best network latency over the thread counts run (0 if none).
  double best_latency_ms() const;
  double best_gops() const;
  double best_images_per_s() const;
  // Energy per image and energy-delay product at the thread count of the best latency.
  double energy_uj() const;
  double edp() const;
};

// A merged sweep: per point its summary; the layer rows and configuration only of the points the
// figures and the report look into (detail_points), keyed by point index, so a sweep of any size
// merges in memory proportional to its points' summaries.
struct SweepResults {
  std::vector<std::string> axes;
  bool fit_only = false;  // designs that do not fit their part are never "best"
  std::vector<SweepPointSummary> points;
  std::map<size_t, std::vector<LayerResult>> rows;
  std::map<size_t, HwConfig> cfgs;

  // Finished, and fitting its part where the sweep asks for that (or `fit_only` says).
  bool eligible(size_t i) const { return eligible(i, fit_only); }
  bool eligible(size_t i, bool fit) const { return points[i].status == "ok" && (!fit || points[i].fits); }
  // Eligible points ordered by `key`, smallest first.
  std::vector<size_t> ranked(double (*key)(const SweepPointSummary&)) const { return ranked(key, fit_only); }
  std::vector<size_t> ranked(double (*key)(const SweepPointSummary&), bool fit) const;
};

// The points whose rows and configuration sweep_figures and sweep_summary_markdown read: the three
// best by network GOPS that have layer rows (the rooflines) and the two fastest (why the fastest wins).
std::vector<size_t> detail_points(const SweepResults& results);

std::string points_csv(const std::vector<std::string>& axes, const std::vector<SweepPointSummary>& points);

std::vector<Figure> sweep_figures(const SweepResults& results);

// The points no other point beats on both `cost` (estimated DSPs or BRAM) and best latency, ordered by
// cost; only eligible points.
std::vector<size_t> pareto_front(const SweepResults& results, double SweepPointSummary::*cost = &SweepPointSummary::dsp);

// A swept value in hardware units: LOG_BLOCK 4 -> "16x16", LOG_BATCH 1 -> "batch 2", LOG_WGT_BUFF_SIZE
// 18 -> "256 KiB", clock_mhz 200 -> "200 MHz".
std::string display_value(const std::string& axis, const std::string& value);
std::string display_point(const std::vector<std::string>& axes, const std::vector<std::string>& values);

// DIR/summary.md of a sweep: the best design (that fits, where asked) for network latency, GOPS and
// GOPS per DSP, why it wins against the runner-up, the top ten, skipped and failed points.
std::string sweep_summary_markdown(const SweepResults& results, const std::string& spec, const std::vector<std::string>& figures);

}  // namespace vtasim
