// Queue construction and activity mapping.
#include "queues.h"

namespace vtasim {

Queues::Queues(uint32_t cmd_depth, uint32_t token_depth) {
  const char* cmd_names[] = {"cmd_load", "cmd_compute", "cmd_store"};
  for (int s = 0; s < 3; ++s) cmd[size_t(s)] = std::make_unique<sc_core::sc_fifo<uint32_t>>(cmd_names[s], int(cmd_depth));
  const char* token_names[] = {"load_to_compute", "compute_to_load", "compute_to_store", "store_to_compute"};
  for (int q = 0; q < 4; ++q) token[size_t(q)] = std::make_unique<sc_core::sc_fifo<bool>>(token_names[q], int(token_depth));
}

Activity wait_token_activity(TokenQueue q) {
  switch (q) {
    case TokenQueue::LoadToCompute: return Activity::WaitTokenLoadToCompute;
    case TokenQueue::ComputeToLoad: return Activity::WaitTokenComputeToLoad;
    case TokenQueue::ComputeToStore: return Activity::WaitTokenComputeToStore;
    case TokenQueue::StoreToCompute: break;
  }
  return Activity::WaitTokenStoreToCompute;
}

Activity full_token_activity(TokenQueue q) {
  switch (q) {
    case TokenQueue::LoadToCompute: return Activity::FullTokenLoadToCompute;
    case TokenQueue::ComputeToLoad: return Activity::FullTokenComputeToLoad;
    case TokenQueue::ComputeToStore: return Activity::FullTokenComputeToStore;
    case TokenQueue::StoreToCompute: break;
  }
  return Activity::FullTokenStoreToCompute;
}

Activity full_cmd_activity(Stage s) {
  switch (s) {
    case Stage::Load: return Activity::FullCmdLoad;
    case Stage::Compute: return Activity::FullCmdCompute;
    case Stage::Store: break;
  }
  return Activity::FullCmdStore;
}

}  // namespace vtasim
