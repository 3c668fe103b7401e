// One row of results per (layer, thread count): what `vtasim run` writes to layers.csv and what the
// reports, figures and sweep merges read back. Plain C++.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "hw_config.h"

namespace vtasim {

struct LayerResult {
  std::string layer;
  uint32_t threads = 1;
  int count = 1;               // occurrences in the network
  std::string schedule;        // "auto: oc=4 ko=2 h=8 w=56"
  bool timed = true;           // false: functional engine, no cycles
  uint64_t cycles = 0;
  double time_us = 0;
  uint64_t macs = 0;           // of the layer as defined (padding channels excluded)
  uint64_t ops = 0;            // 2 x macs
  double gops = 0, peak_gops = 0, utilization = 0;
  uint64_t dram_bytes = 0;     // every byte over the memory port
  uint64_t bytes[6] = {};      // insn, uop, inp, wgt, acc, out
  double ai_ops_per_byte = 0, roof_gops = 0;
  std::string bound;           // "compute" or "memory"
  std::string verified;        // "yes", "no" or "n/a"
  std::vector<std::pair<std::string, double>> stats;  // the timed model's statistics, stable names

  // Fills gops, utilization, ai, roof and bound from cycles, ops, bytes and the configuration.
  void derive(const HwConfig& cfg);
};

// The fixed leading columns of layers.csv, in order.
const std::vector<std::string>& layer_csv_columns();
// layers.csv text: the fixed columns then every statistic (all rows share the first row's names).
std::string layers_to_csv(const std::vector<LayerResult>& rows);
// Parses layers.csv back (for re-rendering and merging). Throws UserError naming file and line.
std::vector<LayerResult> layers_from_csv(const std::string& text, const std::string& origin);

struct NetworkTotals {
  uint32_t threads = 1;
  double cycles = 0;  // sum of count x cycles
  double time_us = 0;
  double ops = 0;
  double dram_bytes = 0;
  double gops = 0;
};
// Totals per thread count, each layer weighted by its count.
std::vector<NetworkTotals> network_totals(const std::vector<LayerResult>& rows);

}  // namespace vtasim
