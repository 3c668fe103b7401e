// The load, compute and store modules: one class, three instances. Each executes its command queue
// in order: pop the tokens the instruction asks for, execute it (DMA through its own initiator socket,
// or GEMM/ALU through the HLS kernels), spend its cycles, push its tokens. Time is spent in whole
// intervals (one wait per instruction or burst); every interval is charged to one activity.
#pragma once

#include <vector>

#include "tlm/module_base.h"

namespace vtasim {

class StageModule : public ModuleBase {
 public:
  StageModule(const sc_core::sc_module_name& name, SimContext& ctx, Queues& queues, Stage stage, bool drive_busy_signal);

 private:
  void main();
  void execute(const Insn& insn, size_t index);
  void dma(const Insn& insn, size_t index, bool write);
  void pop(TokenQueue q);
  void push(TokenQueue q);
  void spend(Cycles n);  // busy cycles

  Stage stage_;
  std::vector<uint8_t> staging_;  // reused per instruction
};

}  // namespace vtasim
