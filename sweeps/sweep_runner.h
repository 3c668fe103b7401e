// Running a sweep: every design point runs in its own process (SystemC elaborates once per process),
// written atomically into DIR/points/<id>/, failures recorded and isolated, resumable after any
// interruption (even SIGKILL), on a local process pool, GNU parallel or a Slurm array; then the merge
// into DIR/sweep.csv and DIR/points.csv and the sweep figures.
//
// DIR layout: sweep.json (the expanded sweep), points.tsv (ids and axis values), requests/<id>.json
// (the point's complete run request), configs/<id>.json (its configuration, loadable with --config),
// points/<id>/ (finished points), failed/<id>.json (exit status and error tail), tmp/ (points in
// progress), sweep.csv, points.csv, figures; parallel/ and slurm/ for those back-ends.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/run_request.h"
#include "sweeps/sweep_spec.h"

namespace vtasim {

// Runs one point's request, writing its results (layers.csv, run.json) into out_dir; returns the
// process exit code. The app provides it (it owns the engines and the output wiring).
using PointRunner = std::function<int(const RunRequest& request, const std::string& out_dir)>;
// What a PointRunner returns for a point that needs a fresh process (see run_sweep_points).
constexpr int kPointRestart = 75;

struct SweepOptions {
  std::string out_dir;
  unsigned jobs = 0;  // 0: number of cores
  bool resume = false;
  std::string backend = "local";  // local, parallel, slurm
  bool dry_run = false;
  bool submit = false;  // slurm: submit the scripts
  bool plots = true;
  // The command that runs one point given DIR and ID appended (the back-ends start it): for vtasim,
  // {"/path/to/vtasim", "sweep-point"}. The first element must be an absolute path.
  std::vector<std::string> point_command;
  // The command that merges a sweep directory given DIR appended (the Slurm back-end queues it).
  std::vector<std::string> merge_command;
};

// Returns the process exit code (0: every point finished; 1: some failed; the rest is thrown).
int run_sweep(const SweepSpec& spec, const std::vector<SweepPoint>& points, const SweepOptions& options);

// Points of a prepared sweep directory, one after another (what every back-end executes; a worker
// process takes several, so its start-up is paid once): for each, reads its request, runs it through
// `runner` in a child process (a point server that runs one point after another while they finish,
// so what `runner` keeps between calls, such as an elaborated engine, is reused; a crash fails only
// the point it happened in, and after a failed point the next runs in a fresh process) and moves the
// finished results into place; a finished point is skipped. `runner` returns kPointRestart for a
// point it cannot run in this process (another engine): it runs in a fresh one. Returns 0 when every
// point finished, 1 when one failed (recorded in DIR/failed/<id>.json).
int run_sweep_points(const std::string& dir, const std::vector<std::string>& ids, const PointRunner& runner);

// How the points of a sweep ended.
struct MergeOutcome {
  size_t finished = 0, skipped = 0, missing = 0;
  size_t user_failures = 0;   // points that stopped on a user error (exit 2: e.g. a schedule that does not fit)
  size_t other_failures = 0;  // crashes, internal errors
  // 0 every point that runs finished (skipped points included); 2 some failed on a user error;
  // 1 an internal failure or a point that never ran.
  int exit_code() const;
};

// Merges DIR/points/*/layers.csv into DIR/sweep.csv and DIR/points.csv (headers must match), writes
// DIR/summary.md and, if asked, draws the sweep figures. Failed points are named on stderr.
MergeOutcome merge_sweep(const std::string& dir, bool plots);

// The path of the running executable.
std::string self_executable();

}  // namespace vtasim
