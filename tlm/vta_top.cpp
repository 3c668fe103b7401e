// The elaborated top and the per-program run loop (see vta_top.h).
#include "tlm/vta_top.h"

#include <stdexcept>

#include "models/errors.h"
#include "tlm/sim_clock.h"

namespace vtasim {

VtaTop::VtaTop(sc_core::sc_module_name name, const HwConfig& cfg, const std::string& vcd_file)
    : sc_module(name),
      cfg_(cfg),
      ctx_(cfg_),
      queues_(uint32_t(cfg.params().cmd_queue_depth), uint32_t(cfg.params().token_queue_depth)),
      interconnect_("interconnect", cfg.max_burst_bytes()),
      dram_("dram", make_shared_port(cfg)),
      fetch_("fetch", ctx_, queues_, !vcd_file.empty()),
      load_("load", ctx_, queues_, Stage::Load, !vcd_file.empty()),
      compute_("compute", ctx_, queues_, Stage::Compute, !vcd_file.empty()),
      store_("store", ctx_, queues_, Stage::Store, !vcd_file.empty()),
      modules_{&fetch_, &load_, &compute_, &store_} {
  for (ModuleBase* m : modules_) m->socket.bind(interconnect_.masters);
  interconnect_.to_dram.bind(dram_.socket);
  if (!vcd_file.empty()) {
    std::string base = vcd_file;
    if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0) base.resize(base.size() - 4);
    vcd_ = sc_core::sc_create_vcd_trace_file(base.c_str());
    vcd_->set_time_unit(1, sc_core::SC_NS);  // one cycle per ns
    for (Module m : kModules) {
      sc_core::sc_trace(vcd_, modules_[size_t(m)]->busy, std::string(module_name(m)) + "_busy");
    }
  }
}

VtaTop::~VtaTop() {
  if (vcd_) sc_core::sc_close_vcd_trace_file(vcd_);
}

void VtaTop::fail(const std::string& msg) {
  broken_ = true;
  throw UserError(msg);
}

std::vector<std::string> VtaTop::blocked_modules() const {
  std::vector<std::string> out;
  for (const ModuleBase* m : modules_) {
    const std::string d = m->blocked_description();
    if (!d.empty()) out.push_back(d);
  }
  return out;
}

void VtaTop::retime(const HwConfig& cfg) {
  const std::string differs = cfg_.structural_difference(cfg);
  if (!differs.empty()) {
    throw UserError(differs + " differs from the configuration the timed model was built for; it shapes the "
                    "hardware, so run it in its own process");
  }
  cfg_ = cfg;
  dram_.set_port(make_shared_port(cfg_));
  interconnect_.set_max_burst(cfg_.max_burst_bytes());
  for (ModuleBase* m : modules_) m->configure_dma();
}

TimedStats VtaTop::run(ProgramImage& image, TraceRecorder* trace, bool data) {
  return run_program(image, data ? &image.dram : nullptr, trace, data, nullptr, nullptr);
}

TimedStats VtaTop::run_timing(const ProgramImage& image, const std::vector<Insn>* decoded, DataOrder* order) {
  return run_program(image, nullptr, nullptr, false, decoded, order);
}

TimedStats VtaTop::run_program(const ProgramImage& image, std::vector<uint8_t>* writable, TraceRecorder* trace,
                               bool data, const std::vector<Insn>* decoded, DataOrder* order) {
  if (broken_) throw UserError("the timed engine stopped at an earlier program error; run again in a new process");
  // Malformed streams are reported before anything runs. A run that moves data decodes the bytes fetch
  // reads again as it goes (a store may have changed them); a timing-only run writes nothing, so fetch
  // takes the instructions decoded here.
  check_memory_budget(cfg_, 2.0 * double(image.insn_count) * sizeof(Insn),
                      "decoding the program's " + std::to_string(image.insn_count) + " instructions");
  std::vector<Insn> own;
  if (!decoded || decoded->size() != image.insn_count) {
    own = decode_program(image, cfg_.isa());
    decoded = &own;
  }
  check_program_shape(*decoded);
  ctx_.decoded = data ? nullptr : decoded;

  const Cycles start = now_cycles();
  ctx_.image = &image;
  ctx_.program.assign(image.insn_count, Insn{});
  ctx_.core = std::make_unique<VtaCore>(cfg_, data);
  ctx_.budget = std::make_unique<WorkBudget>(cfg_);
  ctx_.core->set_budget(ctx_.budget.get());
  ctx_.compute_timing = ComputeTiming::of(cfg_);
  ctx_.data = data;
  ctx_.order = order;
  if (order) order->start(image);
  dram_.record(order);
  ctx_.trace = trace;
  ctx_.start = start;
  ctx_.finished = false;
  ctx_.failed = false;
  ctx_.error.clear();
  // Timing only: the DRAM still holds the image because fetch needs the instruction bytes; the other
  // masters send no data pointers, so no data moves.
  if (data && image.dram_floor != 0) throw std::logic_error("the timed engine moves data: it needs the whole DRAM image");
  dram_.attach(&image.dram, writable, image.dram_floor, image.dram_size());
  dram_.reset_timing(start);
  interconnect_.start_program(start, trace);
  for (ModuleBase* m : modules_) m->begin_program(start);

  ctx_.pending_start = true;
  ctx_.wake[size_t(Module::Fetch)] = start;  // the start wakes fetch
  if (started_) ctx_.start_event.notify(sc_core::SC_ZERO_TIME);
  started_ = true;
  sc_core::sc_start(cycles(Cycles(cfg_.params().watchdog_cycles)), sc_core::SC_EXIT_ON_STARVATION);

  if (ctx_.failed) fail(ctx_.error);
  if (!ctx_.finished) {
    if (sc_core::sc_pending_activity()) {
      std::string where = "cycle " + std::to_string(now_cycles() - start);
      for (const auto& b : blocked_modules()) where += "; " + b;
      fail(watchdog_message(Cycles(cfg_.params().watchdog_cycles), where));
    }
    fail(deadlock_message(blocked_modules()));
  }
  const auto blocked = blocked_modules();
  if (!blocked.empty()) {
    std::string text = "deadlock after FINISH: instructions were left unexecuted";
    for (const auto& b : blocked) text += "; " + b;
    fail(text);
  }
  std::array<uint64_t, kTokenQueueCount> tokens{};
  for (const auto& q : token_queues()) tokens[size_t(q.queue)] = uint64_t(queues_.token_of(q.queue).num_available());
  const std::string left = leftover_tokens_message(tokens);
  if (!left.empty()) fail(left);

  const Cycles end = now_cycles();
  for (ModuleBase* m : modules_) m->end_program(end);

  TimedStats s;
  s.cycles = end - start;
  s.finish_cycle = ctx_.finish_cycle - start;
  for (Module m : kModules) {
    const ModuleBase& mod = *modules_[size_t(m)];
    for (int a = 0; a < kActivityCount; ++a) s.modules[int(m)].activity[a] = mod.ledger().cycles(activity_at(a));
    s.modules[int(m)].instructions = mod.instructions();
  }
  s.port_busy_cycles = interconnect_.port_busy();
  for (int k = 0; k < kByteKindCount; ++k) s.bytes[k] = interconnect_.bytes(ByteKind(k));
  s.bursts = interconnect_.bursts();
  s.cache_hit_bytes = interconnect_.cache_hit_bytes();
  s.counters = ctx_.core->counters();
  ctx_.trace = nullptr;
  return s;
}

}  // namespace vtasim
