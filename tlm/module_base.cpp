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
      dma_(socket, who, uint32_t(ctx.cfg.params().max_outstanding)),
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
  for (;;) sc_core::wait(ctx_.halt);
}

}  // namespace vtasim
