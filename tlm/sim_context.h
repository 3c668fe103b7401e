// State the timed model's modules share for the program being run: the image, the decoded program
// (filled in by fetch), the architectural state, tracing, and how the run ended.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "models/data_order.h"
#include "models/hw_config.h"
#include "models/limits.h"
#include "models/pipeline.h"
#include "models/timing/compute_timing.h"
#include "models/program_image.h"
#include "models/timed_stats.h"
#include "models/trace_recorder.h"
#include "models/vta_core.h"

namespace vtasim {

struct SimContext {
  explicit SimContext(const HwConfig& c) : cfg(c) {}

  const HwConfig& cfg;
  ComputeTiming compute_timing;  // cfg's compute timing, read once per program
  const ProgramImage* image = nullptr;
  std::vector<Insn> program;     // instruction i is valid once fetch has decoded it
  // The image's instructions as decoded before the run (timing-only runs, whose image nothing
  // writes): fetch takes instruction i from here once its bytes have arrived, instead of decoding
  // them again. Null: fetch decodes the bytes it fetched.
  const std::vector<Insn>* decoded = nullptr;
  std::unique_ptr<VtaCore> core;
  std::unique_ptr<WorkBudget> budget;  // wall-clock limit of the program
  bool data = true;              // false: timing only (no arithmetic, no data movement)
  DataOrder* order = nullptr;    // receives the order in which data moves (models/data_order.h), if set
  TraceRecorder* trace = nullptr;
  Cycles start = 0;              // absolute cycle the program started at
  bool pending_start = false;
  bool finished = false;
  Cycles finish_cycle = 0;
  bool failed = false;
  std::string error;
  sc_core::sc_event start_event;
  sc_core::sc_event halt;        // never notified: a failed module parks on it

  // When each module may next act (touch the port or a queue), so that a DMA master can run ahead of
  // the kernel while no other module can reach the port before it (tlm/dma_master.h): the cycle its
  // timed wait ends; kNever while it waits on a queue (then only another module's operation on that
  // queue wakes it, and that module marks it with the current cycle); the current cycle while it may
  // run. Only ever too early, never too late.
  static constexpr Cycles kNever = ~Cycles(0);
  bool run_ahead = true;  // off: no master runs ahead (every wait is a kernel event)
  // Runs that trace nothing send the trains of a transfer that need not wait as one transaction
  // (DmaExtension::batch); off: one transaction per train. Results are identical (tested).
  bool batch_dma = true;
  std::array<Cycles, kModuleCount> wake{};
  std::array<int, kModuleCount> waits_on{-1, -1, -1, -1};  // the queue a module waits on, -1 for none
  // When each queue was last read or written: an operation becomes visible to the other side one delta
  // cycle later, so a module that blocks on a queue operated on this cycle may still run this cycle.
  std::array<Cycles, kStageCount + kTokenQueueCount> queue_touched{};
  static int cmd_queue(Stage s) { return int(s); }
  static int token_queue(TokenQueue q) { return kStageCount + int(q); }

  // The first error inside a process wins; the run reports it once the simulation has stopped.
  void fail(const std::string& msg) {
    if (!failed) error = msg;
    failed = true;
  }
  Cycles rel(Cycles absolute) const { return absolute - start; }
};

}  // namespace vtasim
