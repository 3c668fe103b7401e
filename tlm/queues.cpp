// Queue construction from the pipeline topology.
#include "tlm/queues.h"

#include <string>

namespace vtasim {

Queues::Queues(uint32_t cmd_depth, uint32_t token_depth) {
  for (Stage s : kStages) {
    const std::string name = std::string("cmd_") + stage_name(s);
    cmd[size_t(s)] = std::make_unique<sc_core::sc_fifo<uint32_t>>(name.c_str(), int(cmd_depth));
  }
  for (const auto& q : token_queues()) {
    token[size_t(q.queue)] = std::make_unique<sc_core::sc_fifo<bool>>(q.id, int(token_depth));
  }
}

}  // namespace vtasim
