// The untimed engine: executes a program the way VTA's four modules would, without time.
//
// Order of events (deterministic): in every round, fetch first routes instructions in program order
// into the load, compute and store command queues until the next one's queue is full; then the
// load, compute and store modules, in that order, each try to run the instruction at the head of
// their queue. An instruction runs when every token it pops is available and every queue it pushes
// to has room (pushes happen after it executes, so a full queue holds the module). FINISH runs only
// when the load and store queues are empty. Rounds repeat until FINISH has run; a round in which
// nothing moves is a deadlock, reported with what each module waits for.
#pragma once

#include <cstdint>

#include "models/engine.h"
#include "models/hw_config.h"
#include "models/program_image.h"

namespace vtasim {

class FunctionalEngine final : public Engine {
 public:
  explicit FunctionalEngine(const HwConfig& cfg) : cfg_(cfg) {}
  EngineKind kind() const override { return EngineKind::Functional; }
  // Runs the program, updating image.dram in place. Throws UserError for a malformed program, an
  // out-of-bounds access, a deadlock or tokens left behind. There is no time, so nothing is traced.
  EngineRun run(ProgramImage& image, TraceRecorder* trace = nullptr) override;
  void retime(const HwConfig& cfg) override { cfg_ = cfg; }
  std::optional<TimedStats> run_timing_only(const ProgramImage&, const std::vector<Insn>*, DataOrder*) override {
    return std::nullopt;
  }

 private:
  HwConfig cfg_;
};

}  // namespace vtasim
