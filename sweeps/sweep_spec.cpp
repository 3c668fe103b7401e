// Sweep specification parsing and expansion (see sweep_spec.h).
#include "sweeps/sweep_spec.h"

#include <cstdio>
#include <set>

#include <nlohmann/json.hpp>

#include "models/errors.h"
#include "models/file_io.h"
#include "models/json_input.h"

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
    s.base_config = resolve_path(b["config"].get<std::string>(), base_dir);
    s.base_config_text = read_text_file(s.base_config, "base configuration");
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
void parse_axes(const ojson& doc, const std::string& origin, SweepSpec& s) {
  if (!doc.contains("axes") || !doc["axes"].is_object() || doc["axes"].empty()) {
    throw UserError(origin + ": 'axes' must be a non-empty object of parameter: [values]");
  }
  for (auto it = doc["axes"].begin(); it != doc["axes"].end(); ++it) {
    if (!find_param(it.key())) throw UserError(origin + ": axis '" + it.key() + "' is not a parameter (see vtasim config)");
    if (!it.value().is_array() || it.value().empty()) {
      throw UserError(origin + ": axis '" + it.key() + "' must be a non-empty list of values");
    }
    SweepAxis a;
    a.name = it.key();
    for (const auto& v : it.value()) {
      a.labels.push_back(label_of(v, origin + ": axis " + it.key()));
      a.json_values.push_back(dump_json(v));
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
    r.workload = Workload::load(w == "resnet18" ? w : resolve_path(w, base_dir));
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
  static const std::set<std::string> known = {"base", "axes", "combine", "workload", "layers", "threads", "schedule", "engine"};
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (!known.count(it.key())) {
      throw UserError(origin + ": unknown key '" + it.key() +
                      "' (known: base, axes, combine, workload, layers, threads, schedule, engine)");
    }
  }
  SweepSpec s;
  s.origin = origin;
  if (doc.contains("base")) parse_base(doc["base"], origin, base_dir, s);
  parse_axes(doc, origin, s);
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
    for (size_t i = 0; i < s.axes.size(); ++i) {
      const SweepAxis& a = s.axes[i];
      p.labels.push_back(a.labels[c[i]]);
      sets.push_back({a.name, a.json_values[c[i]], "sweep axis " + a.name});
      label += (label.empty() ? "" : ", ") + a.name + "=" + a.labels[c[i]];
    }
    p.request = s.base;
    try {
      p.request.config =
          HwConfig::from_json_overrides(s.base_config_text, s.base_config.empty() ? "<defaults>" : s.base_config, sets);
    } catch (const UserError& e) {
      throw UserError("sweep point (" + label + ") has an invalid configuration: " + e.what());
    }
    p.id = stable_hash(p.request.config.to_config_json() + "\n" + runs).substr(0, 12);
    if (!ids.insert(p.id).second) {
      throw UserError("sweep point (" + label + ") resolves to the same design as an earlier point; remove the duplicate value");
    }
    points.push_back(std::move(p));
  }
  return points;
}

}  // namespace vtasim
