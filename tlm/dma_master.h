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
  Cycles beats = 0;  // port cycles this transfer's data occupied
  Cycles end = 0;    // absolute cycle the last burst completed
};

class DmaMaster {
 public:
  DmaMaster(tlm::tlm_initiator_socket<>& socket, Module who, uint32_t port_bytes, uint32_t outstanding);

  // Issues one burst at the current time, after waiting for a free slot if needed; returns the
  // absolute cycle its data has crossed the port. Throws UserError on an address error.
  Cycles issue(const Burst& b, uint8_t* data, bool write, ByteKind kind);
  // Issues every burst, then waits until the last has completed.
  DmaResult transfer(const std::vector<Burst>& bursts, uint8_t* staging, bool write, ByteKind kind);
  void reset() { window_.reset(); }
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
