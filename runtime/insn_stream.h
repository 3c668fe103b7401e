// The host side's instruction-stream builder, in the spirit of VTA's runtime: instructions are
// appended in program order, dependency pushes and pops are folded into instruction flag bits
// (VTA's dependency-token rules), and synchronise() ends the stream correctly.
//
// Folding rules:
//  - dep_push(from, to) sets push_next (from < to) or push_prev (from > to) on the last instruction
//    already emitted for stage `from`, if that flag is still free; otherwise it emits a no-op in
//    stage `from` carrying the flag.
//  - dep_pop(from, to) records a pending pop for stage `to`, attached to the next instruction
//    created for that stage; a second pending pop of the same kind first flushes the earlier one as
//    a no-op.
//  - synchronise() puts the compute stage's pending pops on a compute no-op, then emits FINISH.
// No-ops: LOAD INP (x_size 0) for load, LOAD UOP for compute, STORE OUT for store.
#pragma once

#include <cstdint>
#include <vector>

#include "models/isa.h"
#include "models/pipeline.h"
#include "models/program_image.h"
#include "runtime/dram_builder.h"

namespace vtasim {

class InsnStream {
 public:
  // Appends an instruction, attaching the pending pops of its stage; returns its index.
  size_t emit(Insn insn);
  void dep_push(Stage from, Stage to);
  void dep_pop(Stage from, Stage to);
  void synchronise();

  const std::vector<Insn>& insns() const { return insns_; }
  // Hands the instructions over (the stream is left empty).
  std::vector<Insn> take() { return std::move(insns_); }
  Insn& at(size_t i) { return insns_[i]; }
  size_t size() const { return insns_.size(); }

  static Insn noop_for(Stage s);

 private:
  void flush_pending(Stage s);

  std::vector<Insn> insns_;
  int64_t last_of_stage_[3] = {-1, -1, -1};
  bool pending_prev_[3] = {false, false, false};
  bool pending_next_[3] = {false, false, false};
};

// Appends the stream's encoded instructions to the DRAM image and hands over the program image
// (the builder is left empty).
ProgramImage finish_image(DramBuilder& dram, const InsnStream& stream, const Isa& isa);

}  // namespace vtasim
