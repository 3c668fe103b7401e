// Sweep specification parsing and expansion (see sweep_spec.h).
#include "sweep_spec.h"

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "errors.h"
#include "file_io.h"

namespace vtasim {

using ojson = nlohmann::ordered_json;

namespace {

// A path as written in the spec: relative to the spec's own directory if it exists there, otherwise
// relative to the working directory.
std::string resolve_path(const std::string& p, const std::string& base_dir) {
  if (p.empty() || p[0] == '/' || base_dir.empty()) return p;
  const std::string beside_spec = base_dir + "/" + p;
  return std::ifstream(beside_spec).good() ? beside_spec : p;
}

std::string value_text(const ojson& v, const std::string& where) {
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_float()) {
    char b[32];
    std::snprintf(b, sizeof b, "%.10g", v.get<double>());
    return b;
  }
  if (v.is_string()) return v.get<std::string>();
  throw UserError(where + ": " + v.dump() + " must be a number or a string");
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

SweepSpec parse_sweep_spec(const std::string& text, const std::string& origin, const std::string& base_dir) {
  ojson doc;
  try {
    doc = ojson::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw UserError("sweep spec '" + origin + "' is not valid JSON: " + e.what());
  }
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
  s.base_config_text = "{}";
  if (doc.contains("base")) {
    const ojson& b = doc["base"];
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
        s.base_set.push_back(it.key() + "=" + value_text(it.value(), origin + ": base.set." + it.key()));
      }
    }
  }
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
    for (const auto& v : it.value()) a.values.push_back(value_text(v, origin + ": axis " + it.key()));
    s.axes.push_back(a);
  }
  if (doc.contains("combine")) {
    s.combine = doc["combine"].is_string() ? doc["combine"].get<std::string>() : "";
    if (s.combine != "product" && s.combine != "zip") throw UserError(origin + ": 'combine' must be \"product\" or \"zip\"");
    if (s.combine == "zip") {
      for (const auto& a : s.axes) {
        if (a.values.size() != s.axes.front().values.size()) {
          throw UserError(origin + ": zipped axes must have equal lengths ('" + a.name + "' has " +
                          std::to_string(a.values.size()) + ", '" + s.axes.front().name + "' has " +
                          std::to_string(s.axes.front().values.size()) + ")");
        }
      }
    }
  }
  if (doc.contains("workload")) {
    if (!doc["workload"].is_string()) throw UserError(origin + ": 'workload' must be a name or a file");
    s.workload = doc["workload"].get<std::string>();
    if (s.workload != "resnet18") {
      s.workload = resolve_path(s.workload, base_dir);
      s.workload_text = read_text_file(s.workload, "workload");
    }
  }
  if (doc.contains("layers")) {
    if (!doc["layers"].is_array()) throw UserError(origin + ": 'layers' must be a list of layer names");
    for (const auto& l : doc["layers"]) {
      if (!l.is_string()) throw UserError(origin + ": 'layers' must be a list of layer names");
      s.layers.push_back(l.get<std::string>());
    }
  }
  if (doc.contains("threads")) {
    s.threads.clear();
    if (!doc["threads"].is_array() || doc["threads"].empty()) throw UserError(origin + ": 'threads' must be [1], [2] or [1, 2]");
    for (const auto& t : doc["threads"]) {
      if (!t.is_number_integer() || (t.get<int>() != 1 && t.get<int>() != 2)) {
        throw UserError(origin + ": 'threads' values must be 1 or 2, not " + t.dump());
      }
      s.threads.push_back(t.get<uint32_t>());
    }
  }
  if (doc.contains("schedule")) {
    if (!doc["schedule"].is_string()) throw UserError(origin + ": 'schedule' must be auto, vta2018 or a file");
    s.schedule = doc["schedule"].get<std::string>();
    if (s.schedule != "auto" && s.schedule != "vta2018") {
      s.schedule = resolve_path(s.schedule, base_dir);
      s.schedule_text = read_text_file(s.schedule, "schedule file");
    }
  }
  if (doc.contains("engine")) {
    s.engine = doc["engine"].is_string() ? doc["engine"].get<std::string>() : "";
    if (s.engine != "timing" && s.engine != "timed" && s.engine != "functional") {
      throw UserError(origin + ": 'engine' must be timing, timed or functional");
    }
  }
  return s;
}

std::vector<SweepPoint> expand_sweep(const SweepSpec& s) {
  std::vector<std::vector<std::string>> combos;
  if (s.combine == "zip") {
    for (size_t i = 0; i < s.axes.front().values.size(); ++i) {
      std::vector<std::string> c;
      for (const auto& a : s.axes) c.push_back(a.values[i]);
      combos.push_back(c);
    }
  } else {
    combos.push_back({});
    for (const auto& a : s.axes) {
      std::vector<std::vector<std::string>> next;
      for (const auto& c : combos)
        for (const auto& v : a.values) {
          auto d = c;
          d.push_back(v);
          next.push_back(d);
        }
      combos = next;
    }
  }
  std::vector<SweepPoint> points;
  std::set<std::string> ids;
  for (const auto& c : combos) {
    SweepPoint p;
    p.values = c;
    p.sets = s.base_set;
    std::string label;
    for (size_t i = 0; i < s.axes.size(); ++i) {
      p.sets.push_back(s.axes[i].name + "=" + c[i]);
      label += (label.empty() ? "" : ", ") + s.axes[i].name + "=" + c[i];
    }
    try {
      p.config_json = HwConfig::from_json_text(s.base_config_text, s.base_config.empty() ? "<defaults>" : s.base_config, p.sets)
                          .to_config_json();
    } catch (const UserError& e) {
      throw UserError("sweep point (" + label + ") has an invalid configuration: " + e.what());
    }
    std::string key = p.config_json + "\n" + (s.workload_text.empty() ? s.workload : s.workload_text) + "\n";
    for (const auto& l : s.layers) key += l + ",";
    for (auto t : s.threads) key += std::to_string(t) + ",";
    key += "\n" + (s.schedule_text.empty() ? s.schedule : s.schedule_text) + "\n" + s.engine;
    p.id = stable_hash(key).substr(0, 12);
    if (!ids.insert(p.id).second) {
      throw UserError("sweep point (" + label + ") resolves to the same design as an earlier point; remove the duplicate value");
    }
    points.push_back(p);
  }
  return points;
}

}  // namespace vtasim
