// The untimed engine (scheduling rules in functional_engine.h).
#include "models/functional_engine.h"

#include <array>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/errors.h"
#include "models/limits.h"
#include "models/timing/compute_timing.h"
#include "models/vta_core.h"

namespace vtasim {

namespace {

class Scheduler {
 public:
  Scheduler(const HwConfig& cfg, ProgramImage& image, const std::vector<Insn>& program)
      : cfg_(cfg), image_(image), program_(program), core_(cfg), timing_(ComputeTiming::of(cfg)), budget_(cfg) {
    core_.set_budget(&budget_);
  }

  EngineRun run() {
    bool finished = false;
    while (!finished) {
      bool moved = fetch();
      for (Stage s : kStages) {
        if (try_run(s, finished)) moved = true;
        if (finished) break;
      }
      if (!finished && !moved) report_deadlock();
    }
    check_leftovers();
    EngineRun r;
    r.counters = core_.counters();
    return r;
  }

 private:
  bool fetch() {
    bool moved = false;
    while (next_ < program_.size()) {
      const Stage s = stage_of(program_[next_], next_);
      auto& q = cmd_[size_t(s)];
      if (q.size() >= size_t(cfg_.params().cmd_queue_depth)) break;
      check_flags(program_[next_], s, next_);
      q.push_back(next_++);
      moved = true;
    }
    return moved;
  }

  // What keeps the instruction from running now (a token to pop, room to push), if anything.
  std::optional<Activity> blocker(Stage s, const Insn& insn) const {
    for (bool prev : {true, false}) {
      const auto q = pop_queue(s, prev);
      if ((prev ? insn.pop_prev_dep : insn.pop_next_dep) && q && tokens_[size_t(*q)] == 0) return Activity::wait_token(*q);
    }
    const uint64_t depth = uint64_t(cfg_.params().token_queue_depth);
    // Both pushes may target distinct queues; each needs one free slot.
    for (bool prev : {true, false}) {
      const auto q = push_queue(s, prev);
      if ((prev ? insn.push_prev_dep : insn.push_next_dep) && q && tokens_[size_t(*q)] >= depth) return Activity::full_token(*q);
    }
    return std::nullopt;
  }

  bool try_run(Stage s, bool& finished) {
    auto& q = cmd_[size_t(s)];
    if (q.empty()) return false;
    const size_t idx = q.front();
    const Insn& insn = program_[idx];
    if (blocker(s, insn)) return false;
    if (insn.opcode == Opcode::Finish && !(cmd_[size_t(Stage::Load)].empty() && cmd_[size_t(Stage::Store)].empty())) {
      return false;
    }
    for (bool prev : {true, false}) {
      const auto tq = pop_queue(s, prev);
      if ((prev ? insn.pop_prev_dep : insn.pop_next_dep) && tq) tokens_[size_t(*tq)]--;
    }
    // The same work limits as the timed engines: cycles (estimated here) and wall-clock time.
    if (!budget_.charge(nominal_cycles(insn, cfg_, timing_))) {
      throw UserError(watchdog_message(budget_.limit(), insn_ref(insn, idx)));
    }
    if (budget_.out_of_time()) throw UserError(time_limit_message(budget_.max_seconds(), insn_ref(insn, idx)));
    execute(s, insn, idx);
    for (bool prev : {true, false}) {
      const auto tq = push_queue(s, prev);
      if ((prev ? insn.push_prev_dep : insn.push_next_dep) && tq) tokens_[size_t(*tq)]++;
    }
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
    std::vector<std::string> blocked;
    for (Stage s : kStages) {
      const auto& q = cmd_[size_t(s)];
      if (q.empty()) continue;
      const size_t idx = q.front();
      const Insn& insn = program_[idx];
      if (const auto b = blocker(s, insn)) {
        blocked.push_back(blocked_message(module_of(s), *b, insn_ref(insn, idx)));
      } else if (insn.opcode == Opcode::Finish) {
        blocked.push_back(std::string(stage_name(s)) + " holds FINISH while the load or store module still has "
                          "instructions at " + insn_ref(insn, idx));
      }
    }
    if (next_ < program_.size()) {
      blocked.push_back(blocked_message(Module::Fetch, Activity::full_cmd(stage_of(program_[next_], next_)),
                                        "instruction " + std::to_string(next_)));
    }
    throw UserError(deadlock_message(blocked));
  }

  void check_leftovers() const {
    const std::string left = leftover_tokens_message(tokens_);
    if (!left.empty()) throw UserError(left);
  }

  const HwConfig& cfg_;
  ProgramImage& image_;
  const std::vector<Insn>& program_;
  VtaCore core_;
  ComputeTiming timing_;
  WorkBudget budget_;
  size_t next_ = 0;
  std::array<std::deque<size_t>, 3> cmd_;
  std::array<uint64_t, kTokenQueueCount> tokens_{};
};

}  // namespace

EngineRun FunctionalEngine::run(ProgramImage& image, TraceRecorder*) {
  if (image.dram_floor != 0) throw std::logic_error("the functional engine moves data: it needs the whole DRAM image");
  check_memory_budget(cfg_, double(image.insn_count) * sizeof(Insn), "decoding the program's " +
                                                                        std::to_string(image.insn_count) + " instructions");
  const std::vector<Insn> program = decode_program(image, cfg_.isa());
  check_program_shape(program);
  Scheduler sched(cfg_, image, program);
  return sched.run();
}

}  // namespace vtasim
