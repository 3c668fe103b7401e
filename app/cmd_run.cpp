// `vtasim run`: compile every layer of a workload for one or two threads, run it on the timed (or
// functional) engine, check it bit for bit against the reference convolution, and report.
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>
#include <systemc>

#include "cli.h"
#include "conv_lowering.h"
#include "conv_schedule.h"
#include "errors.h"
#include "functional_engine.h"
#include "layer_results.h"
#include "render.h"
#include "timed_engine.h"
#include "vtasim_version.h"

namespace po = boost::program_options;

namespace vtasim::cli {

namespace {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string iso_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string host_name() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

// The first differing element of two NCHW tensors, or "" if equal.
std::string first_difference(const Int8Tensor& got, const Int8Tensor& want) {
  for (int n = 0; n < want.d0; ++n)
    for (int c = 0; c < want.d1; ++c)
      for (int y = 0; y < want.d2; ++y)
        for (int x = 0; x < want.d3; ++x)
          if (got.at(n, c, y, x) != want.at(n, c, y, x)) {
            std::ostringstream os;
            os << "output (n=" << n << ", c=" << c << ", y=" << y << ", x=" << x << ") is " << int(got.at(n, c, y, x))
               << ", the reference says " << int(want.at(n, c, y, x));
            return os.str();
          }
  return "";
}

void print_table(const std::vector<LayerResult>& rows, std::ostream& os) {
  os << std::left << std::setw(8) << "layer" << std::right << std::setw(4) << "thr" << std::setw(12) << "cycles"
     << std::setw(9) << "GOPS" << std::setw(7) << "util" << std::setw(12) << "DRAM bytes" << std::setw(9) << "ops/B"
     << std::setw(9) << "roof" << std::setw(9) << "bound" << std::setw(9) << "verified" << "  schedule\n";
  for (const auto& r : rows) {
    os << std::left << std::setw(8) << r.layer << std::right << std::setw(4) << r.threads;
    if (r.timed) {
      os << std::setw(12) << r.cycles << std::setw(9) << std::fixed << std::setprecision(2) << r.gops << std::setw(6)
         << std::setprecision(1) << r.utilization * 100 << "%";
    } else {
      os << std::setw(12) << "-" << std::setw(9) << "-" << std::setw(7) << "-";
    }
    os << std::setw(12) << r.dram_bytes << std::setw(9) << std::fixed << std::setprecision(1) << r.ai_ops_per_byte
       << std::setw(9) << std::setprecision(2) << r.roof_gops << std::setw(9) << r.bound << std::setw(9) << r.verified
       << "  " << r.schedule << "\n";
  }
  for (const auto& t : network_totals(rows)) {
    os << "network (" << t.threads << (t.threads == 1 ? " thread" : " threads") << ", layers weighted by count): ";
    if (t.cycles > 0) {
      os << std::setprecision(0) << t.cycles << " cycles, " << std::setprecision(1) << t.time_us / 1000.0 << " ms, "
         << std::setprecision(2) << t.gops << " GOPS, ";
    }
    os << std::setprecision(1) << t.dram_bytes / 1e6 << " MB over the port\n";
  }
}

}  // namespace

int cmd_run(int argc, char** argv) {
  ConfigOptions copts;
  std::string workload = "resnet18", layers_opt, threads_opt = "both", schedule = "auto", engine = "timed",
              out_dir = "results", trace_layer;
  bool no_plots = false;
  uint64_t seed = 1;
  po::options_description desc("vtasim run: compile, simulate and verify a workload's convolution layers");
  copts.add_to(desc);
  desc.add_options()
      ("workload,w", po::value<std::string>(&workload), "resnet18 (default) or a CSV file of layers")
      ("layers,l", po::value<std::string>(&layers_opt), "comma-separated layer names (default: all)")
      ("threads,t", po::value<std::string>(&threads_opt), "1, 2 or both (default)")
      ("schedule", po::value<std::string>(&schedule), "auto (default), vta2018, or a schedule CSV file")
      ("engine,e", po::value<std::string>(&engine),
       "timed (default), functional (untimed), or timing (timed without data: same cycles, no verification)")
      ("seed", po::value<uint64_t>(&seed), "seed of the generated data (default 1)")
      ("out,o", po::value<std::string>(&out_dir), "results directory (default results/)")
      ("trace-layer", po::value<std::string>(&trace_layer),
       "write Perfetto traces of this layer (per thread count) and draw its timeline "
       "(default: the layer with the fewest MACs)")
      ("no-plots", po::bool_switch(&no_plots), "skip the figures and summary.md");
  if (!parse("run",
             "[--config FILE] [--set K=V]... [--workload NAME|FILE] [--layers C2,C6] [--threads 1|2|both] "
             "[--schedule auto|vta2018|FILE] [--engine timed|functional|timing] [--seed N] [--out DIR] [--trace-layer NAME] "
             "[--no-plots]",
             argc, argv, desc)) {
    return kOk;
  }
  if (engine != "timed" && engine != "functional" && engine != "timing") {
    throw UserError("--engine '" + engine + "' is not known; use timed, functional or timing");
  }
  const bool with_data = engine != "timing";
  const bool with_time = engine != "functional";
  std::vector<uint32_t> thread_counts;
  if (threads_opt == "both") thread_counts = {1, 2};
  else if (threads_opt == "1") thread_counts = {1};
  else if (threads_opt == "2") thread_counts = {2};
  else throw UserError("--threads '" + threads_opt + "' must be 1, 2 or both");

  const HwConfig cfg = copts.load();
  print_notes(cfg);
  std::vector<ConvLayer> layers = load_workload(workload);
  if (!layers_opt.empty()) {
    std::vector<ConvLayer> picked;
    for (const auto& name : split_list(layers_opt)) {
      const auto it = std::find_if(layers.begin(), layers.end(), [&](const ConvLayer& l) { return l.name == name; });
      if (it == layers.end()) {
        std::string known;
        for (const auto& l : layers) known += (known.empty() ? "" : ",") + l.name;
        throw UserError("--layers: no layer '" + name + "' in workload " + workload + " (layers: " + known + ")");
      }
      picked.push_back(*it);
    }
    layers = picked;
  }
  if (!trace_layer.empty() && std::none_of(layers.begin(), layers.end(), [&](const ConvLayer& l) { return l.name == trace_layer; })) {
    throw UserError("--trace-layer: '" + trace_layer + "' is not among the layers being run");
  }
  if (!trace_layer.empty() && !with_time) throw UserError("--trace-layer needs the timed or timing engine");
  if (trace_layer.empty() && with_time && !no_plots) {
    // The timeline shows the smallest layer: its trace stays small and readable.
    const auto smallest = std::min_element(layers.begin(), layers.end(),
                                           [](const ConvLayer& a, const ConvLayer& b) { return a.macs() < b.macs(); });
    trace_layer = smallest->name;
  }
  ScheduleTable table;
  if (schedule != "auto" && schedule != "vta2018") table = load_schedule_file(schedule);
  // Every schedule is resolved before anything runs, so a misfit stops the run at once.
  std::vector<std::vector<ConvSchedule>> schedules;
  for (const auto& l : layers) {
    schedules.emplace_back();
    for (uint32_t t : thread_counts) schedules.back().push_back(choose_schedule(l, cfg, t, schedule, table));
  }
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw UserError("cannot create the results directory '" + out_dir + "': " + ec.message());

  std::unique_ptr<TimedEngine> timed;
  if (with_time) {
    TimedEngine::Options opts;
    opts.data = with_data;
    timed = std::make_unique<TimedEngine>(cfg, opts);
  }

  std::vector<LayerResult> rows;
  std::string mismatch;
  for (size_t li = 0; li < layers.size(); ++li) {
    const ConvLayer& layer = layers[li];
    // Timing-only runs never look at values: no data, no reference.
    ConvData data;
    Int8Tensor want;
    PackedConvData packed;
    if (with_data) {
      data = make_conv_data(layer, seed);
      want = reference_conv2d(layer.shape, data.input, data.weights, data.bias, layer.epilogue);
      packed = pack_conv_data(layer, cfg, data);
    } else {
      packed = zero_conv_data(layer, cfg);
    }
    for (size_t ti = 0; ti < thread_counts.size(); ++ti) {
      const ConvSchedule& sched = schedules[li][ti];
      CompiledConv compiled = compile_conv(layer, cfg, sched, packed);
      LayerResult r;
      r.layer = layer.name;
      r.threads = thread_counts[ti];
      r.count = layer.count;
      r.schedule = sched.source + ": " + sched.describe();
      r.macs = layer.macs();
      r.ops = 2 * r.macs;
      r.timed = with_time;
      const uint64_t insn_bytes = uint64_t(compiled.image.insn_count) * kInsnBytes;
      if (timed) {
        TraceRecorder trace;
        const bool tracing = layer.name == trace_layer;
        const TimedStats s = timed->run(compiled.image, tracing ? &trace : nullptr);
        r.cycles = s.cycles;
        r.dram_bytes = s.total_bytes();
        for (int k = 0; k < kByteKindCount; ++k) r.bytes[k] = s.bytes[k];
        for (const auto& [name, value] : s.flat(cfg.params().clock_mhz)) {
          if (name == "cycles" || name == "time_us" || name.rfind("bytes.", 0) == 0) continue;
          r.stats.emplace_back(name, value);
        }
        if (tracing) {
          const std::string path = out_dir + "/trace_" + layer.name + "_t" + std::to_string(r.threads) + ".json";
          write_file_atomic(path, trace.to_json(cfg.params().clock_mhz, layer.name + ", " + std::to_string(r.threads) +
                                                                            " thread(s)"));
        }
      } else {
        const FunctionalResult f = FunctionalEngine(cfg).run(compiled.image);
        const ExecCounters& c = f.counters;
        r.bytes[0] = insn_bytes;
        r.bytes[1] = c.uop_load_nbytes;
        r.bytes[2] = c.inp_load_nbytes;
        r.bytes[3] = c.wgt_load_nbytes;
        r.bytes[4] = c.acc_load_nbytes;
        r.bytes[5] = c.out_store_nbytes;
        for (auto b : r.bytes) r.dram_bytes += b;
      }
      r.derive(cfg);
      const std::string diff = with_data ? first_difference(read_conv_output(compiled, layer, cfg), want) : "";
      r.verified = !with_data ? "n/a" : diff.empty() ? "yes" : "no";
      if (!diff.empty() && mismatch.empty()) {
        mismatch = "layer " + layer.name + " (" + std::to_string(r.threads) + " thread(s)): " + diff;
      }
      std::cerr << "vtasim run: " << layer.name << " t" << r.threads << ": "
                << (r.timed ? std::to_string(r.cycles) + " cycles, " : std::string()) << "verified " << r.verified << "\n";
      rows.push_back(std::move(r));
    }
  }

  write_file_atomic(out_dir + "/layers.csv", layers_to_csv(rows));
  nlohmann::ordered_json meta;
  meta["vtasim_version"] = VTASIM_VERSION;
  meta["git_commit"] = VTASIM_GIT_COMMIT;
  meta["systemc_version"] = sc_core::sc_release();
  meta["date"] = iso_now();
  meta["host"] = host_name();
  meta["command_line"] = std::vector<std::string>(argv - 1, argv + argc);
  meta["engine"] = engine;
  meta["workload"] = workload;
  meta["schedule"] = schedule;
  meta["seed"] = seed;
  meta["timeline_layer"] = trace_layer;
  meta["configuration_origin"] = cfg.origin();
  meta["configuration"] = nlohmann::json::parse(cfg.to_config_json());
  write_file_atomic(out_dir + "/run.json", meta.dump(2) + "\n");

  print_table(rows, std::cout);
  std::cout << "results: " << out_dir << "/layers.csv, " << out_dir << "/run.json";
  if (!no_plots) {
    RunInfo info;
    info.workload = workload;
    info.schedule = schedule;
    info.version = VTASIM_VERSION;
    render_outputs(out_dir, rows, cfg, info, trace_layer, Which::All);
    std::cout << ", " << out_dir << "/summary.md and figures";
  }
  std::cout << "\n";
  if (!mismatch.empty()) {
    std::cerr << "vtasim run: MISMATCH: " << mismatch << "\n";
    return kInternal;
  }
  return kOk;
}

}  // namespace vtasim::cli
