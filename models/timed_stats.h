// Statistics of one program on the timed model, in plain C++: where each module's cycles went,
// memory-port occupancy and bytes by kind, plus the functional counters. Every quantity has a stable
// name ("load.wait_token.compute_to_load") used in JSON and CSV; from_flat reads them back.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/counters.h"
#include "models/pipeline.h"

namespace vtasim {

using Cycles = uint64_t;

// Charges a module's time to activities: charge(a, t) books everything since the last charge up to
// cycle t to activity a.
class ActivityLedger {
 public:
  void start(Cycles t) {
    for (auto& c : cycles_) c = 0;
    last_ = t;
  }
  void charge(Activity a, Cycles upto) {
    if (upto > last_) {
      cycles_[a.index()] += upto - last_;
      last_ = upto;
    }
  }
  Cycles charged_until() const { return last_; }
  Cycles cycles(Activity a) const { return cycles_[a.index()]; }

 private:
  Cycles cycles_[kActivityCount] = {};
  Cycles last_ = 0;
};

struct ModuleStats {
  Cycles activity[kActivityCount] = {};
  uint64_t instructions = 0;
  Cycles of(Activity a) const { return activity[a.index()]; }
  Cycles total() const {
    Cycles t = 0;
    for (auto c : activity) t += c;
    return t;
  }
};

struct TimedStats {
  Cycles cycles = 0;         // program start to the last activity
  Cycles finish_cycle = 0;   // when compute executed FINISH (relative to start)
  ModuleStats modules[kModuleCount];
  Cycles port_busy_cycles = 0;  // cycles the port carried data
  uint64_t bytes[kByteKindCount] = {};
  uint64_t bursts = 0;
  uint64_t cache_hit_bytes = 0;  // bytes read from the cache in front of the DRAM (cache.kib)
  ExecCounters counters;

  const ModuleStats& of(Module m) const { return modules[int(m)]; }
  uint64_t total_bytes() const;
  // Flat (name, value) list with stable names, for JSON and CSV.
  std::vector<std::pair<std::string, double>> flat(double clock_mhz) const;
  // The same as one JSON object text.
  std::string to_json(double clock_mhz) const;
  // Reads the values flat() wrote back (derived ones such as time_us and port.gbps are recomputed,
  // not read). Throws UserError naming every statistic that is missing, so a renamed statistic can
  // never read as zero.
  static TimedStats from_flat(const std::map<std::string, double>& values, const std::string& origin);
};

}  // namespace vtasim
