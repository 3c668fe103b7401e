// Memory and work limits (see limits.h).
#include "models/limits.h"

#include <cmath>

#include "models/errors.h"
#include "models/parse.h"

namespace vtasim {

void check_memory_budget(const HwConfig& cfg, double bytes, const std::string& what) {
  const double limit = double(cfg.params().max_memory_mb) * 1024 * 1024;
  if (bytes <= limit) return;
  throw UserError(what + " needs about " + format_number(std::ceil(bytes / (1024 * 1024))) + " MiB, more than " +
                  "sim.max_memory_mb = " + std::to_string(cfg.params().max_memory_mb) +
                  "; make it smaller, or raise the limit (--set sim.max_memory_mb=N) if the machine has the memory");
}

std::string watchdog_message(uint64_t limit, const std::string& where) {
  return "watchdog: the program passed " + std::to_string(limit) + " cycles (sim.watchdog) at " + where +
         "; raise it (--set sim.watchdog=N) for longer programs";
}

std::string time_limit_message(double seconds, const std::string& where) {
  return "the program ran longer than " + format_number(seconds) + " s of wall-clock time (sim.max_seconds) at " +
         where + "; raise it (--set sim.max_seconds=N) for longer programs";
}

WorkBudget::WorkBudget(const HwConfig& cfg)
    : limit_(uint64_t(cfg.params().watchdog_cycles)),
      max_seconds_(cfg.params().max_seconds),
      deadline_(std::chrono::steady_clock::now() +
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double>(cfg.params().max_seconds))) {}

bool WorkBudget::charge(uint64_t cycles) {
  if (cycles > limit_ || cycles_ > limit_ - cycles) return false;
  cycles_ += cycles;
  return true;
}

}  // namespace vtasim
