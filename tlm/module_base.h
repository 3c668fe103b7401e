// What every module of the timed model shares: its initiator socket and DMA master on the shared
// memory port, the ledger its time is charged to, the busy signal drawn in VCDs, and what it is
// blocked on (for deadlock reports). Fetch and the three stages derive from it.
#pragma once

#include <string>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "tlm/dma_master.h"
#include "tlm/queues.h"
#include "tlm/sim_clock.h"
#include "tlm/sim_context.h"

namespace vtasim {

class ModuleBase : public sc_core::sc_module, private Pacer {
 public:
  tlm_utils::simple_initiator_socket<ModuleBase> socket;
  sc_core::sc_signal<bool> busy;  // for VCD: high while the module works on an instruction

  // `rest`: what the module does when it has nothing left (fetch: idle, stages: wait for a command).
  ModuleBase(const sc_core::sc_module_name& name, SimContext& ctx, Queues& queues, Module who, Activity rest,
             bool drive_busy_signal);

  void begin_program(Cycles start);
  // Outstanding limit from the (possibly retimed) configuration.
  void configure_dma() { dma_.configure(uint32_t(ctx_.cfg.params().max_outstanding)); }
  void end_program(Cycles end) { ledger_.charge(rest_, end); }
  const ActivityLedger& ledger() const { return ledger_; }
  uint64_t instructions() const { return instructions_; }
  // What the module is blocked on, for deadlock reports; empty when it is not blocked.
  std::string blocked_description() const;

 protected:
  void set_busy(bool on) {
    if (drive_busy_) busy.write(on);
  }
  // Parks the process after an error (recorded with ctx_.fail first): the run reports it once the
  // simulation has stopped. Call it outside the catch block, with nothing on the heap held by the
  // thread's stack: a parked thread is never unwound, so whatever it holds would never be freed.
  [[noreturn]] void halt();

  // Every wait of a module goes through these, so ctx_.wake knows when it may next act.
  void wait_cycles(Cycles n) { sleep_until(now_cycles() + n); }
  void sleep_until(Cycles t) override;
  // Around an operation on `queue` (SimContext::cmd_queue / token_queue) that may block: while
  // blocked only `peer`, the module on the other side of the queue, can wake this one; completing the
  // operation wakes `peer` now if it waits on the same queue.
  void queue_wait(int queue);
  void queue_done(int queue, Module peer);
  Cycles horizon() const override;

  SimContext& ctx_;
  Queues& queues_;
  Module module_;
  Activity rest_;
  bool drive_busy_;
  DmaMaster dma_;
  ActivityLedger ledger_;
  uint64_t instructions_ = 0;
  Activity blocked_;      // what the module is waiting for right now
  int64_t current_ = -1;  // the instruction it works on, -1 for none
};

}  // namespace vtasim
