// Fitting timing parameters to measured layers: the measurement file, the model's prediction of each
// measurement (on an injected timing-only engine, programs compiled once), and a deterministic
// bounded pattern search that minimises the mean relative error of throughput, with a
// leave-one-out cross-validation and a check of which parameters the data can identify at all.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/engine.h"
#include "models/hw_config.h"
#include "runtime/layer_compiler.h"
#include "runtime/layer_results.h"
#include "runtime/run_request.h"

namespace vtasim {

// What a measurement gives: throughput, device cycles, or the layer's wall time.
enum class Metric : uint8_t { Gops, Cycles, TimeUs };
const char* metric_name(Metric m);

struct Measurement {
  std::string where;   // "file:line", for messages
  std::string layer;
  uint32_t threads = 1;
  ScheduleSource schedule;
  Metric metric = Metric::Gops;
  double value = 0;    // > 0
  std::vector<ParamOverride> config;  // this row's own settings on top of the configuration
};

// CSV with columns layer, threads, schedule and exactly one of gops, cycles, time_us, and optionally
// config ("KEY=VALUE;KEY=VALUE"). Schedule files are found beside the measurement file first. Every
// row is checked against the workload: UserError naming the row for anything wrong.
std::vector<Measurement> parse_measurements(const std::string& text, const std::string& origin, const Workload& w);
std::vector<Measurement> load_measurements(const std::string& path, const Workload& w);

// The model's side of a measurement set: compiles each measured layer once per schedule and predicts
// every measurement for a configuration. The engine must be a timing-only engine (or any engine of
// the measurements' core shape) and is retimed for every configuration.
class CalibrationModel {
 public:
  CalibrationModel(const Workload& workload, std::vector<Measurement> measurements, Engine& engine);
  const std::vector<Measurement>& measurements() const { return m_; }
  // The predicted value of every measurement (in its metric) under `cfg` plus each row's settings.
  std::vector<double> predict(const HwConfig& cfg);
  // The model's throughput (GOPS, end to end) of every measurement, and the measured one.
  std::vector<double> predicted_gops(const HwConfig& cfg);
  std::vector<double> measured_gops() const;
  uint64_t simulations() const { return simulations_; }

 private:
  struct Row {
    ConvLayer layer;
    std::unique_ptr<LayerCompiler> compiler;
    std::map<std::string, ProgramImage> programs;  // by schedule
  };
  LayerResult simulate(size_t i, const HwConfig& cfg);

  std::vector<Measurement> m_;
  std::vector<Row> rows_;
  Engine& engine_;
  uint64_t simulations_ = 0;
};

// A parameter to fit: its table entry, the range searched (within its declared limits) and, for
// text parameters, its choices.
struct FitParameter {
  const ParamDef* def = nullptr;
  double lo = 0, hi = 0;
  bool log_scale = false;  // wide positive ranges are searched in log(1 + x)
  std::vector<std::string> choices;
};
// "dram.latency=20:50,gemm.fill,dma.inp_policy": names with optional lo:hi ranges. UserError for an
// unknown parameter, a range outside its limits, or one that shapes the hardware.
std::vector<FitParameter> parse_fit_parameters(const std::string& text);

struct ParameterReport {
  std::string name;
  std::string unit;
  std::string before, after;    // values as text
  bool identifiable = true;
  double spread = 0;            // how much the mean error moves over the searched range (fraction)
  std::string range_within;     // values whose error is within half a percentage point of the best
};

struct CalibrationOutcome {
  HwConfig before = HwConfig::defaults(), after = HwConfig::defaults();
  std::vector<double> measured, model_before, model_after, loo_prediction;  // GOPS
  double mean_before = 0, max_before = 0, mean_after = 0, max_after = 0;    // relative errors
  double loo_mean = 0, loo_max = 0;
  std::vector<ParameterReport> parameters;
  uint64_t evaluations = 0, simulations = 0;
  double fit_seconds = 0, total_seconds = 0;
};

using CalibrationProgress = std::function<void(const std::string&)>;

// Fits `params` starting from `base`. Parameters whose range leaves the error essentially unchanged
// (the data cannot identify them) are reported and kept at their starting value, never silently set.
CalibrationOutcome calibrate(const HwConfig& base, const std::vector<FitParameter>& params, CalibrationModel& model,
                             const CalibrationProgress& progress = {});

// Sets measured_gops on the rows a measurement describes: same layer and thread count, the same
// schedule source as the run, and no settings of its own (a row measured at another clock or latency
// is not comparable to this run). Cycles and times become throughput with the rows' own ops.
struct AttachOutcome {
  size_t attached = 0;
  size_t other_schedule = 0;  // matching layer and threads, but measured with another schedule
  size_t own_settings = 0;    // matching, but measured under settings of its own
};
AttachOutcome attach_measurements(std::vector<LayerResult>& rows, const std::vector<Measurement>& m, const HwConfig& cfg,
                                  const ScheduleSource& schedule);

// |model / measured - 1| for each pair, and their mean and maximum.
std::vector<double> relative_errors(const std::vector<double>& model, const std::vector<double>& measured);

}  // namespace vtasim
