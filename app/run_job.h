// Output wiring shared by `vtasim run`, `vtasim exec` and sweep points: building the engine a request
// names, running the pipeline on it, and writing the results directory, figures and console table.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/engine.h"
#include "models/hw_config.h"
#include "runtime/run_request.h"

namespace vtasim {
class SearchCache;
}

namespace vtasim::cli {

// The engine of a kind for a configuration (one timed engine per process: SystemC elaborates once).
std::unique_ptr<Engine> make_engine(EngineKind kind, const HwConfig& cfg, const std::string& vcd_file = "");

struct RunOutputs {
  std::string dir = "results";
  bool plots = true;
  bool progress = true;                   // a line per layer on stderr
  bool table = true;                      // the results table on stdout
  std::vector<std::string> command_line;  // recorded in run.json
  std::string measurements;               // a measurement file to compare with ("" none)
  // `dir` is a fresh directory its caller moves into place whole (a sweep point's): written directly
  // (StagedDir::Mode::Private) instead of through a staging directory.
  bool private_dir = false;
};

// Runs the request and writes DIR/layers.csv, run.json, traces and (with plots) the figures and
// summary.md. Returns the exit code: 0, or 1 when an output differs from its reference (after
// writing what there is). `engine`: one to run on (of the request's kind, retimed to its
// configuration), or null for a new one; `cache`: kept by a caller that runs many requests on one
// hardware shape (runtime/search_cache.h), or null.
int execute_run(const RunRequest& request, const RunOutputs& out, Engine* engine = nullptr,
                SearchCache* cache = nullptr);

}  // namespace vtasim::cli
