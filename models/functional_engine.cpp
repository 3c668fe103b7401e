// The untimed engine (scheduling rules in functional_engine.h).
#include "functional_engine.h"

#include <array>
#include <deque>
#include <sstream>

#include "errors.h"

namespace vtasim {

const char* token_queue_name(TokenQueue q) {
  switch (q) {
    case TokenQueue::LoadToCompute: return "load->compute";
    case TokenQueue::ComputeToLoad: return "compute->load";
    case TokenQueue::ComputeToStore: return "compute->store";
    case TokenQueue::StoreToCompute: return "store->compute";
  }
  return "?";
}

bool pop_queue(Stage stage, bool prev, TokenQueue& q) {
  switch (stage) {
    case Stage::Load:
      if (prev) return false;
      q = TokenQueue::ComputeToLoad;
      return true;
    case Stage::Compute:
      q = prev ? TokenQueue::LoadToCompute : TokenQueue::StoreToCompute;
      return true;
    case Stage::Store:
      if (!prev) return false;
      q = TokenQueue::ComputeToStore;
      return true;
  }
  return false;
}

bool push_queue(Stage stage, bool prev, TokenQueue& q) {
  switch (stage) {
    case Stage::Load:
      if (prev) return false;
      q = TokenQueue::LoadToCompute;
      return true;
    case Stage::Compute:
      q = prev ? TokenQueue::ComputeToLoad : TokenQueue::ComputeToStore;
      return true;
    case Stage::Store:
      if (!prev) return false;
      q = TokenQueue::StoreToCompute;
      return true;
  }
  return false;
}

namespace {

class Scheduler {
 public:
  Scheduler(const HwConfig& cfg, ProgramImage& image, const std::vector<Insn>& program)
      : cfg_(cfg), image_(image), program_(program), core_(cfg) {}

  FunctionalResult run() {
    bool finished = false;
    while (!finished) {
      bool moved = fetch();
      for (Stage s : {Stage::Load, Stage::Compute, Stage::Store}) {
        if (try_run(s, finished)) moved = true;
        if (finished) break;
      }
      if (!finished && !moved) report_deadlock();
    }
    check_leftovers();
    FunctionalResult r;
    r.counters = core_.counters();
    r.instructions = program_.size();
    return r;
  }

 private:
  struct Need {
    const char* why = nullptr;  // nullptr: can run
    TokenQueue queue = TokenQueue::LoadToCompute;
  };

  bool fetch() {
    bool moved = false;
    while (next_ < program_.size()) {
      const Stage s = stage_of(program_[next_], next_);
      auto& q = cmd_[size_t(s)];
      if (q.size() >= size_t(cfg_.params().cmd_queue_depth)) break;
      VtaCore::check_flags(program_[next_], s, next_);
      q.push_back(next_++);
      moved = true;
    }
    return moved;
  }

  Need blocker(Stage s, const Insn& insn) const {
    TokenQueue q;
    if (insn.pop_prev_dep && pop_queue(s, true, q) && tokens_[size_t(q)] == 0) return {"waits for a token on the", q};
    if (insn.pop_next_dep && pop_queue(s, false, q) && tokens_[size_t(q)] == 0) return {"waits for a token on the", q};
    const uint64_t depth = uint64_t(cfg_.params().token_queue_depth);
    // Both pushes may target distinct queues; each needs one free slot.
    if (insn.push_prev_dep && push_queue(s, true, q) && tokens_[size_t(q)] >= depth) return {"is blocked by the full", q};
    if (insn.push_next_dep && push_queue(s, false, q) && tokens_[size_t(q)] >= depth) return {"is blocked by the full", q};
    return {};
  }

  bool try_run(Stage s, bool& finished) {
    auto& q = cmd_[size_t(s)];
    if (q.empty()) return false;
    const size_t idx = q.front();
    const Insn& insn = program_[idx];
    if (blocker(s, insn).why) return false;
    if (insn.opcode == Opcode::Finish && !(cmd_[size_t(Stage::Load)].empty() && cmd_[size_t(Stage::Store)].empty())) {
      return false;
    }
    TokenQueue tq;
    if (insn.pop_prev_dep && pop_queue(s, true, tq)) tokens_[size_t(tq)]--;
    if (insn.pop_next_dep && pop_queue(s, false, tq)) tokens_[size_t(tq)]--;
    execute(s, insn, idx);
    if (insn.push_prev_dep && push_queue(s, true, tq)) tokens_[size_t(tq)]++;
    if (insn.push_next_dep && push_queue(s, false, tq)) tokens_[size_t(tq)]++;
    q.pop_front();
    if (insn.opcode == Opcode::Finish) finished = true;
    return true;
  }

  void execute(Stage, const Insn& insn, size_t idx) {
    switch (insn.opcode) {
      case Opcode::Load: {
        core_.check_memory(insn, idx, image_.dram.size(), image_.bases);
        const DramRows r = core_.dram_rows(insn, image_.bases);
        core_.load(insn, image_.dram.data() + (r.rows ? r.addr : 0), r.stride_bytes);
        break;
      }
      case Opcode::Store: {
        core_.check_memory(insn, idx, image_.dram.size(), image_.bases);
        const DramRows r = core_.dram_rows(insn, image_.bases);
        core_.store(insn, image_.dram.data() + (r.rows ? r.addr : 0), r.stride_bytes);
        break;
      }
      case Opcode::Gemm: core_.gemm(insn, idx); break;
      case Opcode::Alu: core_.alu(insn, idx); break;
      case Opcode::Finish: core_.account(insn); break;
    }
  }

  [[noreturn]] void report_deadlock() const {
    std::ostringstream msg;
    msg << "deadlock: no module can proceed and FINISH has not run;";
    for (Stage s : {Stage::Load, Stage::Compute, Stage::Store}) {
      const auto& q = cmd_[size_t(s)];
      if (q.empty()) continue;
      const size_t idx = q.front();
      const Insn& insn = program_[idx];
      const Need n = blocker(s, insn);
      msg << " " << stage_name(s) << " ";
      if (n.why) {
        msg << n.why << " " << token_queue_name(n.queue) << " queue";
      } else if (insn.opcode == Opcode::Finish) {
        msg << "holds FINISH while the load or store module still has instructions";
      } else {
        msg << "is ready";
      }
      msg << " at " << insn_ref(insn, idx) << ";";
    }
    if (next_ < program_.size()) {
      msg << " fetch waits for room in the " << stage_name(stage_of(program_[next_], next_))
          << " command queue at instruction " << next_ << ";";
    }
    std::string text = msg.str();
    text.pop_back();
    throw UserError(text);
  }

  void check_leftovers() const {
    std::ostringstream msg;
    for (TokenQueue tq : {TokenQueue::LoadToCompute, TokenQueue::ComputeToLoad, TokenQueue::ComputeToStore,
                          TokenQueue::StoreToCompute}) {
      if (tokens_[size_t(tq)] != 0) {
        msg << (msg.tellp() ? ", " : "") << tokens_[size_t(tq)] << " on " << token_queue_name(tq);
      }
    }
    if (msg.tellp()) {
      throw UserError("tokens left in dependency queues at FINISH: " + msg.str() +
                      " (every push needs a matching pop before the program ends)");
    }
  }

  const HwConfig& cfg_;
  ProgramImage& image_;
  const std::vector<Insn>& program_;
  VtaCore core_;
  size_t next_ = 0;
  std::array<std::deque<size_t>, 3> cmd_;
  std::array<uint64_t, 4> tokens_{};
};

}  // namespace

FunctionalResult FunctionalEngine::run(ProgramImage& image) {
  const std::vector<Insn> program = decode_program(image, cfg_.isa());
  check_program_shape(program);
  Scheduler sched(cfg_, image, program);
  return sched.run();
}

}  // namespace vtasim
