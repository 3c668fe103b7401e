// A run's results directory: layers.csv (the typed results as a table), run.json (what ran: the
// resolved configuration, workload, engine, versions, date, host) and the Perfetto traces of the
// traced layer. Written by `vtasim run` and by every sweep point, read back by `vtasim plot`, the sweep
// merge and comparisons.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/hw_config.h"
#include "plots/figures.h"
#include "runtime/layer_results.h"
#include "runtime/run_layers.h"
#include "runtime/run_request.h"

namespace vtasim {

// Who produced the results (the app fills in what only it knows).
struct Provenance {
  std::string vtasim_version;
  std::string git_commit;
  std::string systemc_version;
  std::vector<std::string> command_line;
};

// Trace file of a layer and thread count inside a results directory.
std::string trace_path(const std::string& dir, const std::string& layer, uint32_t threads);

// Writes layers.csv, run.json and the traces into dir (each file atomically).
void write_results_dir(const std::string& dir, const RunRequest& request, const RunOutcome& outcome,
                       const Provenance& who);

struct ResultsDir {
  std::vector<LayerResult> rows;
  HwConfig config = HwConfig::defaults();
  RunInfo info;
  std::string timeline_layer;
};
// Reads layers.csv and run.json back; UserError naming the file and what is wrong.
ResultsDir read_results_dir(const std::string& dir);

}  // namespace vtasim
