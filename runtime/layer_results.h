// One row of results per (layer, thread count): what run_layers produces, what the reports, figures
// and sweep merges consume, and what layers.csv shows (a view of these records; reading it back gives
// the same typed records). Plain C++.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/counters.h"
#include "models/energy.h"
#include "models/hw_config.h"
#include "models/timed_stats.h"

namespace vtasim {

struct LayerResult {
  std::string layer;
  uint32_t threads = 1;
  int count = 1;               // occurrences in the network
  std::string schedule;        // "auto: oc=4 ko=2 h=8 w=56"
  bool timed = true;           // false: functional engine, no cycles
  uint64_t cycles = 0;         // device cycles
  double time_us = 0;          // the layer's time: device time plus host_us
  double host_us = 0;          // host time inside the layer's time (host.ns_per_insn per instruction)
  uint64_t macs = 0;           // of the layer as defined (padding channels excluded)
  uint64_t ops = 0;            // 2 x macs
  double gops = 0;             // ops / time_us: what a wall-clock measurement of the layer sees
  double device_gops = 0;      // ops / device time: the roofline point and the utilisation
  double peak_gops = 0, utilization = 0;
  uint64_t dram_bytes = 0;     // every byte over the memory port but reads a cache served (cache.kib)
  uint64_t bytes[kByteKindCount] = {};  // by kind: insn, uop, inp, wgt, acc, out
  double ai_ops_per_byte = 0, roof_gops = 0;
  std::string bound;           // "compute" or "memory"
  std::string verified;        // "yes", "no" or "n/a"
  std::optional<TimedStats> timing;  // the timed model's statistics (timed and timing engines)
  double measured_gops = 0;    // a measurement of the layer given with the run (0: none)
  std::string op = "conv";     // the operator: conv, dense, add, maxpool, avgpool
  uint32_t candidates = 1;     // candidate schedules compared, by simulation or by a proven lower bound (1: the estimate or a fixed schedule)
  uint32_t images = 1;         // the batch: images the layer computes
  double us_per_image = 0;     // time_us / images
  double images_per_s = 0;
  AccessCounts access;         // buffer accesses, MACs and ALU operations executed (every engine)
  EnergyBreakdown energy;      // pJ, estimated from the counts (static energy only with time)
  double pj_per_op = 0;        // energy / ops
  double gops_per_w = 0;       // ops per joule / 1e9
  double edp_uj_ms = 0;        // energy (uJ) x time (ms); 0 without time

  // Fills cycles, times, throughputs, utilization, ai, roof and bound from the timing (if any), ops,
  // bytes and the configuration.
  void derive(const HwConfig& cfg);
  // The timed model's statistics; throws std::logic_error for a row without them.
  const TimedStats& stats() const;
};

// The fixed leading columns of layers.csv, in order; the timing statistics follow by their stable
// names (TimedStats::flat, less what the fixed columns already hold).
const std::vector<std::string>& layer_csv_columns();
std::string layers_to_csv(const std::vector<LayerResult>& rows, double clock_mhz);
// Parses layers.csv back into typed records. Throws UserError naming the file, line and column, and
// naming every missing statistic of a timed row.
std::vector<LayerResult> layers_from_csv(const std::string& text, const std::string& origin);

struct NetworkTotals {
  uint32_t threads = 1;
  double cycles = 0;  // sum of count x cycles
  double time_us = 0;
  double ops = 0;
  double dram_bytes = 0;
  double gops = 0;
  double us_per_image = 0;  // sum of count x time_us / images
  double images_per_s = 0;
  EnergyBreakdown energy;   // pJ, sum of count x each layer's energy
  double uj_per_image = 0;  // sum of count x energy / images, in uJ
  double pj_per_op = 0;
  double gops_per_w = 0;
  double edp_uj_ms = 0;     // per image: uJ per image x ms per image
};
// Totals per thread count, each layer weighted by its count.
std::vector<NetworkTotals> network_totals(const std::vector<LayerResult>& rows);

}  // namespace vtasim
