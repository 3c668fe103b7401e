// DMA master (see dma_master.h).
#include "tlm/dma_master.h"

#include <algorithm>

#include "models/errors.h"
#include "tlm/sim_clock.h"

namespace vtasim {

DmaMaster::DmaMaster(tlm::tlm_initiator_socket<>& socket, Module who, uint32_t outstanding, Pacer& pacer)
    : socket_(socket), pacer_(pacer), ext_(new DmaExtension), window_(outstanding) {
  ext_->master = who;
  payload_.set_extension(ext_);
  payload_.set_byte_enable_ptr(nullptr);
  payload_.set_dmi_allowed(false);
}

bool DmaMaster::slot_free() const {
  const Cycles now = now_cycles();
  return window_.earliest_issue(now) <= now;
}

void DmaMaster::send(Cycles at, uint64_t addr, uint64_t bytes, uint32_t burst, uint8_t* data, bool write, ByteKind kind) {
  payload_.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
  payload_.set_address(addr);
  payload_.set_data_ptr(data);
  payload_.set_data_length(uint32_t(bytes));
  payload_.set_streaming_width(uint32_t(bytes));
  payload_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  ext_->kind = kind;
  ext_->burst_bytes = burst;
  sc_core::sc_time delay = cycles(at - now_cycles());
  socket_->b_transport(payload_, delay);
  if (payload_.get_response_status() != tlm::TLM_OK_RESPONSE) {  // the payload names the train at fault
    ext_->batch = nullptr;
    ext_->staging = nullptr;
    throw UserError(std::string(module_name(ext_->master)) + " DMA of " + std::to_string(payload_.get_data_length()) +
                    " bytes at address " + std::to_string(payload_.get_address()) + " is outside the DRAM");
  }
}

Cycles DmaMaster::issue(const Burst& b, uint8_t* data, bool write, ByteKind kind) {
  const Cycles slot = window_.earliest_issue(now_cycles());
  if (slot > now_cycles()) pacer_.sleep_until(slot);
  send(now_cycles(), b.addr, b.bytes, b.bytes, data ? data + b.offset : nullptr, write, kind);
  window_.issued(ext_->grants.back().done);
  return ext_->grants.back().done;
}

DmaResult DmaMaster::transfer(const DramRows& rows, uint32_t max_burst, const RowIssue& issue, uint8_t* staging,
                              bool write, ByteKind kind, bool batch) {
  // The master's own time (TransferIssue::now) runs ahead of the kernel's while no other module can
  // act first; a train due later than that waits in the kernel.
  TransferIssue transfer(rows, max_burst, issue, window_, now_cycles());
  while (!transfer.done()) {
    const TransferIssue::Train t = transfer.next();
    if (t.at > transfer.now() && t.at >= pacer_.horizon()) pacer_.sleep_until(t.at);
    if (batch) {  // this train and those after it that need not wait, in one transaction
      ext_->batch = &transfer;
      ext_->horizon = pacer_.horizon();
      ext_->staging = staging;
      send(t.at, t.addr, t.bytes, max_burst, nullptr, write, kind);
      ext_->batch = nullptr;
      ext_->staging = nullptr;
      continue;
    }
    ext_->offset = t.offset;
    send(t.at, t.addr, t.bytes, max_burst, staging ? staging + t.offset : nullptr, write, kind);
    transfer.issued(t, ext_->grants.data(), ext_->grants.size());
  }
  const DmaResult& r = transfer.result();
  const Cycles last = std::max(transfer.now(), r.end);
  if (last > now_cycles()) pacer_.sleep_until(last);
  return r;
}

}  // namespace vtasim
