// The load, compute and store modules: one class, three instances. Each executes its command queue
// in order: pop the tokens the instruction asks for, execute it (DMA through its own initiator socket,
// or GEMM/ALU through the HLS kernels), spend its cycles, push its tokens. Time is spent in whole
// intervals (one wait per instruction or burst); every interval is charged to one activity.
#pragma once

#include <string>
#include <vector>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "dma_master.h"
#include "queues.h"
#include "sim_context.h"

namespace vtasim {

class StageModule : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<StageModule> socket;
  sc_core::sc_signal<bool> busy;  // for VCD: high while executing an instruction

  StageModule(sc_core::sc_module_name name, SimContext& ctx, Queues& queues, Stage stage, bool drive_busy_signal);

  void begin_program(Cycles start);
  void end_program(Cycles end) { ledger_.charge(Activity::WaitCmd, end); }
  const ActivityLedger& ledger() const { return ledger_; }
  uint64_t instructions() const { return instructions_; }
  // What the module is blocked on, for deadlock reports; empty when it waits for a command.
  std::string blocked_description() const;

 private:
  void main();
  void execute(const Insn& insn, size_t index);
  void dma(const Insn& insn, size_t index, bool write);
  void pop(TokenQueue q);
  void push(TokenQueue q);
  void spend(Cycles n);  // busy cycles
  void set_busy(bool on);

  SimContext& ctx_;
  Queues& queues_;
  Stage stage_;
  Module module_;
  bool drive_busy_;
  DmaMaster dma_;
  ActivityLedger ledger_;
  uint64_t instructions_ = 0;
  Activity blocked_ = Activity::WaitCmd;
  int64_t current_ = -1;
  std::vector<Burst> bursts_;     // reused per instruction
  std::vector<uint8_t> staging_;  // reused per instruction
};

}  // namespace vtasim
