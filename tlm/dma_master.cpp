// DMA master (see dma_master.h).
#include "tlm/dma_master.h"

#include <algorithm>

#include "models/errors.h"
#include "tlm/sim_clock.h"

namespace vtasim {

DmaMaster::DmaMaster(tlm::tlm_initiator_socket<>& socket, Module who, uint32_t port_bytes, uint32_t outstanding)
    : socket_(socket), ext_(new DmaExtension), window_(outstanding), port_bytes_(port_bytes) {
  ext_->master = who;
  payload_.set_extension(ext_);
  payload_.set_byte_enable_ptr(nullptr);
  payload_.set_dmi_allowed(false);
}

bool DmaMaster::slot_free() const {
  const Cycles now = now_cycles();
  return window_.earliest_issue(now) <= now;
}

Cycles DmaMaster::issue(const Burst& b, uint8_t* data, bool write, ByteKind kind) {
  const Cycles now = now_cycles();
  const Cycles slot = window_.earliest_issue(now);
  if (slot > now) sc_core::wait(cycles(slot - now));
  payload_.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  payload_.set_address(b.addr);
  payload_.set_data_ptr(data ? data + b.offset : nullptr);
  payload_.set_data_length(b.bytes);
  payload_.set_streaming_width(b.bytes);
  payload_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  ext_->kind = kind;
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  socket_->b_transport(payload_, delay);
  if (payload_.get_response_status() != tlm::TLM_OK_RESPONSE) {
    throw UserError(std::string(module_name(ext_->master)) + " DMA of " + std::to_string(b.bytes) + " bytes at address " +
                    std::to_string(b.addr) + " is outside the DRAM");
  }
  const Cycles done = now_cycles() + to_cycles(delay);
  window_.issued(done);
  return done;
}

DmaResult DmaMaster::transfer(const std::vector<Burst>& bursts, const RowIssue& rows, uint8_t* staging, bool write,
                              ByteKind kind) {
  DmaResult r;
  r.end = now_cycles();
  Cycles row_issued = r.end, row_done = r.end;
  for (size_t k = 0; k < bursts.size(); ++k) {
    if (k % rows.bursts_per_row == 0) {
      const Cycles t = next_row_issue(rows.policy, row_issued, row_done, rows.row_cycles);
      const Cycles now = now_cycles();
      if (t > now) sc_core::wait(cycles(t - now));
      r.overhead += rows.row_cycles;
    }
    const Cycles done = issue(bursts[k], staging, write, kind);
    row_issued = now_cycles();
    row_done = std::max(row_done, done);
    r.end = std::max(r.end, done);
    r.beats += beats_for(bursts[k].bytes, port_bytes_);
  }
  const Cycles now = now_cycles();
  if (r.end > now) sc_core::wait(cycles(r.end - now));
  return r;
}

}  // namespace vtasim
