// Configurations the tests derive numbers against. Hand-derived timing pins the ideal memory system
// of configs/pynq_ideal.json (16-cycle latency, pipelined DMA, full port rate), never the defaults,
// which follow the calibrated board.
#pragma once

#include <random>
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

// A memory system drawn from `rng` (settings over the ideal one): latency, write latency, bandwidth
// cap, burst length, outstanding window, issue policy per transfer kind, per-row cycles, and a cache
// (none, 1 KiB, 4 KiB or 512 KiB; 1, 2 or 8 ways; a hit latency that may exceed the miss latency).
inline std::vector<std::string> random_memory_system(std::mt19937& rng) {
  const auto pick = [&](std::vector<std::string> v) { return v[rng() % v.size()]; };
  const auto policy = [&] { return pick({"pipelined", "row_serial"}); };
  return {"dram.latency=" + std::to_string(rng() % 120),
          "dram.write_latency=" + pick({"-1", "0", "5", "60", "300"}),
          "dram.gbps=" + pick({"0", "0.13", "0.48", "0.8", "3.3"}),
          "port.max_burst=" + pick({"1", "2", "4", "16", "64"}),
          "port.outstanding=" + std::to_string(1 + rng() % 20),
          "dma.inp_policy=" + policy(),
          "dma.wgt_policy=" + policy(),
          "dma.compute_policy=" + policy(),
          "dma.store_policy=" + policy(),
          "dma.row_cycles=" + std::to_string(rng() % 6),
          "cache.kib=" + pick({"0", "0", "1", "4", "512"}),
          "cache.ways=" + pick({"1", "2", "8"}),
          "cache.hit_latency=" + std::to_string(rng() % 150)};
}

}  // namespace vtasim::test
