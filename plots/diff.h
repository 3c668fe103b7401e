// `vtasim diff`: two results directories side by side. For runs: per layer and thread count the
// speedup of B over A, throughput, bytes, bound and the largest shift in where the compute unit's time
// went, and the network totals. For sweeps: per design point (matched by its swept values) the network
// latency of each. Directories whose workloads differ are refused, naming the difference.
#pragma once

#include <string>
#include <vector>

#include "plots/figure.h"
#include "plots/results_dir.h"

namespace vtasim {

struct LayerDiff {
  std::string layer;
  uint32_t threads = 1;
  int count = 1;
  const LayerResult* a = nullptr;
  const LayerResult* b = nullptr;
  double speedup = 0;        // time A / time B: above 1, B is faster
  std::string stall_shift;   // "waiting for loads 12% -> 3%": the compute share that moved most
};

struct RunDiff {
  std::vector<LayerDiff> layers;
  std::vector<NetworkTotals> totals_a, totals_b;
};

// Throws UserError naming the first layer that is missing from one side or has different MACs.
RunDiff diff_runs(const ResultsDir& a, const ResultsDir& b, const std::string& name_a, const std::string& name_b);
std::string run_diff_markdown(const RunDiff& d, const std::string& name_a, const std::string& name_b);
std::string run_diff_text(const RunDiff& d);
Figure run_diff_figure(const RunDiff& d, const std::string& name_a, const std::string& name_b);

}  // namespace vtasim
