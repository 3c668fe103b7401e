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

#include "hw_config.h"
#include "program_image.h"
#include "vta_core.h"

namespace vtasim {

// The four dependency-token queues, named by producer and consumer.
enum class TokenQueue : uint8_t { LoadToCompute = 0, ComputeToLoad = 1, ComputeToStore = 2, StoreToCompute = 3 };
const char* token_queue_name(TokenQueue q);

// The token queue a flag of an instruction executed by `stage` pops from or pushes to. Returns false
// for a flag the stage does not have.
bool pop_queue(Stage stage, bool prev, TokenQueue& q);
bool push_queue(Stage stage, bool prev, TokenQueue& q);

struct FunctionalResult {
  ExecCounters counters;
  uint64_t instructions = 0;
};

class FunctionalEngine {
 public:
  explicit FunctionalEngine(const HwConfig& cfg) : cfg_(cfg) {}
  // Runs the program, updating image.dram in place. Throws UserError for a malformed program, an
  // out-of-bounds access, a deadlock or tokens left behind.
  FunctionalResult run(ProgramImage& image);

 private:
  HwConfig cfg_;
};

}  // namespace vtasim
