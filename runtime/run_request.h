// A run as the pipeline sees it: a validated configuration, workload, layer selection, thread counts,
// schedule source, engine, seed and trace layer. `vtasim run` builds one from its options; a sweep
// builds one per design point and stores it as JSON, which the point runner reads back (validating it
// again), so no library depends on the command line's flag names. The parsers of the run vocabulary
// (thread counts, layer lists) live here, once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/engine.h"
#include "models/hw_config.h"
#include "runtime/conv_schedule.h"
#include "workloads/conv_layer.h"

namespace vtasim {

// A workload: its name (built-in name or file) and every layer, with the CSV text it came from (so a
// request carries it and stands alone).
struct Workload {
  std::string name = "resnet18_convs";
  std::string csv_text;
  std::vector<ConvLayer> layers;

  // A built-in name or a CSV file path.
  static Workload load(const std::string& name_or_file);
  static Workload from_csv(const std::string& name, const std::string& csv_text);
};

// "1", "2" or "both"; UserError naming `what` otherwise.
std::vector<uint32_t> parse_threads(const std::string& text, const std::string& what);
// Thread counts given as numbers (a sweep spec's list): each 1 or 2, no repeats, not empty.
std::vector<uint32_t> check_threads(const std::vector<int64_t>& values, const std::string& what);
// "C2,C6" -> {"C2", "C6"}; empty items are skipped.
std::vector<std::string> parse_name_list(const std::string& text);
// The largest batch a run may ask for.
constexpr uint32_t kMaxBatch = 1024;
constexpr uint32_t kMaxCandidates = 64;

// The named layers of a workload in the order given; UserError listing the workload's layers for a
// name it does not have.
std::vector<ConvLayer> select_layers(const Workload& w, const std::vector<std::string>& names);

struct RunRequest {
  HwConfig config = HwConfig::defaults();
  Workload workload = Workload::load("resnet18_convs");
  std::vector<std::string> layer_names;  // empty: every layer
  std::vector<uint32_t> threads = {1, 2};
  ScheduleSource schedule;
  EngineKind engine = EngineKind::Timed;
  uint64_t seed = 1;
  std::string trace_layer;               // layer whose runs are traced ("" none)
  uint32_t batch = 0;                    // images per layer where the workload gives none (0: the core's BATCH)
  // `auto` schedules: how many of the best estimates are simulated (timing only) to pick the fastest;
  // 1 trusts the estimate. Engines without time always trust it.
  uint32_t candidates = 8;

  // The layers to run, in order, each with its batch resolved: the workload's where it gives one,
  // else `batch`, else the core's BATCH (so a batch-2 core is not judged on batch-1 work).
  std::vector<ConvLayer> layers() const;
  // Every cross-field rule: known layers, the trace layer among them and an engine with time for it.
  void validate() const;

  std::string to_json() const;
  // Reads and validates a request written by to_json; UserError naming `origin` for anything wrong.
  static RunRequest from_json(const std::string& text, const std::string& origin);
};

}  // namespace vtasim
