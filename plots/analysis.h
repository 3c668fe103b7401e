// The analyses of a run's results, in plain C++: roofline points, latency
// hiding (one thread versus two), where the compute unit's time went, consistency checks and the
// findings the report states.
#pragma once

#include <string>
#include <vector>

#include "models/hw_config.h"
#include "runtime/layer_results.h"

namespace vtasim {

// Shares of the compute module's cycles (they add up to 1).
struct ComputeBreakdown {
  double busy = 0;         // GEMM, ALU, micro-op and bias loads doing work
  double wait_load = 0;    // waiting for the load module's tokens (inputs, weights)
  double wait_store = 0;   // waiting for the store side (store->compute tokens, full compute->store queue)
  double wait_memory = 0;  // its own DMA (micro-ops, biases) waiting for the port
  double wait_cmd = 0;     // nothing to do (empty command queue)
  double other = 0;        // blocked pushing to the load module
  static const std::vector<std::string>& names();  // labels in field order
  std::vector<double> values() const;
};
// All zero for a row without timing statistics (functional engine).
ComputeBreakdown compute_breakdown(const LayerResult& r);

// A layer with both thread counts: speedup = cycles(1 thread) / cycles(2 threads).
struct LatencyHiding {
  std::string layer;
  const LayerResult* one = nullptr;
  const LayerResult* two = nullptr;
  double speedup = 0;
};
std::vector<LatencyHiding> latency_hiding(const std::vector<LayerResult>& rows);
double geometric_mean_speedup(const std::vector<LatencyHiding>& lh);

// Every point at or below its roof and every run at or above its analytic lower bound
// max(GEMM micro-ops, bytes / port bytes per cycle). Returns one message per violation, naming the
// layer; empty when consistent.
std::vector<std::string> consistency_problems(const std::vector<LayerResult>& rows, const HwConfig& cfg);

// Short findings computed from the numbers, one sentence each (markdown).
std::vector<std::string> findings(const std::vector<LayerResult>& rows, const HwConfig& cfg);

}  // namespace vtasim
