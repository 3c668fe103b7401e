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

}  // namespace vtasim::test
