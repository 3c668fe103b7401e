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
  if (payload_.get_response_status() != tlm::TLM_OK_RESPONSE) {
    throw UserError(std::string(module_name(ext_->master)) + " DMA of " + std::to_string(bytes) + " bytes at address " +
                    std::to_string(addr) + " is outside the DRAM");
  }
  for (const BurstGrant& g : ext_->grants) window_.issued(g.done);
}

Cycles DmaMaster::issue(const Burst& b, uint8_t* data, bool write, ByteKind kind) {
  const Cycles slot = window_.earliest_issue(now_cycles());
  if (slot > now_cycles()) pacer_.sleep_until(slot);
  send(now_cycles(), b.addr, b.bytes, b.bytes, data ? data + b.offset : nullptr, write, kind);
  return ext_->grants.back().done;
}

DmaResult DmaMaster::transfer(const DramRows& rows, uint32_t max_burst, const RowIssue& issue, uint8_t* staging,
                              bool write, ByteKind kind) {
  DmaResult r;
  Cycles now = now_cycles();  // the master's own time: ahead of the kernel's while it runs ahead
  r.end = now;
  const auto wait_until = [&](Cycles t) {
    if (t <= now) return;
    if (t >= pacer_.horizon()) pacer_.sleep_until(t);  // another module may act first: really wait
    now = t;
  };
  Cycles row_issued = now, row_done = now;
  const uint32_t per_row = (rows.row_bytes + max_burst - 1) / max_burst;
  if (per_row == 0) return r;
  for (uint32_t y = 0; y < rows.rows; ++y) {
    wait_until(next_row_issue(issue.policy, row_issued, row_done, issue.row_cycles));
    r.overhead += issue.row_cycles;
    const uint64_t row_addr = rows.addr + uint64_t(y) * rows.stride_bytes;
    uint8_t* row_data = staging ? staging + uint64_t(y) * rows.row_bytes : nullptr;
    for (uint32_t k = 0; k < per_row;) {
      wait_until(window_.earliest_issue(now));
      const uint32_t n = window_.free_at(now, per_row - k);
      const uint64_t off = uint64_t(k) * max_burst;
      const uint64_t bytes = std::min<uint64_t>(uint64_t(n) * max_burst, rows.row_bytes - off);
      send(now, row_addr + off, bytes, max_burst, row_data ? row_data + off : nullptr, write, kind);
      for (const BurstGrant& g : ext_->grants) {
        row_done = std::max(row_done, g.done);
        r.beats += g.beats;
      }
      r.end = std::max(r.end, row_done);
      row_issued = now;
      k += n;
    }
  }
  const Cycles last = std::max(now, r.end);
  if (last > now_cycles()) pacer_.sleep_until(last);
  return r;
}

}  // namespace vtasim
