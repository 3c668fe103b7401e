// Chrome / Perfetto trace-event JSON writer.
#include "models/trace_recorder.h"

#include <nlohmann/json.hpp>

#include "models/json_input.h"

namespace vtasim {

std::string TraceRecorder::to_json(double clock_mhz, const std::string& process_name) const {
  using json = nlohmann::json;
  const double us_per_cycle = 1.0 / clock_mhz;
  json events = json::array();
  events.push_back({{"ph", "M"}, {"pid", 1}, {"name", "process_name"}, {"args", {{"name", process_name}}}});
  const char* names[] = {"", "fetch", "load", "compute", "store", "memory port"};
  for (int t = kFetch; t <= kPort; ++t) {
    events.push_back({{"ph", "M"}, {"pid", 1}, {"tid", t}, {"name", "thread_name"}, {"args", {{"name", names[t]}}}});
    events.push_back({{"ph", "M"}, {"pid", 1}, {"tid", t}, {"name", "thread_sort_index"}, {"args", {{"sort_index", t}}}});
  }
  for (const auto& s : spans_) {
    json args = {{"detail", s.detail}, {"start_cycle", s.start}, {"cycles", s.dur}};
    if (s.insn >= 0) args["insn"] = s.insn;
    events.push_back({{"ph", "X"},
                      {"pid", 1},
                      {"tid", s.track},
                      {"name", s.name},
                      {"ts", double(s.start) * us_per_cycle},
                      {"dur", double(s.dur) * us_per_cycle},
                      {"args", args}});
  }
  for (const auto& c : samples_) {
    events.push_back({{"ph", "C"}, {"pid", 1}, {"name", c.counter}, {"ts", double(c.cycle) * us_per_cycle}, {"args", {{"entries", c.value}}}});
  }
  json doc = {{"traceEvents", events}, {"displayTimeUnit", "ns"}};
  return dump_json(doc);
}

}  // namespace vtasim
