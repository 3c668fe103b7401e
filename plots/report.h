// DIR/summary.md: the configuration, the per-layer table, the figures and findings computed from the
// numbers.
#pragma once

#include <string>
#include <vector>

#include "figures.h"
#include "hw_config.h"
#include "layer_results.h"

namespace vtasim {

// `figures`: file names (relative to DIR) of the images to link, in order.
std::string summary_markdown(const std::vector<LayerResult>& rows, const HwConfig& cfg, const RunInfo& info,
                             const std::vector<std::string>& figures);

}  // namespace vtasim
