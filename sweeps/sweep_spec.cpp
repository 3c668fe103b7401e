// Sweep specification parsing and expansion (see sweep_spec.h).
#include "sweeps/sweep_spec.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

#include "models/errors.h"
#include "models/file_io.h"
#include "models/json_input.h"
#include "models/suggest.h"

namespace vtasim {

using ojson = nlohmann::ordered_json;

namespace {

// A path as written in the spec: relative to the spec's own directory if it exists there, otherwise
// relative to the working directory.
std::string resolve_path(const std::string& p, const std::string& base_dir) {
  if (p.empty() || p[0] == '/' || base_dir.empty()) return p;
  const std::string beside_spec = base_dir + "/" + p;
  return file_exists(beside_spec) ? beside_spec : p;
}

std::string label_of(const ojson& v, const std::string& where) {
  if (v.is_number_integer() || v.is_number_unsigned()) return dump_json(v);
  if (v.is_number_float()) {
    char b[32];
    std::snprintf(b, sizeof b, "%.10g", v.get<double>());
    return b;
  }
  if (v.is_string()) return v.get<std::string>();
  throw UserError(where + ": " + dump_json(v) + " must be a number or a string");
}

// A whole-number run setting (batch, candidates) within its range; UserError naming the value.
uint64_t run_setting(const ojson& v, const std::string& name, const std::string& where) {
  const uint64_t hi = name == "batch" ? kMaxBatch : kMaxCandidates;
  if (!v.is_number_integer() || (v.is_number_integer() && !v.is_number_unsigned() && v.get<int64_t>() < 1) ||
      v.get<uint64_t>() < 1 || v.get<uint64_t>() > hi) {
    throw UserError(where + ": " + name + " " + dump_json(v) + " must be a whole number from 1 to " + std::to_string(hi));
  }
  return v.get<uint64_t>();
}

bool json_flag(const ojson& doc, const char* key, const std::string& where) {
  if (!doc[key].is_boolean()) throw UserError(where + ": '" + key + "' must be true or false, not " + dump_json(doc[key]));
  return doc[key].get<bool>();
}

std::vector<std::string> sweep_axis_names() {
  std::vector<std::string> names = {"batch", "candidates", "workload"};
  for (const auto& d : param_table()) names.push_back(d.name);
  return names;
}

const std::string& string_field(const ojson& doc, const char* key, const std::string& origin, const char* what) {
  if (!doc[key].is_string()) throw UserError(origin + ": '" + key + "' must be " + what);
  return doc[key].get_ref<const std::string&>();
}

}  // namespace

std::string stable_hash(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char b[17];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(h));
  return b;
}

bool is_run_axis(const std::string& name) { return name == "batch" || name == "candidates" || name == "workload"; }

SweepSpec load_sweep_spec(const std::string& path) {
  const std::string text = read_text_file(path, "sweep spec");
  const auto slash = path.find_last_of('/');
  return parse_sweep_spec(text, path, slash == std::string::npos ? "." : path.substr(0, slash));
}

namespace {

// "base": {"config": FILE, "set": {parameter: value}}.
void parse_base(const ojson& b, const std::string& origin, const std::string& base_dir, SweepSpec& s) {
  if (!b.is_object()) throw UserError(origin + ": 'base' must be an object with 'config' and/or 'set'");
  for (auto it = b.begin(); it != b.end(); ++it) {
    if (it.key() != "config" && it.key() != "set") throw UserError(origin + ": unknown key 'base." + it.key() + "'");
  }
  if (b.contains("config")) {
    if (!b["config"].is_string()) throw UserError(origin + ": 'base.config' must be a file name");
    const ConfigSource src = read_config_source(resolve_path(b["config"].get<std::string>(), base_dir));
    s.base_config = src.origin;
    s.base_config_text = src.text;
  }
  if (b.contains("set")) {
    if (!b["set"].is_object()) throw UserError(origin + ": 'base.set' must be an object of parameter: value");
    for (auto it = b["set"].begin(); it != b["set"].end(); ++it) {
      if (!find_param(it.key())) throw UserError(origin + ": 'base.set' names an unknown parameter '" + it.key() + "'");
      label_of(it.value(), origin + ": base.set." + it.key());
      s.base_set.push_back({it.key(), dump_json(it.value()), origin + " base.set"});
    }
  }
}

// "axes": {parameter: [values]} and "combine": "product" | "zip".
void parse_axes(const ojson& doc, const std::string& origin, const std::string& base_dir, SweepSpec& s) {
  if (!doc.contains("axes") || !doc["axes"].is_object() || doc["axes"].empty()) {
    throw UserError(origin + ": 'axes' must be a non-empty object of parameter: [values]");
  }
  for (auto it = doc["axes"].begin(); it != doc["axes"].end(); ++it) {
    if (!find_param(it.key()) && !is_run_axis(it.key())) {
      throw UserError(origin + ": axis '" + it.key() + "' is not a parameter (see vtasim config) nor batch or candidates" +
                      did_you_mean(it.key(), sweep_axis_names()));
    }
    if (!it.value().is_array() || it.value().empty()) {
      throw UserError(origin + ": axis '" + it.key() + "' must be a non-empty list of values");
    }
    SweepAxis a;
    a.name = it.key();
    for (const auto& v : it.value()) {
      a.labels.push_back(label_of(v, origin + ": axis " + it.key()));
      a.json_values.push_back(dump_json(v));
      if (a.name == "workload") {
        const std::string& w = a.labels.back();
        a.workloads.push_back(Workload::load(builtin_workload_csv(w) ? w : resolve_path(w, base_dir)));
      }
    }
    s.axes.push_back(a);
  }
  if (!doc.contains("combine")) return;
  s.combine = doc["combine"].is_string() ? doc["combine"].get<std::string>() : "";
  if (s.combine != "product" && s.combine != "zip") {
    throw UserError(origin + ": 'combine' is " + dump_json(doc["combine"]) + "; it must be \"product\" or \"zip\"");
  }
  if (s.combine != "zip") return;
  for (const auto& a : s.axes) {
    if (a.labels.size() != s.axes.front().labels.size()) {
      throw UserError(origin + ": zipped axes must have equal lengths ('" + a.name + "' has " +
                      std::to_string(a.labels.size()) + ", '" + s.axes.front().name + "' has " +
                      std::to_string(s.axes.front().labels.size()) + ")");
    }
  }
}

// What every point runs: workload, layers, threads, schedule, engine, through the run vocabulary's
// own parsers.
void parse_run(const ojson& doc, const std::string& origin, const std::string& base_dir, RunRequest& r) {
  r.engine = EngineKind::Timing;
  if (doc.contains("workload")) {
    const std::string w = string_field(doc, "workload", origin, "a name or a file");
    r.workload = Workload::load(builtin_workload_csv(w) ? w : resolve_path(w, base_dir));
  }
  if (doc.contains("layers")) {
    if (!doc["layers"].is_array()) throw UserError(origin + ": 'layers' must be a list of layer names");
    for (const auto& l : doc["layers"]) {
      if (!l.is_string()) throw UserError(origin + ": 'layers' must be a list of layer names");
      r.layer_names.push_back(l.get<std::string>());
    }
  }
  if (doc.contains("threads")) {
    std::vector<int64_t> t;
    if (!doc["threads"].is_array()) throw UserError(origin + ": 'threads' must be [1], [2] or [1, 2]");
    for (const auto& v : doc["threads"]) {
      if (!v.is_number_integer()) throw UserError(origin + ": 'threads' values must be 1 or 2, not " + dump_json(v));
      t.push_back(v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX) ? INT64_MAX : v.get<int64_t>());
    }
    r.threads = check_threads(t, origin + ": 'threads'");
  }
  if (doc.contains("schedule")) {
    const std::string sch = string_field(doc, "schedule", origin, "auto, vta2018 or a file");
    r.schedule = ScheduleSource::parse(sch == "auto" || sch == "vta2018" ? sch : resolve_path(sch, base_dir));
  }
  if (doc.contains("engine")) {
    r.engine = parse_engine_kind(string_field(doc, "engine", origin, "timing, timed or functional"), origin + ": 'engine'");
  }
  if (doc.contains("batch")) r.batch = uint32_t(run_setting(doc["batch"], "batch", origin));
  if (doc.contains("candidates")) r.candidates = uint32_t(run_setting(doc["candidates"], "candidates", origin));
  try {
    r.layers();
  } catch (const UserError& e) {
    throw UserError(origin + ": 'layers': " + e.what());
  }
}

}  // namespace

SweepSpec parse_sweep_spec(const std::string& text, const std::string& origin, const std::string& base_dir) {
  const ojson doc = parse_json_input(text, "sweep spec '" + origin + "'");
  if (!doc.is_object()) throw UserError("sweep spec '" + origin + "' must be a JSON object");
  static const std::vector<std::string> known = {"base",  "axes",  "combine",    "workload",    "layers",
                                                 "threads", "schedule", "engine", "batch", "candidates",
                                                 "constraints", "skip_invalid"};
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
      std::string all;
      for (const auto& k : known) all += (all.empty() ? "" : ", ") + k;
      throw UserError(origin + ": unknown key '" + it.key() + "' (known: " + all + ")" + did_you_mean(it.key(), known));
    }
  }
  SweepSpec s;
  s.origin = origin;
  if (doc.contains("constraints")) {
    const ojson& c = doc["constraints"];
    if (!c.is_object()) throw UserError(origin + ": 'constraints' must be an object such as {\"fits\": true}");
    for (auto it = c.begin(); it != c.end(); ++it)
      if (it.key() != "fits") throw UserError(origin + ": unknown constraint '" + it.key() + "' (known: fits)");
    if (c.contains("fits")) s.fit_only = json_flag(c, "fits", origin + ": constraints");
  }
  if (doc.contains("skip_invalid")) s.skip_invalid = json_flag(doc, "skip_invalid", origin);
  if (doc.contains("base")) parse_base(doc["base"], origin, base_dir, s);
  parse_axes(doc, origin, base_dir, s);
  parse_run(doc, origin, base_dir, s.base);
  return s;
}

uint64_t count_points(const SweepSpec& s) {
  if (s.combine == "zip") return s.axes.empty() ? 0 : s.axes.front().labels.size();
  uint64_t n = 1;
  for (const auto& a : s.axes) {
    const uint64_t k = a.labels.size();
    n = (k != 0 && n > UINT64_MAX / k) ? UINT64_MAX : n * k;
  }
  return n;
}

std::vector<SweepPoint> expand_sweep(const SweepSpec& s, uint64_t max_points) {
  const uint64_t n = count_points(s);
  if (n > max_points) {
    throw UserError(s.origin + ": the sweep has " + (n == UINT64_MAX ? std::string("more than 2^64") : std::to_string(n)) +
                    " points, more than the limit of " + std::to_string(max_points) +
                    " (narrow an axis, or raise the limit with --max-points)");
  }
  // Index combinations: one value index per axis.
  std::vector<std::vector<size_t>> combos;
  if (s.combine == "zip") {
    for (size_t i = 0; i < s.axes.front().labels.size(); ++i) combos.push_back(std::vector<size_t>(s.axes.size(), i));
  } else {
    combos.push_back({});
    for (const auto& a : s.axes) {
      std::vector<std::vector<size_t>> next;
      for (const auto& c : combos)
        for (size_t v = 0; v < a.labels.size(); ++v) {
          auto d = c;
          d.push_back(v);
          next.push_back(d);
        }
      combos = next;
    }
  }
  // What every point runs besides its configuration, for the ids.
  std::string runs = (s.base.workload.csv_text.empty() ? s.base.workload.name : s.base.workload.csv_text) + "\n";
  for (const auto& l : s.base.layer_names) runs += l + ",";
  for (auto t : s.base.threads) runs += std::to_string(t) + ",";
  runs += "\n" + (s.base.schedule.text.empty() ? s.base.schedule.name() : s.base.schedule.text) + "\n" +
          engine_kind_name(s.base.engine);

  std::vector<SweepPoint> points;
  std::set<std::string> ids;
  for (const auto& c : combos) {
    SweepPoint p;
    std::vector<ParamOverride> sets = s.base_set;
    std::string label;
    p.request = s.base;
    for (size_t i = 0; i < s.axes.size(); ++i) {
      const SweepAxis& a = s.axes[i];
      p.labels.push_back(a.labels[c[i]]);
      label += (label.empty() ? "" : ", ") + a.name + "=" + a.labels[c[i]];
      if (a.name == "batch") {
        p.request.batch = uint32_t(run_setting(ojson::parse(a.json_values[c[i]]), "batch", s.origin + ": axis batch"));
      } else if (a.name == "workload") {
        p.request.workload = a.workloads[c[i]];
      } else if (a.name == "candidates") {
        p.request.candidates =
            uint32_t(run_setting(ojson::parse(a.json_values[c[i]]), "candidates", s.origin + ": axis candidates"));
      } else {
        sets.push_back({a.name, a.json_values[c[i]], "sweep axis " + a.name});
      }
    }
    const std::string what = "\n" + std::to_string(p.request.batch) + "," + std::to_string(p.request.candidates) + "\n" +
                             p.request.workload.name + "\n" + p.request.workload.csv_text;
    try {
      p.request.layers();
    } catch (const UserError& e) {
      throw UserError("sweep point (" + label + "): " + e.what());
    }
    try {
      p.request.config =
          HwConfig::from_json_overrides(s.base_config_text, s.base_config.empty() ? "<defaults>" : s.base_config, sets);
      p.id = stable_hash(p.request.config.to_config_json() + "\n" + runs + what).substr(0, 12);
    } catch (const UserError& e) {
      if (!s.skip_invalid) {
        throw UserError("sweep point (" + label + ") has an invalid configuration: " + e.what() +
                        "; or let the sweep skip such points (\"skip_invalid\": true or --skip-invalid)");
      }
      p.skipped = e.what();
      p.id = stable_hash("skipped\n" + label + "\n" + runs + what).substr(0, 12);
    }
    if (!ids.insert(p.id).second) {
      throw UserError("sweep point (" + label + ") resolves to the same design as an earlier point; remove the duplicate value");
    }
    points.push_back(std::move(p));
  }
  return points;
}

}  // namespace vtasim
