// Load / compute / store module (see stage_module.h).
#include "tlm/stage_module.h"

#include "models/timing/compute_timing.h"
#include "models/errors.h"
#include "tlm/sim_clock.h"

namespace vtasim {

namespace {

int track_of(Stage s) {
  switch (s) {
    case Stage::Load: return TraceRecorder::kLoad;
    case Stage::Compute: return TraceRecorder::kCompute;
    case Stage::Store: break;
  }
  return TraceRecorder::kStore;
}

std::string span_name(const Insn& i) {
  if (i.is_noop()) return "NOP";
  if (i.is_memory()) return std::string(opcode_name(i.opcode)) + " " + mem_type_name(i.memory_type);
  if (i.opcode == Opcode::Alu) return std::string("ALU ") + alu_op_name(i.alu_opcode);
  return opcode_name(i.opcode);
}

}  // namespace

StageModule::StageModule(const sc_core::sc_module_name& name, SimContext& ctx, Queues& queues, Stage stage,
                         bool drive_busy_signal)
    : ModuleBase(name, ctx, queues, module_of(stage), Activity::wait_cmd(), drive_busy_signal), stage_(stage) {
  SC_HAS_PROCESS(StageModule);
  SC_THREAD(main);
}

void StageModule::spend(Cycles n) {
  if (n) wait_cycles(n);
  ledger_.charge(Activity::busy(), now_cycles());
}

void StageModule::pop(TokenQueue q) {
  blocked_ = Activity::wait_token(q);
  queue_wait(SimContext::token_queue(q));
  queues_.token_of(q).read();
  queue_done(SimContext::token_queue(q), module_of(token_queue_info(q).from));
  ledger_.charge(blocked_, now_cycles());
  const int64_t level = --queues_.token_level[size_t(q)];
  if (ctx_.trace) ctx_.trace->sample(std::string("tokens ") + token_queue_name(q), ctx_.rel(now_cycles()), level);
}

void StageModule::push(TokenQueue q) {
  blocked_ = Activity::full_token(q);
  queue_wait(SimContext::token_queue(q));
  queues_.token_of(q).write(true);
  queue_done(SimContext::token_queue(q), module_of(token_queue_info(q).to));
  ledger_.charge(blocked_, now_cycles());
  const int64_t level = ++queues_.token_level[size_t(q)];
  if (ctx_.trace) ctx_.trace->sample(std::string("tokens ") + token_queue_name(q), ctx_.rel(now_cycles()), level);
}

void StageModule::main() {
  auto& cmd = queues_.cmd_of(stage_);
  for (;;) {
    blocked_ = Activity::wait_cmd();
    queue_wait(SimContext::cmd_queue(stage_));
    const uint32_t index = cmd.read();
    queue_done(SimContext::cmd_queue(stage_), Module::Fetch);
    ledger_.charge(Activity::wait_cmd(), now_cycles());
    const int64_t level = --queues_.cmd_level[size_t(stage_)];
    if (ctx_.trace) ctx_.trace->sample(std::string("commands ") + stage_name(stage_), ctx_.rel(now_cycles()), level);
    current_ = index;
    const Insn& insn = ctx_.program[index];
    bool failed = false;
    try {
      if (ctx_.budget->out_of_time()) {
        throw UserError(time_limit_message(ctx_.budget->max_seconds(), insn_ref(insn, index)));
      }
      for (bool prev : {true, false}) {
        const auto q = pop_queue(stage_, prev);
        if ((prev ? insn.pop_prev_dep : insn.pop_next_dep) && q) pop(*q);
      }
      blocked_ = Activity::busy();
      const Cycles begin = now_cycles();
      set_busy(true);
      execute(insn, index);
      set_busy(false);
      if (ctx_.trace) {
        ctx_.trace->span(track_of(stage_), ctx_.rel(begin), now_cycles() - begin, span_name(insn), index,
                         disassemble(insn));
      }
      for (bool prev : {true, false}) {
        const auto q = push_queue(stage_, prev);
        if ((prev ? insn.push_prev_dep : insn.push_next_dep) && q) push(*q);
      }
      ++instructions_;
    } catch (const UserError& e) {
      ctx_.fail(e.what());
      failed = true;
    }
    if (failed) halt();
  }
}

void StageModule::dma(const Insn& insn, size_t index, bool write) {
  ctx_.core->check_memory(insn, index, ctx_.image->dram_size(), ctx_.image->bases);
  const DramRows rows = ctx_.core->dram_rows(insn, ctx_.image->bases);
  const uint32_t max_burst = ctx_.cfg.max_burst_bytes();
  RowIssue issue;
  issue.policy = dma_policy(ctx_.cfg, insn.memory_type);
  issue.row_cycles = Cycles(ctx_.cfg.params().dma_row_cycles);
  uint8_t* staging = nullptr;
  if (ctx_.data) {
    staging_.resize(rows.total_bytes());
    staging = staging_.data();
    if (write) ctx_.core->store(insn, staging, rows.row_bytes);
  }
  if (ctx_.order) ctx_.order->begin(stage_, uint32_t(index));
  const Cycles begin = now_cycles();
  const DmaResult r = dma_.transfer(rows, max_burst, issue, staging, write, byte_kind_of(insn.memory_type),
                                    ctx_.batch_dma && !ctx_.trace);
  // The module's own share of the transfer is its per-row work and its beats; the rest is latency,
  // round trips and contention.
  ledger_.charge(Activity::busy(), std::min(begin + r.overhead + r.beats, r.end));
  ledger_.charge(Activity::wait_memory(), r.end);
  if (ctx_.order && !write) ctx_.order->load_end(stage_, uint32_t(index));
  if (ctx_.data && !write) ctx_.core->load(insn, staging, rows.row_bytes);
  if (!ctx_.data) ctx_.core->account(insn);
}

void StageModule::execute(const Insn& insn, size_t index) {
  const ComputeTiming& t = ctx_.compute_timing;
  switch (insn.opcode) {
    case Opcode::Load:
      if (insn.is_noop()) {
        ctx_.core->account(insn);
        spend(t.noop);
        return;
      }
      dma(insn, index, false);
      spend(pad_cycles(insn, t));
      return;
    case Opcode::Store:
      if (insn.is_noop()) {
        ctx_.core->account(insn);
        spend(t.noop);
        return;
      }
      dma(insn, index, true);
      return;
    case Opcode::Gemm:
    case Opcode::Alu: {
      const Cycles n = insn.opcode == Opcode::Gemm ? gemm_cycles(insn, t) : alu_cycles(insn, t);
      // An instruction that alone outlasts the watchdog fails before its arithmetic runs.
      const Cycles limit = Cycles(ctx_.cfg.params().watchdog_cycles);
      if (n > limit || ctx_.rel(now_cycles()) > limit - n) throw UserError(watchdog_message(limit, insn_ref(insn, index)));
      if (ctx_.order) ctx_.order->execute(uint32_t(index));
      if (!ctx_.data) ctx_.core->account(insn);
      else if (insn.opcode == Opcode::Gemm) ctx_.core->gemm(insn, index);
      else ctx_.core->alu(insn, index);
      spend(n);
      return;
    }
    case Opcode::Finish:
      ctx_.core->account(insn);
      spend(t.noop);
      ctx_.finished = true;
      ctx_.finish_cycle = now_cycles();
      return;
  }
}

}  // namespace vtasim
