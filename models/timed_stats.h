// Statistics of one program on the timed model, in plain C++: where each module's cycles went,
// memory-port occupancy and bytes by kind, plus the functional counters. Every category has a stable
// name ("load.wait_token.compute_to_load") used in JSON and CSV.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "vta_core.h"

namespace vtasim {

using Cycles = uint64_t;

enum class Module : uint8_t { Fetch = 0, Load = 1, Compute = 2, Store = 3 };
constexpr int kModuleCount = 4;
const char* module_name(Module m);

// What a module spends a cycle on. Exactly one activity at any time, so a module's activities add
// up to the program's cycles.
enum class Activity : uint8_t {
  Busy = 0,              // doing its own work (beats it moves, GEMM/ALU cycles, padding, dispatch)
  WaitMemory,            // waiting for the memory port / DRAM (latency, contention, bandwidth)
  WaitCmd,               // its command queue is empty
  Idle,                  // fetch only: the whole program has been fetched
  WaitTokenLoadToCompute,
  WaitTokenComputeToLoad,
  WaitTokenComputeToStore,
  WaitTokenStoreToCompute,
  FullTokenLoadToCompute,
  FullTokenComputeToLoad,
  FullTokenComputeToStore,
  FullTokenStoreToCompute,
  FullCmdLoad,           // fetch only: the load command queue is full
  FullCmdCompute,
  FullCmdStore,
};
constexpr int kActivityCount = 15;
const char* activity_name(Activity a);
// The activities a module can have (fixed per module, so CSV columns are stable).
const std::vector<Activity>& module_activities(Module m);

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
      cycles_[int(a)] += upto - last_;
      last_ = upto;
    }
  }
  Cycles charged_until() const { return last_; }
  Cycles cycles(Activity a) const { return cycles_[int(a)]; }

 private:
  Cycles cycles_[kActivityCount] = {};
  Cycles last_ = 0;
};

enum class ByteKind : uint8_t { Insn = 0, Uop, Inp, Wgt, Acc, Out };
constexpr int kByteKindCount = 6;
const char* byte_kind_name(ByteKind k);

struct ModuleStats {
  Cycles activity[kActivityCount] = {};
  uint64_t instructions = 0;
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
  ExecCounters counters;

  uint64_t total_bytes() const;
  // Flat (name, value) list with stable names, for JSON and CSV.
  std::vector<std::pair<std::string, double>> flat(double clock_mhz) const;
  // The same as one JSON object text.
  std::string to_json(double clock_mhz) const;
};

}  // namespace vtasim
