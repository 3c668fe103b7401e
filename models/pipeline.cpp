// Pipeline topology, routing and activities (see pipeline.h).
#include "models/pipeline.h"

#include "models/errors.h"

namespace vtasim {

const char* stage_name(Stage s) {
  switch (s) {
    case Stage::Load: return "load";
    case Stage::Compute: return "compute";
    case Stage::Store: return "store";
  }
  return "?";
}

const char* module_name(Module m) {
  switch (m) {
    case Module::Fetch: return "fetch";
    case Module::Load: return "load";
    case Module::Compute: return "compute";
    case Module::Store: return "store";
  }
  return "?";
}

Module module_of(Stage s) { return Module(int(s) + 1); }

const std::array<TokenQueueInfo, kTokenQueueCount>& token_queues() {
  static const std::array<TokenQueueInfo, kTokenQueueCount> table = {{
      {TokenQueue::LoadToCompute, Stage::Load, Stage::Compute, "load->compute", "load_to_compute"},
      {TokenQueue::ComputeToLoad, Stage::Compute, Stage::Load, "compute->load", "compute_to_load"},
      {TokenQueue::ComputeToStore, Stage::Compute, Stage::Store, "compute->store", "compute_to_store"},
      {TokenQueue::StoreToCompute, Stage::Store, Stage::Compute, "store->compute", "store_to_compute"},
  }};
  return table;
}

const TokenQueueInfo& token_queue_info(TokenQueue q) { return token_queues()[size_t(q)]; }
const char* token_queue_name(TokenQueue q) { return token_queue_info(q).arrow; }


std::string insn_ref(const Insn& insn, size_t index) {
  return "instruction " + std::to_string(index) + " (" + disassemble(insn) + ")";
}

Stage stage_of_checked(const Insn& insn, size_t index) {
  switch (insn.opcode) {
    case Opcode::Store:
      if (insn.memory_type != MemType::Out) {
        throw UserError(insn_ref(insn, index) + ": STORE must have memory type OUT, not " +
                        mem_type_name(insn.memory_type));
      }
      return Stage::Store;
    case Opcode::Load:
      switch (insn.memory_type) {
        case MemType::Inp:
        case MemType::Wgt: return Stage::Load;
        case MemType::Uop:
        case MemType::Acc:
        case MemType::Acc8: return Stage::Compute;
        case MemType::Out: break;
      }
      throw UserError(insn_ref(insn, index) + ": no module loads memory type OUT (use INP, WGT, UOP, ACC or ACC_8BIT)");
    case Opcode::Gemm:
    case Opcode::Alu:
    case Opcode::Finish: return Stage::Compute;
  }
  throw UserError(insn_ref(insn, index) + ": unknown opcode");
}

void check_flags(const Insn& insn, Stage stage, size_t index) {
  const struct {
    bool set;
    bool is_pop;
    bool prev;
    const char* name;
  } flags[] = {{insn.pop_prev_dep, true, true, "pop_prev_dep"},
               {insn.pop_next_dep, true, false, "pop_next_dep"},
               {insn.push_prev_dep, false, true, "push_prev_dep"},
               {insn.push_next_dep, false, false, "push_next_dep"}};
  for (const auto& f : flags) {
    if (!f.set) continue;
    const auto q = f.is_pop ? pop_queue(stage, f.prev) : push_queue(stage, f.prev);
    if (!q) {
      throw UserError(insn_ref(insn, index) + ": " + f.name + " must be 0 for an instruction of the " +
                      stage_name(stage) + " module (it has no such neighbour)");
    }
  }
}

int Activity::index() const {
  switch (kind) {
    case ActivityKind::Busy: return 0;
    case ActivityKind::WaitMemory: return 1;
    case ActivityKind::WaitCmd: return 2;
    case ActivityKind::Idle: return 3;
    case ActivityKind::WaitToken: return 4 + queue;
    case ActivityKind::FullToken: return 4 + kTokenQueueCount + queue;
    case ActivityKind::FullCmd: return 4 + 2 * kTokenQueueCount + queue;
  }
  return 0;
}

Activity activity_at(int index) {
  if (index < 4) return {ActivityKind(index), 0};
  index -= 4;
  if (index < kTokenQueueCount) return Activity::wait_token(TokenQueue(index));
  index -= kTokenQueueCount;
  if (index < kTokenQueueCount) return Activity::full_token(TokenQueue(index));
  return Activity::full_cmd(Stage(index - kTokenQueueCount));
}

std::string Activity::name() const {
  switch (kind) {
    case ActivityKind::Busy: return "busy";
    case ActivityKind::WaitMemory: return "wait_memory";
    case ActivityKind::WaitCmd: return "wait_cmd";
    case ActivityKind::Idle: return "idle";
    case ActivityKind::WaitToken: return std::string("wait_token.") + token_queue_info(TokenQueue(queue)).id;
    case ActivityKind::FullToken: return std::string("full_token.") + token_queue_info(TokenQueue(queue)).id;
    case ActivityKind::FullCmd: return std::string("full_cmd.") + stage_name(Stage(queue));
  }
  return "?";
}

const std::vector<Activity>& module_activities(Module m) {
  static const std::array<std::vector<Activity>, kModuleCount> table = [] {
    std::array<std::vector<Activity>, kModuleCount> t;
    t[0] = {Activity::busy(), Activity::wait_memory()};
    for (Stage s : kStages) t[0].push_back(Activity::full_cmd(s));
    t[0].push_back(Activity::idle());
    for (Stage s : kStages) {
      auto& v = t[size_t(module_of(s))];
      v = {Activity::busy(), Activity::wait_memory(), Activity::wait_cmd()};
      for (const auto& q : token_queues())
        if (q.to == s) v.push_back(Activity::wait_token(q.queue));
      for (const auto& q : token_queues())
        if (q.from == s) v.push_back(Activity::full_token(q.queue));
    }
    return t;
  }();
  return table[size_t(m)];
}

std::string blocked_message(Module m, Activity a, const std::string& where) {
  std::string what;
  switch (a.kind) {
    case ActivityKind::WaitToken:
      what = std::string("waits for a token on the ") + token_queue_name(TokenQueue(a.queue)) + " queue";
      break;
    case ActivityKind::FullToken:
      what = std::string("is blocked by the full ") + token_queue_name(TokenQueue(a.queue)) + " queue";
      break;
    case ActivityKind::FullCmd:
      what = std::string("waits for room in the ") + stage_name(Stage(a.queue)) + " command queue";
      break;
    default: what = "is stuck"; break;
  }
  return std::string(module_name(m)) + " " + what + " at " + where;
}

std::string deadlock_message(const std::vector<std::string>& blocked) {
  std::string text = "deadlock: no module can proceed and FINISH has not run";
  for (const auto& b : blocked) text += "; " + b;
  return text;
}

std::string leftover_tokens_message(const std::array<uint64_t, kTokenQueueCount>& tokens) {
  std::string left;
  for (const auto& q : token_queues()) {
    const uint64_t n = tokens[size_t(q.queue)];
    if (n) left += (left.empty() ? "" : ", ") + std::to_string(n) + " on " + q.arrow;
  }
  if (left.empty()) return "";
  return "tokens left in dependency queues at FINISH: " + left +
         " (every push needs a matching pop before the program ends)";
}

}  // namespace vtasim
