// Run requests and the run vocabulary (see run_request.h).
#include "runtime/run_request.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <nlohmann/json.hpp>

#include "models/errors.h"
#include "models/file_io.h"
#include "models/json_input.h"
#include "models/suggest.h"

namespace vtasim {

using ojson = nlohmann::ordered_json;

Workload Workload::load(const std::string& name_or_file) {
  Workload w;
  w.name = name_or_file;
  w.layers = load_workload(name_or_file);
  if (!builtin_workload_csv(name_or_file)) w.csv_text = read_text_file(name_or_file, "workload");
  return w;
}

Workload Workload::from_csv(const std::string& name, const std::string& csv_text) {
  Workload w;
  w.name = name;
  w.csv_text = csv_text;
  w.layers = parse_workload_csv(csv_text, name);
  return w;
}

std::vector<uint32_t> parse_threads(const std::string& text, const std::string& what) {
  if (text == "both" || text == "1,2") return {1, 2};
  if (text == "1") return {1};
  if (text == "2") return {2};
  throw UserError(what + " '" + text + "' must be 1, 2 or both (also written 1,2): one virtual thread, two, or each in turn");
}

std::vector<uint32_t> check_threads(const std::vector<int64_t>& values, const std::string& what) {
  if (values.empty()) throw UserError(what + " must list 1, 2 or both");
  std::vector<uint32_t> out;
  for (int64_t v : values) {
    if (v != 1 && v != 2) throw UserError(what + ": " + std::to_string(v) + " is not a thread count (use 1 or 2)");
    if (std::find(out.begin(), out.end(), uint32_t(v)) != out.end()) {
      throw UserError(what + ": " + std::to_string(v) + " is listed twice");
    }
    out.push_back(uint32_t(v));
  }
  return out;
}

std::vector<std::string> parse_name_list(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

namespace {

bool same_ignoring_case(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::vector<ConvLayer> select_layers(const Workload& w, const std::vector<std::string>& names) {
  if (names.empty()) return w.layers;
  std::vector<ConvLayer> picked;
  for (const auto& name : names) {
    if (std::count(names.begin(), names.end(), name) > 1) {
      throw UserError("layer '" + name + "' is listed twice; list each layer once");
    }
    // Exactly as written, else ignoring case (c2 is C2).
    auto it = std::find_if(w.layers.begin(), w.layers.end(), [&](const ConvLayer& l) { return l.name == name; });
    if (it == w.layers.end()) {
      it = std::find_if(w.layers.begin(), w.layers.end(), [&](const ConvLayer& l) { return same_ignoring_case(l.name, name); });
    }
    if (it == w.layers.end()) {
      std::string known;
      std::vector<std::string> names;
      for (const auto& l : w.layers) {
        known += (known.empty() ? "" : ",") + l.name;
        names.push_back(l.name);
      }
      throw UserError("no layer '" + name + "' in workload " + w.name + " (layers: " + known + ")" + did_you_mean(name, names));
    }
    if (std::any_of(picked.begin(), picked.end(), [&](const ConvLayer& l) { return l.name == it->name; })) {
      throw UserError("layer '" + it->name + "' is listed twice; list each layer once");
    }
    picked.push_back(*it);
  }
  return picked;
}

std::vector<ConvLayer> RunRequest::layers() const {
  std::vector<ConvLayer> out = select_layers(workload, layer_names);
  for (ConvLayer& l : out) {
    if (!l.batch_given) l.shape.n = batch ? int(batch) : int(config.batch());
  }
  return out;
}

void RunRequest::validate() const {
  if (batch > kMaxBatch) throw UserError("batch " + std::to_string(batch) + " is more than " + std::to_string(kMaxBatch));
  if (candidates < 1 || candidates > kMaxCandidates) {
    throw UserError("candidates " + std::to_string(candidates) + " must be from 1 to " + std::to_string(kMaxCandidates));
  }
  const auto picked = layers();
  if (threads.empty()) throw UserError("no thread counts to run (use 1, 2 or both)");
  if (!trace_layer.empty()) {
    if (std::none_of(picked.begin(), picked.end(), [&](const ConvLayer& l) { return l.name == trace_layer; })) {
      throw UserError("the trace layer '" + trace_layer + "' is not among the layers being run");
    }
    if (!engine_has_time(engine)) throw UserError("tracing a layer needs the timed or timing engine");
  }
}

std::string RunRequest::to_json() const {
  ojson j;
  j["configuration_origin"] = config.origin();
  j["configuration"] = ojson::parse(config.to_config_json());
  j["workload"] = {{"name", workload.name}, {"csv", workload.csv_text}};
  j["layers"] = layer_names;
  j["threads"] = threads;
  j["schedule"] = {{"source", schedule.name()}, {"csv", schedule.text}};
  j["engine"] = engine_kind_name(engine);
  j["seed"] = seed;
  j["trace_layer"] = trace_layer;
  j["batch"] = batch;
  j["candidates"] = candidates;
  return dump_json(j, 2) + "\n";
}

RunRequest RunRequest::from_json(const std::string& text, const std::string& origin) {
  const ojson j = parse_json_input(text, "run request " + origin);
  RunRequest r;
  try {
    r.config = HwConfig::from_json_text(dump_json(j.at("configuration")), j.at("configuration_origin").get<std::string>());
    const auto& w = j.at("workload");
    const std::string wname = w.at("name").get<std::string>();
    const std::string csv = w.at("csv").get<std::string>();
    r.workload = csv.empty() ? Workload::load(wname) : Workload::from_csv(wname, csv);
    r.layer_names = j.at("layers").get<std::vector<std::string>>();
    r.threads = check_threads(j.at("threads").get<std::vector<int64_t>>(), origin + ": threads");
    const auto& s = j.at("schedule");
    const std::string source = s.at("source").get<std::string>();
    const std::string scsv = s.at("csv").get<std::string>();
    r.schedule = scsv.empty() ? ScheduleSource::parse(source) : ScheduleSource::from_csv(source, scsv);
    r.engine = parse_engine_kind(j.at("engine").get<std::string>(), origin + ": engine");
    r.seed = j.at("seed").get<uint64_t>();
    r.trace_layer = j.at("trace_layer").get<std::string>();
    r.batch = j.value("batch", uint32_t(0));
    r.candidates = j.value("candidates", uint32_t(8));
  } catch (const nlohmann::json::exception& e) {
    throw UserError(origin + " is not a complete vtasim run request: " + std::string(e.what()));
  }
  r.validate();
  return r;
}

}  // namespace vtasim
