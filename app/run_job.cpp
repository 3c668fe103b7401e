// Engines and run output wiring (see run_job.h).
#include "app/run_job.h"

#include <malloc.h>

#include <filesystem>
#include <iostream>

#include <systemc>

#include "models/errors.h"
#include "models/functional_engine.h"
#include "models/staged_dir.h"
#include "plots/render.h"
#include "plots/report.h"
#include "plots/results_dir.h"
#include "runtime/calibration.h"
#include "runtime/run_layers.h"
#include "tlm/timed_engine.h"
#include "vtasim_version.h"

namespace vtasim::cli {

std::unique_ptr<Engine> make_engine(EngineKind kind, const HwConfig& cfg, const std::string& vcd_file) {
  if (kind == EngineKind::Functional) return std::make_unique<FunctionalEngine>(cfg);
  TimedEngine::Options opts;
  opts.data = kind == EngineKind::Timed;
  opts.vcd_file = vcd_file;
  return std::make_unique<TimedEngine>(cfg, opts);
}

namespace {

// Says which measurements were left out of the comparison and why, so an empty column is explained.
void note_measurements(const AttachOutcome& a, const std::string& file, const std::string& schedule) {
  if (a.other_schedule > 0) {
    std::cerr << "vtasim run: note: " << a.other_schedule << " measurement(s) in " << file
              << " used another schedule than this run's '" << schedule << "' and are not compared (--schedule)\n";
  }
  if (a.own_settings > 0) {
    std::cerr << "vtasim run: note: " << a.own_settings << " measurement(s) in " << file
              << " were taken under settings of their own (config column) and are not compared\n";
  }
  if (a.attached == 0) std::cerr << "vtasim run: note: no measurement in " << file << " matches a layer run\n";
}

}  // namespace

namespace {

// A run with data allocates each layer's tensors, packed copies, image and reference and frees them
// before the next layer: glibc would hand the large blocks back to the kernel and the next layer would
// fault fresh pages in (about one in seven of the run's page faults). Such a process keeps its freed
// memory for reuse instead; its peak stays that of its largest layer. Timing-only runs (a sweep's
// design points) have no such buffers and keep glibc's defaults.
void keep_freed_memory() {
  static bool done = false;
  if (done) return;
  done = true;
  mallopt(M_MMAP_THRESHOLD, 256 << 20);  // blocks below 256 MiB come from the heap, where frees stay
  mallopt(M_TRIM_THRESHOLD, 1 << 30);    // the heap's top is not handed back
  mallopt(M_TOP_PAD, 64 << 20);          // and grows in large steps (address space; pages come as touched)
}

}  // namespace

int execute_run(const RunRequest& request, const RunOutputs& out, Engine* reuse, SearchCache* cache) {
  if (engine_moves_data(request.engine)) keep_freed_memory();
  // Everything is written into a staging directory and committed at the end: a run that fails leaves
  // the previous results as they were.
  StagedDir staged(out.dir, "vtasim run", out.private_dir ? StagedDir::Mode::Private : StagedDir::Mode::Staged);
  std::unique_ptr<Engine> own;
  if (!reuse) own = make_engine(request.engine, request.config);
  Engine* engine = reuse ? reuse : own.get();
  // Measurements are read before anything runs, so a bad file stops the run at once.
  std::vector<Measurement> measured;
  if (!out.measurements.empty()) measured = load_measurements(out.measurements, request.workload);
  RunOutcome outcome = run_layers(request, *engine, [&](const LayerResult& r) {
    if (!out.progress) return;
    // One write per line (std::cerr is unbuffered; a sweep worker prints twelve lines a point).
    std::cerr << ("vtasim run: " + r.layer + " t" + std::to_string(r.threads) + ": " +
                  (r.timed ? std::to_string(r.cycles) + " cycles, " : std::string()) + "verified " + r.verified + "\n");
  }, cache);
  for (const auto& n : outcome.notes) std::cerr << "vtasim run: warning: " << n << "\n";
  if (!measured.empty()) note_measurements(attach_measurements(outcome.rows, measured, request.config, request.schedule),
                                            out.measurements, request.schedule.name());
  Provenance who;
  who.vtasim_version = VTASIM_VERSION;
  who.git_commit = VTASIM_GIT_COMMIT;
  who.systemc_version = sc_core::sc_release();
  who.command_line = out.command_line;
  write_results_dir(staged.path(), request, outcome, who);
  if (out.plots) {
    RunInfo info;
    info.workload = request.workload.name;
    info.schedule = request.schedule.name();
    info.version = VTASIM_VERSION;
    render_outputs(staged.path(), outcome.rows, request.config, info, request.trace_layer, Which::All);
  }
  staged.commit();
  if (out.table) {
    std::cout << text_table(outcome.rows) << "results: " << out.dir << "/layers.csv, " << out.dir << "/run.json";
  }
  if (out.plots && out.table) std::cout << ", " << out.dir << "/summary.md and figures";
  if (out.table) std::cout << "\n";
  if (!outcome.mismatch.empty()) {
    std::cerr << "vtasim run: MISMATCH: " << outcome.mismatch << "\n";
    return 1;
  }
  return 0;
}

}  // namespace vtasim::cli
