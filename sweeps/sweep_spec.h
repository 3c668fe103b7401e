// Sweep specifications: a base configuration, axes of parameter values combined as a cartesian
// product or zipped, and what each design point runs. Expansion validates every point's configuration
// before anything runs, turns each point into a complete run request, and gives it a stable id
// derived from what it runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/hw_config.h"
#include "runtime/run_request.h"

namespace vtasim {

struct SweepAxis {
  std::string name;                      // any parameter --set accepts, or a run setting (batch, candidates, workload)
  std::vector<std::string> json_values;  // each a JSON literal, typed as written in the spec
  std::vector<std::string> labels;       // the same values as text, for tables and figures
  std::vector<Workload> workloads;       // the workload axis: each value loaded (built-in name or file)
};

struct SweepSpec {
  std::string origin;                 // the spec file
  std::string base_config;            // path, or "" for the built-in defaults
  std::string base_config_text = "{}";  // its contents
  std::vector<ParamOverride> base_set;
  std::vector<SweepAxis> axes;
  std::string combine = "product";    // or "zip"
  RunRequest base;                    // what every point runs (its configuration is replaced per point)
  bool fit_only = false;              // "constraints": {"fits": true}: designs that do not fit are never "best"
  bool skip_invalid = false;          // record configurations the model rejects as skipped, not an error
};

// Axes that set what a point runs rather than its configuration.
bool is_run_axis(const std::string& name);

struct SweepPoint {
  std::string id;                     // 12 hex digits
  std::vector<std::string> labels;    // one value per axis, as text
  RunRequest request;                 // validated, with the point's configuration
  std::string skipped;                // why the model rejects the point's configuration ("" if it runs)
};

// Parses a spec file. Unknown keys, empty axes, bad values: UserError naming the key.
SweepSpec load_sweep_spec(const std::string& path);
SweepSpec parse_sweep_spec(const std::string& json_text, const std::string& origin, const std::string& base_dir);

// Expands the axes into points, resolving and validating each configuration (UserError naming the
// point's values and the configuration's complaint). Ids are stable: the same resolved configuration,
// workload, layers, threads, schedule and engine always give the same id.
// At most `max_points` points (checked before anything is built): UserError naming the count.
inline constexpr uint64_t kDefaultMaxSweepPoints = 10000;
// The most --max-points allows: a sweep directory's sweep.json takes about 100 bytes a point, and every
// step that reads it (resume, merge, diff) reads up to kMaxSweepFileBytes, so every sweep that starts
// can also be merged.
inline constexpr uint64_t kMaxSweepPoints = 1000000;
inline constexpr uint64_t kMaxSweepFileBytes = uint64_t(256) << 20;
uint64_t count_points(const SweepSpec& spec);
std::vector<SweepPoint> expand_sweep(const SweepSpec& spec, uint64_t max_points = kDefaultMaxSweepPoints);

// 64-bit FNV-1a, as 16 hex digits (the id uses the first 12).
std::string stable_hash(const std::string& text);

}  // namespace vtasim
