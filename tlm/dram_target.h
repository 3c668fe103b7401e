// The DRAM: a TLM-2.0 target holding the program's memory image behind the shared port's timing
// (models/timing/dram_model.h). Reads and writes move real data.
#pragma once

#include <memory>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/data_order.h"
#include "models/timing/dram_model.h"

namespace vtasim {

struct DmaExtension;

class DramTarget : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<DramTarget> socket;

  DramTarget(sc_core::sc_module_name name, SharedPort port);

  // The memory the next program uses (owned by the caller): `memory` holds addresses `floor` up to
  // `size`; below the floor the DRAM reads as zero (ProgramImage::dram_floor). Writes go to
  // `writable` (the same memory), which a timing-only run does not give: a write that carries data
  // then is an internal fault. A transaction without a data pointer is timed but moves nothing.
  void attach(const std::vector<uint8_t>* memory, std::vector<uint8_t>* writable, uint64_t floor, uint64_t size);
  void reset_timing(Cycles origin) { port_.reset(origin); }
  // Where the next program's trains of the load, compute and store modules are recorded, as they are
  // served (null: nowhere).
  void record(DataOrder* order) { order_ = order; }
  void set_port(SharedPort port) { port_ = std::move(port); }

 private:
  void b_transport(tlm::tlm_generic_payload& p, sc_core::sc_time& delay);
  // A batch (DmaExtension::batch): its trains in order from the payload's, while each may issue.
  void serve_batch(tlm::tlm_generic_payload& p, DmaExtension& ext, Cycles now, sc_core::sc_time& delay);
  // Copies `len` bytes at `addr` (in range) to `data` (a read) or from it (a write).
  void move_data(bool read, uint64_t addr, uint32_t len, uint8_t* data);

  // Records a train of a stage module's transfer (fetch's are not data: models/data_order.h).
  void note_train(Module master, uint64_t offset, uint32_t bytes) {
    if (!order_ || master == Module::Fetch) return;
    order_->train(master == Module::Load ? Stage::Load : master == Module::Compute ? Stage::Compute : Stage::Store, offset,
                  bytes);
  }

  SharedPort port_;
  DataOrder* order_ = nullptr;
  const std::vector<uint8_t>* memory_ = nullptr;
  std::vector<uint8_t>* writable_ = nullptr;
  uint64_t floor_ = 0;
  uint64_t size_ = 0;
};

}  // namespace vtasim
