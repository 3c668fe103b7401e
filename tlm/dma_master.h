// The DMA side of a module: issues bursts through the module's initiator socket, at most
// port.outstanding in flight, with one reused payload (no allocation per transaction). The bursts of
// a row that the window lets go at the same instant travel as one train (tlm/dma_extension.h). Waits
// only for the row rule, when the outstanding window is full, and for the last burst: one event per
// burst at most, and fewer when it may run ahead.
//
// Running ahead: a wait that ends before any other module can next act (Pacer::horizon) is skipped;
// the master issues its next bursts at their own, later times (the transaction's delay carries the
// time), which the port serves exactly as if the master had waited: first come, first served in
// time order, and no other master can come first. Only the wait for the last burst is real.
#pragma once

#include <vector>

#include <systemc>
#include <tlm>

#include "tlm/dma_extension.h"
#include "models/timing/memory_timing.h"

namespace vtasim {

// How a master's module sleeps, and how far it may run ahead.
class Pacer {
 public:
  virtual ~Pacer() = default;
  // No other module can act before this cycle.
  virtual Cycles horizon() const = 0;
  // A timed wait of the module until absolute cycle `t`.
  virtual void sleep_until(Cycles t) = 0;
};

class DmaMaster {
 public:
  DmaMaster(tlm::tlm_initiator_socket<>& socket, Module who, uint32_t outstanding, Pacer& pacer);

  // Issues one burst at the current time, after waiting for a free slot if needed; returns the
  // absolute cycle its data has crossed the port. Throws UserError on an address error.
  Cycles issue(const Burst& b, uint8_t* data, bool write, ByteKind kind);
  // Moves `rows` (staging row r at r * row_bytes) in bursts of at most `max_burst` bytes, row by row
  // under the row rule, then waits until the last burst has completed. `batch` (for untraced runs):
  // trains that need not wait go in one transaction (DmaExtension::batch), their data with them; the
  // same timing and the same data either way.
  DmaResult transfer(const DramRows& rows, uint32_t max_burst, const RowIssue& issue, uint8_t* staging, bool write,
                     ByteKind kind, bool batch = false);
  void reset() { window_.reset(); }
  void configure(uint32_t outstanding) { window_ = OutstandingWindow(outstanding); }
  // True when a burst issued now would not have to wait for an outstanding slot.
  bool slot_free() const;

 private:
  // Sends bursts of `burst` bytes (the last may be shorter) starting at `addr`, `bytes` in all, at
  // cycle `at` (now or, running ahead, later) as one train; ext_->grants holds their completions.
  void send(Cycles at, uint64_t addr, uint64_t bytes, uint32_t burst, uint8_t* data, bool write, ByteKind kind);

  tlm::tlm_initiator_socket<>& socket_;
  Pacer& pacer_;
  tlm::tlm_generic_payload payload_;
  DmaExtension* ext_;
  OutstandingWindow window_;
};

}  // namespace vtasim
