// Shared module shell (see module_base.h).
#include "tlm/module_base.h"

namespace vtasim {

ModuleBase::ModuleBase(const sc_core::sc_module_name& name, SimContext& ctx, Queues& queues, Module who, Activity rest,
                       bool drive_busy_signal)
    : sc_module(name),
      socket("socket"),
      busy("busy", false),
      ctx_(ctx),
      queues_(queues),
      module_(who),
      rest_(rest),
      drive_busy_(drive_busy_signal),
      dma_(socket, who, uint32_t(ctx.cfg.params().max_outstanding), *this),
      blocked_(rest) {}

void ModuleBase::begin_program(Cycles start) {
  ledger_.start(start);
  instructions_ = 0;
  blocked_ = rest_;
  current_ = -1;
  dma_.reset();
}

std::string ModuleBase::blocked_description() const {
  const ActivityKind k = blocked_.kind;
  if (current_ < 0 || (k != ActivityKind::WaitToken && k != ActivityKind::FullToken && k != ActivityKind::FullCmd)) {
    return "";
  }
  return blocked_message(module_, blocked_, insn_ref(ctx_.program[size_t(current_)], size_t(current_)));
}

void ModuleBase::halt() {
  ctx_.wake[size_t(module_)] = SimContext::kNever;
  ctx_.waits_on[size_t(module_)] = -1;
  for (;;) sc_core::wait(ctx_.halt);
}

void ModuleBase::sleep_until(Cycles t) {
  Cycles& mine = ctx_.wake[size_t(module_)];
  mine = t;
  sc_core::wait(cycles(t - now_cycles()));
  mine = now_cycles();
}

void ModuleBase::queue_wait(int queue) {
  const Cycles now = now_cycles();
  const bool touched_now = queue >= 0 && ctx_.queue_touched[size_t(queue)] == now;
  ctx_.wake[size_t(module_)] = touched_now ? now : SimContext::kNever;
  ctx_.waits_on[size_t(module_)] = queue;
}

void ModuleBase::queue_done(int queue, Module peer) {
  const Cycles now = now_cycles();
  ctx_.wake[size_t(module_)] = now;
  ctx_.waits_on[size_t(module_)] = -1;
  ctx_.queue_touched[size_t(queue)] = now;
  // The peer, if it waits on this queue, may run now.
  if (ctx_.waits_on[size_t(peer)] == queue && ctx_.wake[size_t(peer)] > now) ctx_.wake[size_t(peer)] = now;
}

Cycles ModuleBase::horizon() const {
  if (!ctx_.run_ahead) return 0;
  Cycles h = SimContext::kNever;
  for (Module m : kModules)
    if (m != module_ && ctx_.wake[size_t(m)] < h) h = ctx_.wake[size_t(m)];
  return h;
}

}  // namespace vtasim
