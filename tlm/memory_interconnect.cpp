// Memory interconnect (see memory_interconnect.h).
#include "tlm/memory_interconnect.h"

#include <algorithm>
#include <cassert>
#include <cstdio>

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
  cache_hit_bytes_ = 0;
  for (auto& b : bytes_) b = 0;
}

void MemoryInterconnect::b_transport(int, tlm::tlm_generic_payload& p, sc_core::sc_time& delay) {
  const auto* ext = p.get_extension<DmaExtension>();
  assert(ext && "every DMA master attaches a DmaExtension");
  assert(ext->burst_bytes <= max_burst_bytes_ && "masters split rows into bursts of at most port.max_burst");
  to_dram->b_transport(p, delay);
  if (p.get_response_status() != tlm::TLM_OK_RESPONSE) return;
  DmaExtension::Totals train;
  if (!ext->batch) {  // a batch's bursts the target summed already (batches are never traced)
    uint64_t offset = 0;
    for (const BurstGrant& g : ext->grants) {
      train.add(g);
      if (trace_) trace_burst(p, *ext, g, offset);
      offset += g.bytes;
    }
  }
  const DmaExtension::Totals& t = ext->batch ? ext->totals : train;
  bytes_[int(ext->kind)] += t.bytes;
  bursts_ += t.bursts;
  port_busy_ += t.busy;
  cache_hit_bytes_ += t.hit_bytes;
}

void MemoryInterconnect::trace_burst(const tlm::tlm_generic_payload& p, const DmaExtension& ext, const BurstGrant& g,
                                     uint64_t offset) {
  char addr[24];
  std::snprintf(addr, sizeof addr, "%llx", static_cast<unsigned long long>(p.get_address() + offset));
  trace_->span(TraceRecorder::kPort, g.data_start - start_, g.done - g.data_start,
               std::string(byte_kind_name(ext.kind)) + (p.is_read() ? " rd" : " wr"), -1,
               std::string(module_name(ext.master)) + ": " + std::to_string(g.bytes) + " B at 0x" + addr +
                   (g.cache_hit ? " (cache hit)" : ""));
}

}  // namespace vtasim
