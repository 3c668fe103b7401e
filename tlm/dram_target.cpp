// DRAM target (see dram_target.h).
#include "tlm/dram_target.h"

#include <cstring>

#include "tlm/dma_extension.h"
#include "tlm/sim_clock.h"

namespace vtasim {

DramTarget::DramTarget(sc_core::sc_module_name name, SharedPort port)
    : sc_module(name), socket("socket"), port_(std::move(port)) {
  socket.register_b_transport(this, &DramTarget::b_transport);
}

void DramTarget::attach(std::vector<uint8_t>* memory, uint64_t size) {
  memory_ = memory;
  size_ = size;
}

void DramTarget::b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  const uint64_t addr = p.get_address();
  const uint32_t len = p.get_data_length();
  if (len > size_ || addr > size_ - len) {
    p.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (memory_ && p.get_data_ptr()) {
    if (p.is_read()) std::memcpy(p.get_data_ptr(), memory_->data() + addr, len);
    else std::memcpy(memory_->data() + addr, p.get_data_ptr(), len);
  }
  const uint64_t arrival = now_cycles() + to_cycles(delay);
  const BurstGrant g = port_.serve(arrival, addr, len, p.is_write());
  if (auto* ext = p.get_extension<DmaExtension>()) {
    ext->data_start = g.data_start;
    ext->done = g.done;
    ext->beats = g.beats;
  }
  delay = cycles(g.done - now_cycles());
  p.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace vtasim
