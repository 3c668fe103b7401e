// What a schedule search computes that depends only on the hardware's shape (HwConfig's structural
// parameters: core shape, buffer sizes, queue depths) and the layer, kept across the runs of one
// process: a sweep worker runs many points of one shape that differ in timing only. Kept: which
// tilings of a layer fit (sized, in the search's enumeration order), which fit with their micro-op
// kernels, and the timing-only (zero-data) programs of candidate schedules. What depends on timing
// (estimates, bounds, simulations) is kept only under the cycle-level timing it was computed with
// (HwConfig::cycle_key): the outcome of each layer's search, so that points that differ only where no
// cycle changes (the clock, DRAM GB/s the port cannot take anyway) search once. A run with the cache
// gives exactly what it gives without (tested).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/data_order.h"
#include "models/timed_stats.h"
#include "runtime/conv_plan.h"
#include "runtime/layer_compiler.h"

namespace vtasim {

class SearchCache {
 public:
  // A tiling that fits by its sizes, with its plan (no micro-op kernels enumerated).
  struct Sized {
    ConvSchedule schedule;
    ConvPlan plan;
    ConvComputeWork work;  // what its estimates time
  };
  // A layer on a hardware shape; with the thread count, or a schedule, for the entries below.
  static std::string layer_key(const ConvLayer& layer, const HwConfig& cfg);
  static std::string schedule_key(const ConvSchedule& s);

  const std::vector<Sized>* sized(const std::string& key) const;
  void put_sized(const std::string& key, std::vector<Sized> tilings);

  // Whether a schedule fits with its kernels, and why not.
  struct Fit {
    bool fits = false;
    std::string why;
  };
  const Fit* full_fit(const std::string& key) const;
  void put_full_fit(const std::string& key, Fit fit);

  // A timing-only program (compiled against zero data).
  const CompiledLayer* program(const std::string& key) const;
  void put_program(const std::string& key, const CompiledLayer& program);

  // A layer's schedule for one thread count, and how it was chosen.
  struct Choice {
    ConvSchedule schedule;
    uint32_t simulated = 1;           // candidates compared (1: none needed, or no time to simulate with)
    std::optional<TimedStats> stats;  // the chosen candidate's timing-only run, if simulated
    // The order in which that run moved data, where the search recorded it (a run with data replays
    // it instead of simulating again: models/data_order.h). Searches kept here have none.
    std::shared_ptr<const DataOrder> order;
  };
  // The choices of a layer's search (one per thread count) under a cycle-level timing
  // (HwConfig::cycle_key) and a key of the layer and its candidate lists.
  const std::vector<Choice>* search(const std::string& timing, const std::string& key) const;
  void put_search(const std::string& timing, const std::string& key, std::vector<Choice> choices);

  // The candidate that won a layer's last search under any timing (its place in each thread count's
  // candidate list): the next search, at the next point, simulates it first without a bound (it
  // usually wins again; if not, the search still gives the choice simulating every candidate gives).
  const std::vector<size_t>* last_winners(const std::string& key) const;
  void put_last_winners(const std::string& key, std::vector<size_t> winners);
  // How many searches (per thread count) were led by a previous winner, and in how many another
  // candidate won (counted as each search's winners are kept).
  struct Leads {
    uint64_t led = 0, lost = 0;
  };
  const Leads& leads() const { return leads_; }

 private:
  // Programs kept at most (a few hundred kilobytes each at worst); beyond it they are compiled again.
  static constexpr size_t kMaxPrograms = 512;
  // Searches kept at most (a few kilobytes each); beyond it they are searched again.
  static constexpr size_t kMaxSearches = 4096;
  std::map<std::string, std::vector<Sized>> sized_;
  std::map<std::string, Fit> full_fit_;
  std::map<std::string, CompiledLayer> programs_;
  std::map<std::string, std::map<std::string, std::vector<Choice>>> searches_;  // timing -> key -> choices
  std::map<std::string, std::vector<size_t>> last_winners_;                       // key -> winners (few keys)
  Leads leads_;
  size_t search_count_ = 0;
};

}  // namespace vtasim
