// The command queues (fetch -> each stage) and the dependency-token queues of the pipeline topology
// (models/pipeline.h), as SystemC FIFOs with the configured depths, plus occupancy levels for trace
// counters.
#pragma once

#include <array>
#include <memory>

#include <systemc>

#include "models/pipeline.h"

namespace vtasim {

struct Queues {
  Queues(uint32_t cmd_depth, uint32_t token_depth);

  std::array<std::unique_ptr<sc_core::sc_fifo<uint32_t>>, kStageCount> cmd;
  std::array<std::unique_ptr<sc_core::sc_fifo<bool>>, kTokenQueueCount> token;
  std::array<int64_t, kStageCount> cmd_level{};
  std::array<int64_t, kTokenQueueCount> token_level{};

  sc_core::sc_fifo<uint32_t>& cmd_of(Stage s) { return *cmd[size_t(s)]; }
  sc_core::sc_fifo<bool>& token_of(TokenQueue q) { return *token[size_t(q)]; }
};

}  // namespace vtasim
