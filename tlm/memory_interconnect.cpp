// Memory interconnect (see memory_interconnect.h).
#include "tlm/memory_interconnect.h"

#include <cassert>

#include "tlm/dma_extension.h"

namespace vtasim {

MemoryInterconnect::MemoryInterconnect(sc_core::sc_module_name name, uint32_t max_burst_bytes)
    : sc_module(name), masters("masters"), to_dram("to_dram"), max_burst_bytes_(max_burst_bytes) {
  masters.register_b_transport(this, &MemoryInterconnect::b_transport);
}

void MemoryInterconnect::start_program(uint64_t start_cycle, TraceRecorder* trace) {
  start_ = start_cycle;
  trace_ = trace;
  port_busy_ = 0;
  bursts_ = 0;
  for (auto& b : bytes_) b = 0;
}

void MemoryInterconnect::b_transport(int, tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  assert(p.get_data_length() <= max_burst_bytes_ && "masters split rows into bursts of at most port.max_burst");
  to_dram->b_transport(p, delay);
  if (p.get_response_status() != tlm::TLM_OK_RESPONSE) return;
  const auto* ext = p.get_extension<DmaExtension>();
  assert(ext && "every DMA master attaches a DmaExtension");
  port_busy_ += ext->done - ext->data_start;
  bytes_[int(ext->kind)] += p.get_data_length();
  ++bursts_;
  if (trace_) {
    std::string name = std::string(byte_kind_name(ext->kind)) + (p.is_read() ? " rd" : " wr");
    trace_->span(TraceRecorder::kPort, ext->data_start - start_, ext->done - ext->data_start, name, -1,
                 std::string(module_name(ext->master)) + ": " + std::to_string(p.get_data_length()) + " B at 0x" +
                     [&] {
                       char buf[24];
                       std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(p.get_address()));
                       return std::string(buf);
                     }());
  }
}

}  // namespace vtasim
