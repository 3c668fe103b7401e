// The timed engine as seen by the rest of vtasim: no SystemC types in this header. One per process
// (SystemC elaborates once); it runs any number of programs one after another.
#pragma once

#include <memory>
#include <string>

#include "models/engine.h"
#include "models/hw_config.h"

namespace vtasim {

class TimedEngine final : public Engine {
 public:
  struct Options {
    std::string vcd_file;  // per-module busy signals, if not empty
    bool data = true;      // false: timing only (no arithmetic, no data movement)
  };

  // Throws std::logic_error if a second engine is created in the same process.
  TimedEngine(const HwConfig& cfg, Options options);
  explicit TimedEngine(const HwConfig& cfg) : TimedEngine(cfg, Options{}) {}
  ~TimedEngine() override;
  TimedEngine(const TimedEngine&) = delete;
  TimedEngine& operator=(const TimedEngine&) = delete;

  EngineKind kind() const override;
  // Runs a program; with data on, image.dram holds the results afterwards.
  EngineRun run(ProgramImage& image, TraceRecorder* trace = nullptr) override;
  void retime(const HwConfig& cfg) override;
  std::optional<TimedStats> run_timing_only(const ProgramImage& image, const std::vector<Insn>* decoded,
                                            DataOrder* order = nullptr) override;
  // The same, returning the statistics directly.
  TimedStats run_timed(ProgramImage& image, TraceRecorder* trace = nullptr);
  // DMA masters run ahead of the kernel while no other module can act (tlm/dma_master.h): on by
  // default; off makes every wait a kernel event. Results are identical either way (tested).
  void set_run_ahead(bool on);
  // Untraced runs send a transfer's trains that need not wait as one transaction
  // (tlm/dma_extension.h): on by default; off sends one per train. Results are identical (tested).
  void set_batch_dma(bool on);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vtasim
