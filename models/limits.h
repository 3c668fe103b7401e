// The limits that keep any input, however large or malformed, from exhausting memory or running
// without end: a memory budget checked before large allocations, and a work budget (simulated
// cycles and wall-clock seconds) checked while a program runs. Their messages name the limit and
// the parameter that raises it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "models/hw_config.h"

namespace vtasim {

// Throws UserError if `bytes` (what `what` needs) exceed sim.max_memory_mb.
void check_memory_budget(const HwConfig& cfg, double bytes, const std::string& what);

// The work budget of one program.
class WorkBudget {
 public:
  explicit WorkBudget(const HwConfig& cfg);
  // Charges cycles of work; false (nothing charged) when the program would pass sim.watchdog.
  bool charge(uint64_t cycles);
  // True once sim.max_seconds of wall-clock time have passed, asked before each instruction: the clock
  // is read on the first call and every 32nd after it (reading it each time cost about 1% of a timing
  // run; an instruction is short, or checks out_of_time_now() itself as it goes).
  bool out_of_time() const {
    if ((calls_++ & 31) != 0) return false;
    return out_of_time_now();
  }
  // The same, reading the clock now (between slices of a long instruction).
  bool out_of_time_now() const { return std::chrono::steady_clock::now() > deadline_; }
  double max_seconds() const { return max_seconds_; }
  uint64_t cycles() const { return cycles_; }
  uint64_t limit() const { return limit_; }

 private:
  uint64_t limit_;
  uint64_t cycles_ = 0;
  double max_seconds_;
  std::chrono::steady_clock::time_point deadline_;
  mutable uint32_t calls_ = 0;
};

// The messages of the two budgets, shared by every engine.
std::string watchdog_message(uint64_t limit, const std::string& where);
std::string time_limit_message(double seconds, const std::string& where);

}  // namespace vtasim
