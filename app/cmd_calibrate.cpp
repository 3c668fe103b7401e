// `vtasim calibrate`: fit timing parameters to measured layers.
#include <filesystem>
#include <iostream>

#include "app/cli.h"
#include "app/run_job.h"
#include "models/errors.h"
#include "models/file_io.h"
#include "plots/calibration_report.h"
#include "runtime/calibration.h"

namespace po = boost::program_options;

namespace vtasim::cli {

int cmd_calibrate(int argc, char** argv) {
  ConfigOptions copts;
  std::string measurements, params = "dram.latency,gemm.fill,alu.cycles,host.ns_per_insn", workload = "resnet18_convs", out_dir;
  bool no_plots = false;
  po::options_description desc("vtasim calibrate: fit timing parameters to measured layers");
  copts.add_to(desc);
  desc.add_options()
      ("measurements,m", po::value<std::string>(&measurements)->required(),
       "CSV: layer,threads,schedule and one of gops, cycles, time_us (optionally config: KEY=VALUE;...)")
      ("params,p", po::value<std::string>(&params),
       "parameters to fit, each NAME or NAME=LO:HI (default dram.latency,gemm.fill,alu.cycles,host.ns_per_insn)")
      ("workload,w", po::value<std::string>(&workload), "where the measured layers are defined (default resnet18)")
      ("out,o", po::value<std::string>(&out_dir)->required(), "output directory")
      ("no-plots", po::bool_switch(&no_plots), "skip the figure");
  if (!parse("calibrate", "--measurements FILE --out DIR [--params P1,P2=LO:HI,...] [--config FILE] [--set K=V]... "
             "[--workload W]", argc, argv, desc)) {
    return kOk;
  }
  const HwConfig base = copts.load();
  print_notes(base);
  const Workload w = Workload::load(workload);
  const auto fit = parse_fit_parameters(params);
  const auto rows = load_measurements(measurements, w);
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw UserError("cannot create the output directory '" + out_dir + "': " + ec.message());

  const auto engine = make_engine(EngineKind::Timing, base);
  CalibrationModel model(w, rows, *engine);
  const CalibrationOutcome out = calibrate(base, fit, model, [](const std::string& s) { std::cerr << s << "\n"; });

  write_file_atomic(out_dir + "/calibrated.json", out.after.to_config_json() + "\n");
  write_file_atomic(out_dir + "/calibration.csv", calibration_csv(out, rows));
  std::vector<std::string> figures;
  if (!no_plots) {
    const Figure f = model_vs_measured_figure(
        "calibration", "Model against measured: " + measurements + " (" + std::to_string(rows.size()) + " layers)",
        measured_points(out, rows));
    const RenderOutcome r = render_figure(f, out_dir);
    if (!r.warning.empty()) std::cerr << "vtasim: warning: " << r.warning << "\n";
    figures.push_back(r.rendered ? "calibration.png" : "calibration.gp");
  }
  write_file_atomic(out_dir + "/calibration.md", calibration_markdown(out, rows, measurements, figures));
  std::cout << "mean error " << 100 * out.mean_before << "% -> " << 100 * out.mean_after << "% (max "
            << 100 * out.max_after << "%), leave-one-out " << 100 * out.loo_mean << "%; " << out_dir
            << "/calibrated.json, calibration.csv, calibration.md\n";
  return kOk;
}

}  // namespace vtasim::cli
