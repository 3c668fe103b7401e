// The figures and report of a results directory, shared by `vtasim run` (after simulating) and
// `vtasim plot` (from the files alone).
#pragma once

#include <string>
#include <vector>

#include "models/hw_config.h"
#include "plots/figures.h"
#include "runtime/layer_results.h"

namespace vtasim {

enum class Which { Roofline, Latency, Timeline, All };
// "roofline", "latency", "timeline" or "all"; UserError otherwise.
Which parse_which(const std::string& s);

// Checks consistency (points under their roofs, cycles above the lower bound): throws
// std::runtime_error naming the layers otherwise. Then draws the requested figures into dir and, for
// All, writes summary.md. Missing gnuplot is a warning on stderr; the scripts and data are still
// written.
void render_outputs(const std::string& dir, const std::vector<LayerResult>& rows, const HwConfig& cfg,
                    const RunInfo& info, const std::string& timeline_layer, Which which);

// The same from the files of a results directory (layers.csv, run.json, traces).
void render_results_dir(const std::string& dir, Which which);

}  // namespace vtasim
