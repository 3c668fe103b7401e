// The board's single shared memory port: every DMA master's initiator socket binds here, and every
// burst goes on to the DRAM target. Arbitration is first come, first served in issue order (SystemC
// runs masters in time order, and each reserves its burst's slot when it issues it); the port width
// sets the beats; the masters split rows into bursts no longer than port.max_burst and keep at most
// port.outstanding in flight. Counts bytes by kind, port occupancy, and records bursts for traces.
#pragma once

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/timed_stats.h"
#include "models/trace_recorder.h"
#include "tlm/dma_extension.h"

namespace vtasim {

class MemoryInterconnect : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<MemoryInterconnect> masters;
  tlm_utils::simple_initiator_socket<MemoryInterconnect> to_dram;

  MemoryInterconnect(sc_core::sc_module_name name, uint32_t max_burst_bytes);

  void set_max_burst(uint32_t bytes) { max_burst_bytes_ = bytes; }
  // Per-program accounting.
  void start_program(uint64_t start_cycle, TraceRecorder* trace);
  Cycles port_busy() const { return port_busy_; }
  uint64_t bytes(ByteKind k) const { return bytes_[int(k)]; }
  uint64_t bursts() const { return bursts_; }
  uint64_t cache_hit_bytes() const { return cache_hit_bytes_; }

 private:
  void b_transport(int id, tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
  void trace_burst(const tlm::tlm_generic_payload& p, const DmaExtension& ext, const BurstGrant& g, uint64_t offset);

  uint32_t max_burst_bytes_;
  uint64_t start_ = 0;
  TraceRecorder* trace_ = nullptr;
  Cycles port_busy_ = 0;
  uint64_t bytes_[kByteKindCount] = {};
  uint64_t bursts_ = 0;
  uint64_t cache_hit_bytes_ = 0;
};

}  // namespace vtasim
