// Sweep specifications: a base configuration, axes of parameter values combined as a cartesian
// product or zipped, and what each design point runs. Expansion validates every point's
// configuration before anything runs and gives each point a stable id derived from what it runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw_config.h"

namespace vtasim {

struct SweepAxis {
  std::string name;                 // any parameter --set accepts
  std::vector<std::string> values;  // as --set text
};

struct SweepSpec {
  std::string origin;               // the spec file
  std::string base_config;          // path, or "" for the built-in defaults
  std::string base_config_text;     // its contents ("{}" for the defaults)
  std::vector<std::string> base_set;  // KEY=VALUE
  std::vector<SweepAxis> axes;
  std::string combine = "product";  // or "zip"
  std::string workload = "resnet18";
  std::string workload_text;        // contents when the workload is a file
  std::vector<std::string> layers;  // empty: all
  std::vector<uint32_t> threads = {1, 2};
  std::string schedule = "auto";
  std::string schedule_text;        // contents when the schedule is a file
  std::string engine = "timing";
};

struct SweepPoint {
  std::string id;                     // 12 hex digits
  std::vector<std::string> values;    // one per axis
  std::vector<std::string> sets;      // base set + axis values, KEY=VALUE
  std::string config_json;            // the resolved configuration
};

// Parses a spec file. Unknown keys, empty axes, bad values: UserError naming the key.
SweepSpec load_sweep_spec(const std::string& path);
SweepSpec parse_sweep_spec(const std::string& json_text, const std::string& origin, const std::string& base_dir);

// Expands the axes into points, resolving and validating each configuration (UserError naming the
// point's values and the configuration's complaint). Ids are stable: the same resolved configuration,
// workload, layers, threads, schedule and engine always give the same id.
std::vector<SweepPoint> expand_sweep(const SweepSpec& spec);

// 64-bit FNV-1a, as 16 hex digits (the id uses the first 12).
std::string stable_hash(const std::string& text);

}  // namespace vtasim
