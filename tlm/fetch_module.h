// The fetch module: reads the instruction stream from DRAM in bursts (prefetching up to
// port.outstanding bursts), decodes each instruction and routes it to the load, compute or store
// command queue, one instruction per cycle; a full queue holds it.
#pragma once

#include <vector>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "dma_master.h"
#include "queues.h"
#include "sim_context.h"

namespace vtasim {

class FetchModule : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<FetchModule> socket;
  sc_core::sc_signal<bool> busy;

  FetchModule(sc_core::sc_module_name name, SimContext& ctx, Queues& queues, bool drive_busy_signal);

  void begin_program(Cycles start);
  void end_program(Cycles end) { ledger_.charge(Activity::Idle, end); }
  const ActivityLedger& ledger() const { return ledger_; }
  uint64_t instructions() const { return instructions_; }
  std::string blocked_description() const;

 private:
  void main();
  void fetch_program();

  SimContext& ctx_;
  Queues& queues_;
  bool drive_busy_;
  DmaMaster dma_;
  ActivityLedger ledger_;
  uint64_t instructions_ = 0;
  Activity blocked_ = Activity::Idle;
  int64_t current_ = -1;
  std::vector<Burst> bursts_;
  std::vector<Cycles> done_;
  std::vector<uint8_t> staging_;
};

}  // namespace vtasim
