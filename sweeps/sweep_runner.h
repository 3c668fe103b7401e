// Running a sweep: every design point as its own `vtasim run` process (SystemC elaborates once per
// process), written atomically into DIR/points/<id>/, failures recorded and isolated, resumable after
// any interruption (even SIGKILL), on a local process pool, GNU parallel or a Slurm array; then the
// merge into DIR/sweep.csv and DIR/points.csv and the sweep figures.
//
// DIR layout: sweep.json (the expanded sweep), points.tsv (ids and axis values), configs/<id>.json,
// points/<id>/ (finished points), failed/<id>.json (exit status and error tail), tmp/ (points in
// progress), sweep.csv, points.csv, figures; parallel/ and slurm/ for those back-ends.
#pragma once

#include <string>
#include <vector>

#include "sweep_spec.h"

namespace vtasim {

struct SweepOptions {
  std::string out_dir;
  unsigned jobs = 0;  // 0: number of cores
  bool resume = false;
  std::string backend = "local";  // local, parallel, slurm
  bool dry_run = false;
  bool submit = false;  // slurm: submit the scripts
  bool plots = true;
  std::string self;     // this vtasim executable
};

// Returns the process exit code (0: every point finished; 1: some failed; the rest is thrown).
int run_sweep(const SweepSpec& spec, const std::vector<SweepPoint>& points, const SweepOptions& options);

// One point of a prepared sweep directory (what every back-end executes). Returns 0 when the point
// finished, 1 when it failed (recorded in DIR/failed/<id>.json).
int run_sweep_point(const std::string& dir, const std::string& id, const std::string& self);

// Merges DIR/points/*/layers.csv into DIR/sweep.csv and DIR/points.csv (headers must match) and, if
// asked, draws the sweep figures. Returns the number of failed or missing points.
int merge_sweep(const std::string& dir, bool plots);

// The path of the running executable.
std::string self_executable();

}  // namespace vtasim
