// The fetch module: reads the instruction stream from DRAM in bursts (prefetching up to
// port.outstanding bursts), decodes each instruction and routes it to its stage's command queue,
// one instruction per cycle; a full queue holds it.
#pragma once

#include <vector>

#include "tlm/module_base.h"

namespace vtasim {

class FetchModule : public ModuleBase {
 public:
  FetchModule(const sc_core::sc_module_name& name, SimContext& ctx, Queues& queues, bool drive_busy_signal);

 private:
  void main();
  void fetch_program();

  std::vector<Burst> bursts_;
  std::vector<Cycles> done_;
  std::vector<uint8_t> staging_;
};

}  // namespace vtasim
