// Names and serialisation of the timed model's statistics.
#include "models/timed_stats.h"

#include <nlohmann/json.hpp>

#include "models/errors.h"
#include "models/json_input.h"

namespace vtasim {

uint64_t TimedStats::total_bytes() const {
  uint64_t t = 0;
  for (auto b : bytes) t += b;
  return t;
}

namespace {

// Every integer quantity of TimedStats with its stable name, in output order. `derived` entries are
// written but computed from the others.
template <typename Stats, typename Fn>
void for_each_quantity(Stats& s, Fn&& fn) {
  fn("cycles", s.cycles);
  fn("finish_cycle", s.finish_cycle);
  for (Module m : kModules) {
    auto& ms = s.modules[int(m)];
    const std::string prefix = std::string(module_name(m)) + ".";
    fn(prefix + "instructions", ms.instructions);
    for (Activity a : module_activities(m)) fn(prefix + a.name(), ms.activity[a.index()]);
  }
  fn("port.busy", s.port_busy_cycles);
  fn("port.bursts", s.bursts);
  fn("port.cache_hit_bytes", s.cache_hit_bytes);
  for (int k = 0; k < kByteKindCount; ++k) fn(std::string("bytes.") + byte_kind_name(ByteKind(k)), s.bytes[k]);
  auto& c = s.counters;
  fn("inp_load_nbytes", c.inp_load_nbytes);
  fn("wgt_load_nbytes", c.wgt_load_nbytes);
  fn("acc_load_nbytes", c.acc_load_nbytes);
  fn("uop_load_nbytes", c.uop_load_nbytes);
  fn("out_store_nbytes", c.out_store_nbytes);
  fn("gemm_counter", c.gemm_counter);
  fn("alu_counter", c.alu_counter);
}

}  // namespace

std::vector<std::pair<std::string, double>> TimedStats::flat(double clock_mhz) const {
  std::vector<std::pair<std::string, double>> out;
  for_each_quantity(*this, [&](const std::string& name, uint64_t v) {
    out.emplace_back(name, double(v));
    // Derived values sit beside what they derive from.
    if (name == "finish_cycle") out.emplace_back("time_us", double(cycles) / clock_mhz);
    if (name == "port.bursts") {
      out.emplace_back("port.gbps", cycles ? double(total_bytes()) / double(cycles) * clock_mhz / 1000.0 : 0.0);
    }
    if (name == "bytes.out") out.emplace_back("bytes.total", double(total_bytes()));
  });
  return out;
}

std::string TimedStats::to_json(double clock_mhz) const {
  nlohmann::ordered_json j;
  for (const auto& [name, value] : flat(clock_mhz)) {
    if (value == double(uint64_t(value))) j[name] = uint64_t(value);
    else j[name] = value;
  }
  return dump_json(j, 2);
}

TimedStats TimedStats::from_flat(const std::map<std::string, double>& values, const std::string& origin) {
  TimedStats s;
  std::string missing;
  for_each_quantity(s, [&](const std::string& name, uint64_t& v) {
    const auto it = values.find(name);
    if (it == values.end()) {
      missing += (missing.empty() ? "" : ", ") + name;
      return;
    }
    if (!(it->second >= 0) || it->second > 1.8e19) {
      throw UserError(origin + ": statistic " + name + " = " + std::to_string(it->second) +
                      " is not a count (it must be a non-negative integer)");
    }
    v = uint64_t(it->second);
  });
  if (!missing.empty()) {
    throw UserError(origin + ": the timing statistics lack " + missing +
                    " (written by another vtasim version? rerun the simulation)");
  }
  return s;
}

}  // namespace vtasim
