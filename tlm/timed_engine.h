// The timed engine as seen by the rest of vtasim: no SystemC types in this header. One per process
// (SystemC elaborates once); it runs any number of programs one after another.
#pragma once

#include <memory>
#include <string>

#include "hw_config.h"
#include "program_image.h"
#include "timed_stats.h"
#include "trace_recorder.h"

namespace vtasim {

class TimedEngine {
 public:
  struct Options {
    std::string vcd_file;  // per-module busy signals, if not empty
    bool data = true;      // false: timing only (no arithmetic, no data movement)
  };

  // Throws std::logic_error if a second engine is created in the same process.
  TimedEngine(const HwConfig& cfg, Options options);
  explicit TimedEngine(const HwConfig& cfg) : TimedEngine(cfg, Options{}) {}
  ~TimedEngine();
  TimedEngine(const TimedEngine&) = delete;
  TimedEngine& operator=(const TimedEngine&) = delete;

  // Runs a program; with data on, image.dram holds the results afterwards. `trace` (optional)
  // receives the run's events.
  TimedStats run(ProgramImage& image, TraceRecorder* trace = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vtasim
