// A generic-payload extension every DMA master attaches to its (reused) payload: what kind of bytes
// the burst carries, which master sent it, and, filled in by the DRAM target, when its data crossed
// the port.
#pragma once

#include <tlm>

#include "models/timed_stats.h"

namespace vtasim {

struct DmaExtension : tlm::tlm_extension<DmaExtension> {
  ByteKind kind = ByteKind::Insn;
  Module master = Module::Fetch;
  uint64_t data_start = 0;  // cycles
  uint64_t done = 0;
  uint32_t beats = 0;

  tlm::tlm_extension_base* clone() const override { return new DmaExtension(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const DmaExtension&>(other);
  }
};

}  // namespace vtasim
