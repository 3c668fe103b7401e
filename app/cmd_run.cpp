// `vtasim run`: options into a validated run request, then execute_run.
#include <optional>

#include "app/cli.h"
#include "app/run_job.h"
#include "models/errors.h"
#include "runtime/run_layers.h"

namespace po = boost::program_options;

namespace vtasim::cli {

int cmd_run(int argc, char** argv) {
  ConfigOptions copts;
  std::optional<std::string> layers;
  std::string workload = "resnet18_convs", threads = "both", schedule = "auto", engine = "timed", out_dir = "results",
              trace_layer, measurements;
  bool no_plots = false;
  std::string seed = "1", batch, candidates = "8";
  po::options_description desc("vtasim run: compile, simulate and verify a workload's convolution layers");
  copts.add_to(desc);
  desc.add_options()
      ("workload,w", po::value<std::string>(&workload), "resnet18 (default) or a CSV file of layers")
      ("layers,l", po::value<std::string>()->notifier([&](const std::string& v) { layers = v; }), "comma-separated layer names (default: all)")
      ("threads,t", po::value<std::string>(&threads), "1, 2 or both (default)")
      ("schedule", po::value<std::string>(&schedule), "auto (default), vta2018, or a schedule CSV file")
      ("engine,e", po::value<std::string>(&engine),
       "timed (default), functional (untimed), or timing (timed without data: same cycles, no verification)")
      ("seed", po::value<std::string>(&seed), "seed of the generated data (default 1)")
      ("batch", po::value<std::string>(&batch),
       "images per layer where the workload has no batch column (default: the core's BATCH)")
      ("candidates", po::value<std::string>(&candidates),
       "auto schedules: simulate this many of the best estimates and keep the fastest (default 8; 1 trusts the estimate)")
      ("out,o", po::value<std::string>(&out_dir), "results directory (default results/)")
      ("trace-layer", po::value<std::string>(&trace_layer),
       "write Perfetto traces of this layer (per thread count) and draw its timeline "
       "(default: the layer with the fewest MACs)")
      ("measurements,m", po::value<std::string>(&measurements),
       "compare with measured layers (CSV as for vtasim calibrate): a measured_gops column, a section and a figure")
      ("no-plots", po::bool_switch(&no_plots), "skip the figures and summary.md");
  if (!parse("run",
             "[--config FILE] [--set K=V]... [--workload NAME|FILE] [--layers C2,C6] [--threads 1|2|both] "
             "[--schedule auto|vta2018|FILE] [--engine timed|functional|timing] [--seed N] [--batch N] [--candidates K] [--out DIR] [--trace-layer NAME] "
             "[--measurements FILE] [--no-plots]",
             argc, argv, desc)) {
    return kOk;
  }
  RunRequest req;
  req.engine = parse_engine_kind(engine, "--engine");
  req.threads = parse_threads(threads, "--threads");
  req.config = copts.load();
  print_notes(req.config);
  req.workload = Workload::load(workload);
  if (layers) {
    req.layer_names = parse_name_list(*layers);
    if (req.layer_names.empty()) throw UserError("--layers '" + *layers + "' names no layer (leave it out to run all)");
  }
  req.schedule = ScheduleSource::parse(schedule);
  req.seed = option_uint("--seed", seed, 0, UINT64_MAX);
  if (!batch.empty()) req.batch = uint32_t(option_uint("--batch", batch, 1, kMaxBatch));
  req.candidates = uint32_t(option_uint("--candidates", candidates, 1, kMaxCandidates));
  req.trace_layer = trace_layer;
  req.validate();
  if (req.trace_layer.empty() && engine_has_time(req.engine) && !no_plots) req.trace_layer = default_trace_layer(req);

  RunOutputs out;
  out.dir = out_dir;
  out.plots = !no_plots;
  out.measurements = measurements;
  out.command_line.assign(argv - 1, argv + argc);
  return execute_run(req, out);
}

}  // namespace vtasim::cli
