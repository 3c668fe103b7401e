// The reports of a run: DIR/summary.md (the machine, findings computed from the numbers, the layer
// table, the figures) and the plain-text table `vtasim run` prints.
#pragma once

#include <string>
#include <vector>

#include "plots/figures.h"
#include "models/hw_config.h"
#include "runtime/layer_results.h"

namespace vtasim {

// `figures`: file names (relative to DIR) of the images to link, in order.
std::string summary_markdown(const std::vector<LayerResult>& rows, const HwConfig& cfg, const RunInfo& info,
                             const std::vector<std::string>& figures);

// The per-layer table and the network totals as aligned plain text (what `vtasim run` prints).
std::string text_table(const std::vector<LayerResult>& rows);

}  // namespace vtasim
