// The three command queues (fetch -> load/compute/store) and the four dependency-token queues, as
// SystemC FIFOs with the configured depths, plus occupancy levels for trace counters.
#pragma once

#include <array>
#include <memory>

#include <systemc>

#include "functional_engine.h"
#include "timed_stats.h"

namespace vtasim {

struct Queues {
  Queues(uint32_t cmd_depth, uint32_t token_depth);

  std::array<std::unique_ptr<sc_core::sc_fifo<uint32_t>>, 3> cmd;   // by Stage
  std::array<std::unique_ptr<sc_core::sc_fifo<bool>>, 4> token;     // by TokenQueue
  std::array<int64_t, 3> cmd_level{};
  std::array<int64_t, 4> token_level{};

  sc_core::sc_fifo<uint32_t>& cmd_of(Stage s) { return *cmd[size_t(s)]; }
  sc_core::sc_fifo<bool>& token_of(TokenQueue q) { return *token[size_t(q)]; }
};

// Activities of a module blocked on a token queue.
Activity wait_token_activity(TokenQueue q);
Activity full_token_activity(TokenQueue q);
Activity full_cmd_activity(Stage s);

}  // namespace vtasim
