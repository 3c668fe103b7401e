// DRAM target (see dram_target.h).
#include "tlm/dram_target.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "tlm/dma_extension.h"
#include "tlm/sim_clock.h"

namespace vtasim {

DramTarget::DramTarget(sc_core::sc_module_name name, SharedPort port)
    : sc_module(name), socket("socket"), port_(std::move(port)) {
  socket.register_b_transport(this, &DramTarget::b_transport);
}

void DramTarget::attach(const std::vector<uint8_t>* memory, std::vector<uint8_t>* writable, uint64_t floor,
                        uint64_t size) {
  memory_ = memory;
  writable_ = writable;
  floor_ = floor;
  size_ = size;
}

void DramTarget::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  const uint64_t now = now_cycles();
  auto* ext = p.get_extension<DmaExtension>();
  if (ext && ext->batch) {
    serve_batch(p, *ext, now, delay);
    return;
  }
  const uint64_t addr = p.get_address();
  const uint32_t len = p.get_data_length();
  if (len > size_ || addr > size_ - len) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (memory_ && p.get_data_ptr()) move_data(p.is_read(), addr, len, p.get_data_ptr());
  if (ext) note_train(ext->master, ext->offset, len);
  const uint64_t arrival = now + to_cycles(delay);
  const uint32_t burst = ext && ext->burst_bytes ? ext->burst_bytes : len;
  if (ext) ext->grants.clear();
  Cycles done = arrival;
  for (uint32_t off = 0; off < len; off += burst) {
    const BurstGrant g = port_.serve(arrival, addr + off, std::min(burst, len - off), p.is_write());
    if (ext) {  // field by field: a copy of the whole grant would read back what was just written (slow)
      BurstGrant& kept = ext->grants.emplace_back();
      kept.data_start = g.data_start, kept.done = g.done, kept.bytes = g.bytes, kept.beats = g.beats,
      kept.cache_hit = g.cache_hit;
    }
    done = g.done;
  }
  delay = cycles(done - now);
  p.set_response_status(tlm::TLM_OK_RESPONSE);
}

void DramTarget::move_data(bool read, uint64_t addr, uint32_t len, uint8_t* data) {
  if (read) {
    const uint64_t zeros = addr < floor_ ? std::min<uint64_t>(floor_ - addr, len) : 0;  // unstored zeros
    std::memset(data, 0, zeros);
    if (zeros < len) std::memcpy(data + zeros, memory_->data() + (addr + zeros - floor_), len - zeros);
  } else {
    if (addr < floor_) throw std::logic_error("a write below the DRAM image's floor (engines that move data need all of it)");
    if (!writable_) throw std::logic_error("a write that carries data in a run that moves none");
    std::memcpy(writable_->data() + (addr - floor_), data, len);
  }
}

void DramTarget::serve_batch(tlm::tlm_generic_payload& p, DmaExtension& ext, Cycles now, sc_core::sc_time& delay) {
  if (p.get_data_ptr()) throw std::logic_error("a batch's data travels in DmaExtension::staging, not the payload");
  uint8_t* const staging = memory_ ? ext.staging : nullptr;
  ext.grants.clear();
  ext.totals = {};
  TransferIssue& batch = *ext.batch;
  const uint32_t burst = ext.burst_bytes;
  Cycles done = now;
  // The payload is the first train (the master waited for its time); then every one that need not wait.
  for (bool first = true; !batch.done(); first = false) {
    const TransferIssue::Train t = batch.next();
    if (!first && t.at > batch.now() && t.at >= ext.horizon) break;  // the master waits for it in the kernel
    const uint32_t len = uint32_t(t.bytes);
    if (len > size_ || t.addr > size_ - len) {
      p.set_address(t.addr);
      p.set_data_length(len);
      p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    // Each train's data moves when it is served, as a train of its own would: nothing acts in between.
    if (staging) move_data(p.is_read(), t.addr, len, staging + t.offset);
    note_train(ext.master, t.offset, len);
    for (uint32_t off = 0; off < len; off += burst) {
      const BurstGrant g = port_.serve(t.at, t.addr + off, std::min(burst, len - off), p.is_write());
      batch.granted(g);
      ext.totals.add(g);
      done = g.done;
    }
    batch.issued(t);
  }
  delay = cycles(done - now);
  p.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace vtasim
