// The DMA side of a module: issues bursts through the module's initiator socket, at most
// port.outstanding in flight, with one reused payload (no allocation per transaction). Waits only
// when the outstanding window is full and for the last burst: one event per burst at most.
#pragma once

#include <vector>

#include <systemc>
#include <tlm>

#include "tlm/dma_extension.h"
#include "models/timing/memory_timing.h"

namespace vtasim {

struct DmaResult {
  Cycles beats = 0;     // port cycles this transfer's data occupied
  Cycles overhead = 0;  // the master's own per-row cycles (loop control)
  Cycles end = 0;       // absolute cycle the last burst completed
};

// How the rows of a 2-D transfer are issued: every `bursts_per_row` consecutive bursts form one row.
struct RowIssue {
  DmaPolicy policy = DmaPolicy::Pipelined;
  Cycles row_cycles = 0;
  uint32_t bursts_per_row = 1;
}; 

class DmaMaster {
 public:
  DmaMaster(tlm::tlm_initiator_socket<>& socket, Module who, uint32_t port_bytes, uint32_t outstanding);

  // Issues one burst at the current time, after waiting for a free slot if needed; returns the
  // absolute cycle its data has crossed the port. Throws UserError on an address error.
  Cycles issue(const Burst& b, uint8_t* data, bool write, ByteKind kind);
  // Issues every burst row by row under the row rule, then waits until the last has completed. One wait
  // per row at most besides the window waits.
  DmaResult transfer(const std::vector<Burst>& bursts, const RowIssue& rows, uint8_t* staging, bool write, ByteKind kind);
  void reset() { window_.reset(); }
  void configure(uint32_t port_bytes, uint32_t outstanding) {
    port_bytes_ = port_bytes;
    window_ = OutstandingWindow(outstanding);
  }
  // True when a burst issued now would not have to wait for an outstanding slot.
  bool slot_free() const;

 private:
  tlm::tlm_initiator_socket<>& socket_;
  tlm::tlm_generic_payload payload_;
  DmaExtension* ext_;
  OutstandingWindow window_;
  uint32_t port_bytes_;
};

}  // namespace vtasim
