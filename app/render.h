// Figures and report of a results directory, shared by `vtasim run` and `vtasim plot`.
#pragma once

#include <string>
#include <vector>

#include "figures.h"
#include "hw_config.h"
#include "layer_results.h"

namespace vtasim::cli {

enum class Which { Roofline, Latency, Timeline, All };
Which parse_which(const std::string& s);

// Checks consistency (points under their roofs, cycles above the lower bound): throws
// std::runtime_error naming the layers otherwise. Then draws the requested figures into dir and writes
// summary.md. Missing gnuplot is a warning on stderr; the scripts and data are still written.
void render_outputs(const std::string& dir, const std::vector<LayerResult>& rows, const HwConfig& cfg,
                    const RunInfo& info, const std::string& timeline_layer, Which which);

int cmd_plot(int argc, char** argv);

}  // namespace vtasim::cli
