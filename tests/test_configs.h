// Configurations the tests derive numbers against. Hand-derived timing pins the ideal memory system
// of configs/pynq_ideal.json (16-cycle latency, pipelined DMA, full port rate), never the defaults,
// which follow the calibrated board.
#pragma once

#include <string>
#include <vector>

#include "models/file_io.h"
#include "models/hw_config.h"

namespace vtasim::test {

inline HwConfig ideal_cfg(const std::vector<std::string>& sets = {}) {
  const std::string path = std::string(VTASIM_SOURCE_DIR) + "/configs/pynq_ideal.json";
  return HwConfig::from_json_text(read_text_file(path, "test configuration"), path, sets);
}

// Memory systems that exercise the DMA rules differently (settings over the ideal one): the ideal
// itself; slow, capped and row-serial everywhere; one request in flight with 2-beat bursts and slow
// writes; a small window under a cap that divides no beat evenly; a small, often evicting cache.
inline std::vector<std::vector<std::string>> memory_system_variants() {
  return {{},
          {"dram.latency=45", "dram.gbps=0.3", "dma.inp_policy=row_serial", "dma.wgt_policy=row_serial",
           "dma.store_policy=row_serial", "dma.compute_policy=row_serial", "dma.row_cycles=3"},
          {"port.outstanding=1", "port.max_burst=2", "dram.write_latency=90"},
          {"port.outstanding=3", "dram.gbps=0.37", "dram.latency=7"},
          // a small cache that evicts often, in front of a slow DRAM
          {"cache.kib=2", "cache.ways=2", "cache.hit_latency=3", "dram.latency=40", "dram.gbps=0.3",
           "dma.wgt_policy=row_serial"}};
}

}  // namespace vtasim::test
