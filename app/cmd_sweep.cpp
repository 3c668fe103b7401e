// `vtasim sweep`, `vtasim sweep-point` and `vtasim merge`: design-space sweeps.
#include <iostream>
#include <memory>
#include <optional>

#include "app/cli.h"
#include "app/run_job.h"
#include "models/errors.h"
#include "runtime/search_cache.h"
#include "sweeps/sweep_runner.h"

namespace po = boost::program_options;

namespace vtasim::cli {

int cmd_sweep(int argc, char** argv) {
  std::string spec_path;
  SweepOptions o;
  bool no_plots = false, skip_invalid = false, fit_only = false;
  std::string jobs, max_points = std::to_string(kDefaultMaxSweepPoints);
  po::options_description desc("vtasim sweep: run every design point of a sweep specification");
  desc.add_options()
      ("spec", po::value<std::string>(&spec_path)->required(), "the sweep specification (JSON, see sweeps/)")
      ("out,o", po::value<std::string>(&o.out_dir), "sweep directory (not needed with --dry-run)")
      ("jobs,j", po::value<std::string>(&jobs), "points run at once, 1 to 4096 (default: number of cores)")
      ("max-points", po::value<std::string>(&max_points),
       "refuse sweeps with more points than this (default 10000, at most 1000000)")
      ("resume", po::bool_switch(&o.resume), "continue a sweep in DIR: finished points are skipped, failed ones rerun")
      ("backend", po::value<std::string>(&o.backend), "local (default: built-in process pool), parallel (GNU parallel) "
                                                       "or slurm (sbatch array + merge scripts)")
      ("submit", po::bool_switch(&o.submit), "slurm: submit the scripts with sbatch")
      ("dry-run", po::bool_switch(&o.dry_run), "list the points (after validating them) and stop")
      ("skip-invalid", po::bool_switch(&skip_invalid),
       "record points whose configuration the model rejects as skipped (with the reason) instead of refusing the sweep")
      ("fit-only", po::bool_switch(&fit_only), "rank only designs that fit their TARGET's part (as \"constraints\": {\"fits\": true})")
      ("no-plots", po::bool_switch(&no_plots), "skip the sweep figures");
  po::positional_options_description pos;
  pos.add("spec", 1);
  if (!parse("sweep", "SPEC --out DIR [--jobs N] [--resume] [--backend local|parallel|slurm] [--submit] [--dry-run] "
             "[--skip-invalid] [--fit-only] [--max-points N]",
             argc, argv, desc, &pos)) {
    return kOk;
  }
  o.plots = !no_plots;
  if (!jobs.empty()) o.jobs = unsigned(option_uint("--jobs", jobs, 1, 4096));
  const uint64_t point_limit = option_uint("--max-points", max_points, 1, kMaxSweepPoints);
  o.point_command = {self_executable(), "sweep-point"};
  o.merge_command = {self_executable(), "merge"};
  if (o.out_dir.empty() && !o.dry_run) throw UserError("--out DIR is needed (the sweep directory), except with --dry-run");
  SweepSpec spec = load_sweep_spec(spec_path);
  spec.skip_invalid = spec.skip_invalid || skip_invalid;
  spec.fit_only = spec.fit_only || fit_only;
  const auto points = expand_sweep(spec, point_limit);
  return run_sweep(spec, points, o);
}

int cmd_sweep_point(int argc, char** argv) {
  std::string dir;
  std::vector<std::string> ids;
  po::options_description desc("vtasim sweep-point: run points of a prepared sweep directory (what the back-ends run)");
  desc.add_options()
      ("dir", po::value<std::string>(&dir)->required(), "sweep directory")
      ("id", po::value<std::vector<std::string>>(&ids)->required(), "point ids (see DIR/points.tsv), run one after another");
  po::positional_options_description pos;
  pos.add("dir", 1).add("id", -1);
  if (!parse("sweep-point", "DIR ID [ID...]", argc, argv, desc, &pos)) return kOk;
  // A point runs exactly like `vtasim run --no-plots` into the point's directory, on the engine the
  // point server made for its first point (SystemC elaborates once per process): retimed for each
  // point, or a fresh process for a point of another engine kind or hardware shape.
  std::unique_ptr<Engine> engine;
  std::optional<HwConfig> shape;
  SearchCache cache;  // the tilings and timing-only programs of this hardware shape
  return run_sweep_points(dir, ids, [&](const RunRequest& request, const std::string& out_dir) {
    if (engine && (engine->kind() != request.engine || !shape->structural_difference(request.config).empty())) {
      return kPointRestart;
    }
    if (engine) {
      engine->retime(request.config);
    } else {
      engine = make_engine(request.engine, request.config);
      shape = request.config;
    }
    RunOutputs out;
    out.dir = out_dir;
    out.private_dir = true;  // the point's temporary directory, moved into points/ whole once it finished
    out.plots = false;
    out.table = false;     // a point's results are its layers.csv; its log keeps warnings and errors
    out.progress = false;
    out.command_line = {"vtasim", "sweep-point"};
    return execute_run(request, out, engine.get(), &cache);
  });
}

int cmd_merge(int argc, char** argv) {
  std::string dir;
  bool no_plots = false;
  po::options_description desc("vtasim merge: merge a sweep's finished points into sweep.csv and points.csv");
  desc.add_options()
      ("dir", po::value<std::string>(&dir)->required(), "sweep directory")
      ("no-plots", po::bool_switch(&no_plots), "skip the sweep figures");
  po::positional_options_description pos;
  pos.add("dir", 1);
  if (!parse("merge", "DIR [--no-plots]", argc, argv, desc, &pos)) return kOk;
  const MergeOutcome m = merge_sweep(dir, !no_plots);
  std::cout << "merged " << m.finished << " finished points into " << dir << "/summary.md, sweep.csv and points.csv";
  if (m.skipped) std::cout << " (" << m.skipped << " skipped)";
  const size_t bad = m.user_failures + m.other_failures + m.missing;
  if (bad) std::cout << " (" << bad << " points failed or missing)";
  std::cout << "\n";
  return m.exit_code();
}

}  // namespace vtasim::cli
