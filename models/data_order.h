// The order in which a timed run moves data, recorded by a run without data (timing only), and its
// replay: the memory a timed run with data leaves, computed from that order without simulating the
// program again.
//
// A timed run changes data at a few kinds of points in its simulation: a DMA transfer begins (a STORE
// reads its rows out of the SRAM there), a train of bursts is served (its bytes cross between the DRAM
// and the module's staging buffer there), a LOAD's transfer ends (its rows enter the SRAM), a GEMM or
// ALU instruction executes. No timing decision depends on a data value, so a run without data meets
// the same points in the same order as a run with data; applying them in that order to the data image
// gives, bit for bit, the memory the run with data leaves, a program whose tokens let modules race
// included (the recorded order fixes which side of a race came first, as the simulation did). Fetch
// is left out: its bytes only become instructions, and the replay refuses a program that writes over
// its own instructions (a run with data would decode the new bytes).
//
// The schedule search records the order of each candidate it simulates; the run with data of the
// chosen one is then a replay (runtime/run_layers.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "models/hw_config.h"
#include "models/isa.h"
#include "models/pipeline.h"
#include "models/program_image.h"

namespace vtasim {

class DataOrder {
 public:
  enum class Kind : uint8_t {
    Begin,    // a LOAD or STORE starts its transfer (a STORE's rows leave the SRAM)
    Moved,    // more of the stage's transfer crossed between the DRAM and its staging buffer
    LoadEnd,  // a LOAD's rows enter the SRAM from the staging buffer
    Execute,  // a GEMM or ALU instruction computes
  };
  // A transfer's trains are served in the order of its staging buffer (row by row, packed), so how far
  // it has got is one offset: a run of trains with nothing else in between is one Moved event.
  struct Event {
    uint64_t moved = 0;  // Moved: the staging buffer's bytes before this offset have crossed
    uint32_t insn = 0;   // Begin, LoadEnd, Execute: the instruction's index
    Kind kind = Kind::Begin;
    Stage stage = Stage::Load;
  };

  // Forgets what was recorded and notes the program about to run (its instructions and memory map),
  // which a replay must match.
  void start(const ProgramImage& image);
  void begin(Stage s, uint32_t insn) {
    moved_[size_t(s)] = 0;
    events_.push_back(event(Kind::Begin, s, insn));
  }
  void load_end(Stage s, uint32_t insn) { events_.push_back(event(Kind::LoadEnd, s, insn)); }
  void execute(uint32_t insn) { events_.push_back(event(Kind::Execute, Stage::Compute, insn)); }
  // A train of `bytes` at `offset` of stage s's staging buffer was served.
  void train(Stage s, uint64_t offset, uint64_t bytes) {
    uint64_t& moved = moved_[size_t(s)];
    if (offset != moved) out_of_order_ = true;  // not what a replay can follow (no DMA sends such)
    moved = offset + bytes;
    if (!events_.empty() && events_.back().kind == Kind::Moved && events_.back().stage == s) {
      events_.back().moved = moved;
      return;
    }
    Event e = event(Kind::Moved, s, 0);
    e.moved = moved;
    events_.push_back(e);
  }

  const std::vector<Event>& events() const { return events_; }
  // Whether `image` holds the program this order was recorded for: the same instruction bytes at the
  // same address, the same memory bases and DRAM size (its data may differ); and whether every
  // transfer was served in order.
  bool recorded_for(const ProgramImage& image) const;

 private:
  static Event event(Kind k, Stage s, uint32_t insn) {
    Event e;
    e.kind = k, e.stage = s, e.insn = insn;
    return e;
  }
  std::vector<Event> events_;
  uint64_t moved_[kStageCount] = {};
  bool out_of_order_ = false;
  std::vector<uint8_t> insn_bytes_;
  uint64_t insn_addr_ = 0;
  uint64_t dram_size_ = 0;
  MemBases bases_;
};

// Applies `order` to `image` (which moves data: dram_floor 0): afterwards image.dram holds what a
// timed run with data of the same program leaves. `program`: the image's instructions decoded.
// Returns false, changing nothing, when the order was recorded for another program or the program
// writes over its own instructions; then the caller runs the program with data instead. Throws
// UserError where a run with data would (an index out of range), and for an order whose events do
// not fit the program (std::logic_error: it was not recorded from it).
bool replay_data_order(const HwConfig& cfg, ProgramImage& image, const std::vector<Insn>& program,
                       const DataOrder& order);

}  // namespace vtasim
