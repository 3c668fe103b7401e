// Fetch module (see fetch_module.h).
#include "tlm/fetch_module.h"

#include "models/errors.h"
#include "tlm/sim_clock.h"

namespace vtasim {

FetchModule::FetchModule(const sc_core::sc_module_name& name, SimContext& ctx, Queues& queues, bool drive_busy_signal)
    : ModuleBase(name, ctx, queues, Module::Fetch, Activity::idle(), drive_busy_signal) {
  SC_HAS_PROCESS(FetchModule);
  SC_THREAD(main);
}

void FetchModule::main() {
  for (;;) {
    while (!ctx_.pending_start) {
      queue_wait(-1);  // woken by the next program's start, which marks it
      sc_core::wait(ctx_.start_event);
    }
    ctx_.pending_start = false;
    bool failed = false;
    try {
      fetch_program();
    } catch (const UserError& e) {
      ctx_.fail(e.what());
      failed = true;
    }
    if (failed) halt();
    blocked_ = rest_;
    current_ = -1;
  }
}

void FetchModule::fetch_program() {
  const ProgramImage& img = *ctx_.image;
  const Isa& isa = ctx_.cfg.isa();
  const uint32_t n = img.insn_count;
  // Bursts hold whole instructions.
  const uint32_t burst_bytes = std::max<uint32_t>(kInsnBytes, ctx_.cfg.max_burst_bytes() / kInsnBytes * kInsnBytes);
  bursts_.clear();
  split_rows_into_bursts(img.insn_addr, 0, 1, n * kInsnBytes, burst_bytes, bursts_);
  staging_.resize(size_t(n) * kInsnBytes);
  done_.assign(bursts_.size(), 0);

  size_t issued = 0;
  uint32_t next_insn = 0;
  for (size_t k = 0; k < bursts_.size(); ++k) {
    // Prefetch: issue burst k, and every later burst whose outstanding slot is free now.
    while (issued < bursts_.size() && (issued <= k || dma_.slot_free())) {
      done_[issued] = dma_.issue(bursts_[issued], staging_.data(), false, ByteKind::Insn);
      ++issued;
    }
    const Cycles now = now_cycles();
    if (done_[k] > now) sleep_until(done_[k]);
    ledger_.charge(Activity::wait_memory(), now_cycles());
    const uint32_t last = uint32_t((bursts_[k].offset + bursts_[k].bytes) / kInsnBytes);
    for (; next_insn < last; ++next_insn) {
      current_ = next_insn;
      Insn insn;
      try {
        insn = ctx_.decoded ? (*ctx_.decoded)[next_insn]
                            : isa.decode(insn_word_from_bytes(&staging_[size_t(next_insn) * kInsnBytes]));
      } catch (const UserError& e) {
        throw UserError("instruction " + std::to_string(next_insn) + ": " + e.what());
      }
      const Stage s = stage_of(insn, next_insn);
      check_flags(insn, s, next_insn);
      ctx_.program[next_insn] = insn;
      set_busy(true);
      wait_cycles(1);  // decode and dispatch: one instruction per cycle
      ledger_.charge(Activity::busy(), now_cycles());
      set_busy(false);
      blocked_ = Activity::full_cmd(s);
      queue_wait(SimContext::cmd_queue(s));
      queues_.cmd_of(s).write(next_insn);
      queue_done(SimContext::cmd_queue(s), module_of(s));
      ledger_.charge(blocked_, now_cycles());
      blocked_ = Activity::busy();
      const int64_t level = ++queues_.cmd_level[size_t(s)];
      if (ctx_.trace) ctx_.trace->sample(std::string("commands ") + stage_name(s), ctx_.rel(now_cycles()), level);
      ++instructions_;
    }
  }
  ledger_.charge(Activity::idle(), now_cycles());
}

}  // namespace vtasim
