// Load / compute / store module (see stage_module.h).
#include "stage_module.h"

#include "compute_timing.h"
#include "errors.h"
#include "sim_clock.h"

namespace vtasim {

namespace {

Module module_of(Stage s) {
  switch (s) {
    case Stage::Load: return Module::Load;
    case Stage::Compute: return Module::Compute;
    case Stage::Store: break;
  }
  return Module::Store;
}

ByteKind byte_kind_of(MemType t) {
  switch (t) {
    case MemType::Uop: return ByteKind::Uop;
    case MemType::Inp: return ByteKind::Inp;
    case MemType::Wgt: return ByteKind::Wgt;
    case MemType::Acc:
    case MemType::Acc8: return ByteKind::Acc;
    case MemType::Out: break;
  }
  return ByteKind::Out;
}

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

StageModule::StageModule(sc_core::sc_module_name name, SimContext& ctx, Queues& queues, Stage stage,
                         bool drive_busy_signal)
    : sc_module(name),
      socket("socket"),
      busy("busy", false),
      ctx_(ctx),
      queues_(queues),
      stage_(stage),
      module_(module_of(stage)),
      drive_busy_(drive_busy_signal),
      dma_(socket, module_of(stage), ctx.cfg.port_bytes_per_cycle(), uint32_t(ctx.cfg.params().max_outstanding)) {
  SC_HAS_PROCESS(StageModule);
  SC_THREAD(main);
}

void StageModule::begin_program(Cycles start) {
  ledger_.start(start);
  instructions_ = 0;
  blocked_ = Activity::WaitCmd;
  current_ = -1;
  dma_.reset();
}

std::string StageModule::blocked_description() const {
  if (blocked_ == Activity::WaitCmd || current_ < 0) return "";
  const Insn& insn = ctx_.program[size_t(current_)];
  std::string what;
  switch (blocked_) {
    case Activity::WaitTokenLoadToCompute: what = "waits for a token on the load->compute queue"; break;
    case Activity::WaitTokenComputeToLoad: what = "waits for a token on the compute->load queue"; break;
    case Activity::WaitTokenComputeToStore: what = "waits for a token on the compute->store queue"; break;
    case Activity::WaitTokenStoreToCompute: what = "waits for a token on the store->compute queue"; break;
    case Activity::FullTokenLoadToCompute: what = "is blocked by the full load->compute queue"; break;
    case Activity::FullTokenComputeToLoad: what = "is blocked by the full compute->load queue"; break;
    case Activity::FullTokenComputeToStore: what = "is blocked by the full compute->store queue"; break;
    case Activity::FullTokenStoreToCompute: what = "is blocked by the full store->compute queue"; break;
    default: what = "is stuck"; break;
  }
  return std::string(module_name(module_)) + " " + what + " at " + insn_ref(insn, size_t(current_));
}

void StageModule::set_busy(bool on) {
  if (drive_busy_) busy.write(on);
}

void StageModule::spend(Cycles n) {
  if (n) sc_core::wait(cycles(n));
  ledger_.charge(Activity::Busy, now_cycles());
}

void StageModule::pop(TokenQueue q) {
  blocked_ = wait_token_activity(q);
  queues_.token_of(q).read();
  ledger_.charge(blocked_, now_cycles());
  const int64_t level = --queues_.token_level[size_t(q)];
  if (ctx_.trace) ctx_.trace->sample(std::string("tokens ") + token_queue_name(q), ctx_.rel(now_cycles()), level);
}

void StageModule::push(TokenQueue q) {
  blocked_ = full_token_activity(q);
  queues_.token_of(q).write(true);
  ledger_.charge(blocked_, now_cycles());
  const int64_t level = ++queues_.token_level[size_t(q)];
  if (ctx_.trace) ctx_.trace->sample(std::string("tokens ") + token_queue_name(q), ctx_.rel(now_cycles()), level);
}

void StageModule::main() {
  auto& cmd = queues_.cmd_of(stage_);
  for (;;) {
    blocked_ = Activity::WaitCmd;
    const uint32_t index = cmd.read();
    ledger_.charge(Activity::WaitCmd, now_cycles());
    const int64_t level = --queues_.cmd_level[size_t(stage_)];
    if (ctx_.trace) ctx_.trace->sample(std::string("commands ") + stage_name(stage_), ctx_.rel(now_cycles()), level);
    current_ = index;
    const Insn& insn = ctx_.program[index];
    try {
      TokenQueue q;
      if (insn.pop_prev_dep && pop_queue(stage_, true, q)) pop(q);
      if (insn.pop_next_dep && pop_queue(stage_, false, q)) pop(q);
      blocked_ = Activity::Busy;
      const Cycles begin = now_cycles();
      set_busy(true);
      execute(insn, index);
      set_busy(false);
      if (ctx_.trace) {
        ctx_.trace->span(track_of(stage_), ctx_.rel(begin), now_cycles() - begin, span_name(insn), index,
                         disassemble(insn));
      }
      if (insn.push_prev_dep && push_queue(stage_, true, q)) push(q);
      if (insn.push_next_dep && push_queue(stage_, false, q)) push(q);
      ++instructions_;
    } catch (const UserError& e) {
      ctx_.fail(e.what());
      for (;;) sc_core::wait(ctx_.halt);
    }
  }
}

void StageModule::dma(const Insn& insn, size_t index, bool write) {
  ctx_.core->check_memory(insn, index, ctx_.image->dram.size(), ctx_.image->bases);
  const DramRows rows = ctx_.core->dram_rows(insn, ctx_.image->bases);
  bursts_.clear();
  const uint32_t max_burst = uint32_t(ctx_.cfg.params().max_burst_beats) * ctx_.cfg.port_bytes_per_cycle();
  split_rows_into_bursts(rows.addr, rows.stride_bytes, rows.rows, rows.row_bytes, max_burst, bursts_);
  uint8_t* staging = nullptr;
  if (ctx_.data) {
    staging_.resize(rows.total_bytes());
    staging = staging_.data();
    if (write) ctx_.core->store(insn, staging, rows.row_bytes);
  }
  const Cycles begin = now_cycles();
  const DmaResult r = dma_.transfer(bursts_, staging, write, byte_kind_of(insn.memory_type));
  // The module's own share of the transfer is its beats; the rest is latency and contention.
  ledger_.charge(Activity::Busy, std::min(begin + r.beats, r.end));
  ledger_.charge(Activity::WaitMemory, r.end);
  if (ctx_.data && !write) ctx_.core->load(insn, staging, rows.row_bytes);
  if (!ctx_.data) ctx_.core->account(insn);
}

void StageModule::execute(const Insn& insn, size_t index) {
  const HwParams& p = ctx_.cfg.params();
  switch (insn.opcode) {
    case Opcode::Load:
      if (insn.is_noop()) {
        ctx_.core->account(insn);
        spend(Cycles(p.noop_cycles));
        return;
      }
      dma(insn, index, false);
      spend(pad_cycles(insn, p));
      return;
    case Opcode::Store:
      if (insn.is_noop()) {
        ctx_.core->account(insn);
        spend(Cycles(p.noop_cycles));
        return;
      }
      dma(insn, index, true);
      return;
    case Opcode::Gemm:
      if (ctx_.data) ctx_.core->gemm(insn, index);
      else ctx_.core->account(insn);
      spend(gemm_cycles(insn, p));
      return;
    case Opcode::Alu:
      if (ctx_.data) ctx_.core->alu(insn, index);
      else ctx_.core->account(insn);
      spend(alu_cycles(insn, p));
      return;
    case Opcode::Finish:
      ctx_.core->account(insn);
      spend(Cycles(p.noop_cycles));
      ctx_.finished = true;
      ctx_.finish_cycle = now_cycles();
      return;
  }
}

}  // namespace vtasim
