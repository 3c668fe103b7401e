// The elaborated top and the per-program run loop (see vta_top.h).
#include "vta_top.h"

#include "errors.h"
#include "sim_clock.h"

namespace vtasim {

namespace {

std::unique_ptr<DramTimingModel> dram_timing(const HwConfig& cfg) {
  const double cap = cfg.params().dram_gbps > 0 ? cfg.mem_bytes_per_cycle() : 0;
  return std::make_unique<BandwidthLatencyModel>(cfg.port_bytes_per_cycle(), Cycles(cfg.params().dram_latency), cap);
}

}  // namespace

VtaTop::VtaTop(sc_core::sc_module_name name, const HwConfig& cfg, const std::string& vcd_file)
    : sc_module(name),
      cfg_(cfg),
      ctx_(cfg_),
      queues_(uint32_t(cfg.params().cmd_queue_depth), uint32_t(cfg.params().token_queue_depth)),
      interconnect_("interconnect", uint32_t(cfg.params().max_burst_beats) * cfg.port_bytes_per_cycle()),
      dram_("dram", dram_timing(cfg)),
      fetch_("fetch", ctx_, queues_, !vcd_file.empty()),
      load_("load", ctx_, queues_, Stage::Load, !vcd_file.empty()),
      compute_("compute", ctx_, queues_, Stage::Compute, !vcd_file.empty()),
      store_("store", ctx_, queues_, Stage::Store, !vcd_file.empty()) {
  fetch_.socket.bind(interconnect_.masters);
  load_.socket.bind(interconnect_.masters);
  compute_.socket.bind(interconnect_.masters);
  store_.socket.bind(interconnect_.masters);
  interconnect_.to_dram.bind(dram_.socket);
  if (!vcd_file.empty()) {
    std::string base = vcd_file;
    if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0) base.resize(base.size() - 4);
    vcd_ = sc_core::sc_create_vcd_trace_file(base.c_str());
    vcd_->set_time_unit(1, sc_core::SC_NS);  // one cycle per ns
    sc_core::sc_trace(vcd_, fetch_.busy, "fetch_busy");
    sc_core::sc_trace(vcd_, load_.busy, "load_busy");
    sc_core::sc_trace(vcd_, compute_.busy, "compute_busy");
    sc_core::sc_trace(vcd_, store_.busy, "store_busy");
  }
}

VtaTop::~VtaTop() {
  if (vcd_) sc_core::sc_close_vcd_trace_file(vcd_);
}

void VtaTop::fail(const std::string& msg) {
  broken_ = true;
  throw UserError(msg);
}

std::string VtaTop::blocked_modules() const {
  std::string out;
  for (const std::string& d : {fetch_.blocked_description(), load_.blocked_description(),
                               compute_.blocked_description(), store_.blocked_description()}) {
    if (!d.empty()) out += " " + d + ";";
  }
  if (!out.empty()) out.pop_back();
  return out;
}

TimedStats VtaTop::run(ProgramImage& image, TraceRecorder* trace, bool data) {
  if (broken_) throw UserError("the timed engine stopped at an earlier program error; run again in a new process");
  // Malformed streams are reported before anything runs (fetch decodes them again as it goes).
  check_program_shape(decode_program(image, cfg_.isa()));

  const Cycles start = now_cycles();
  ctx_.image = &image;
  ctx_.program.assign(image.insn_count, Insn{});
  ctx_.core = std::make_unique<VtaCore>(cfg_);
  ctx_.data = data;
  ctx_.trace = trace;
  ctx_.start = start;
  ctx_.finished = false;
  ctx_.failed = false;
  ctx_.error.clear();
  // Timing only: the DRAM still holds the image because fetch needs the instruction bytes; the other
  // masters send no data pointers, so no data moves.
  dram_.attach(&image.dram, image.dram.size());
  dram_.reset_timing();
  interconnect_.start_program(start, trace);
  fetch_.begin_program(start);
  load_.begin_program(start);
  compute_.begin_program(start);
  store_.begin_program(start);

  ctx_.pending_start = true;
  if (started_) ctx_.start_event.notify(sc_core::SC_ZERO_TIME);
  started_ = true;
  sc_core::sc_start(cycles(Cycles(cfg_.params().watchdog_cycles)), sc_core::SC_EXIT_ON_STARVATION);

  if (ctx_.failed) fail(ctx_.error);
  if (!ctx_.finished) {
    if (sc_core::sc_pending_activity()) {
      fail("watchdog: the program was still running after " + std::to_string(cfg_.params().watchdog_cycles) +
           " cycles (sim.watchdog); raise it for longer programs");
    }
    fail("deadlock: no module can proceed and FINISH has not run;" + blocked_modules());
  }
  const std::string blocked = blocked_modules();
  if (!blocked.empty()) fail("deadlock after FINISH: instructions were left unexecuted;" + blocked);
  std::string left;
  for (TokenQueue q : {TokenQueue::LoadToCompute, TokenQueue::ComputeToLoad, TokenQueue::ComputeToStore,
                       TokenQueue::StoreToCompute}) {
    const int n = queues_.token_of(q).num_available();
    if (n) left += (left.empty() ? "" : ", ") + std::to_string(n) + " on " + token_queue_name(q);
  }
  if (!left.empty()) {
    fail("tokens left in dependency queues at FINISH: " + left + " (every push needs a matching pop before the program ends)");
  }

  const Cycles end = now_cycles();
  fetch_.end_program(end);
  load_.end_program(end);
  compute_.end_program(end);
  store_.end_program(end);

  TimedStats s;
  s.cycles = end - start;
  s.finish_cycle = ctx_.finish_cycle - start;
  const struct {
    Module m;
    const ActivityLedger* ledger;
    uint64_t insns;
  } mods[] = {{Module::Fetch, &fetch_.ledger(), fetch_.instructions()},
              {Module::Load, &load_.ledger(), load_.instructions()},
              {Module::Compute, &compute_.ledger(), compute_.instructions()},
              {Module::Store, &store_.ledger(), store_.instructions()}};
  for (const auto& x : mods) {
    for (int a = 0; a < kActivityCount; ++a) s.modules[int(x.m)].activity[a] = x.ledger->cycles(Activity(a));
    s.modules[int(x.m)].instructions = x.insns;
  }
  s.port_busy_cycles = interconnect_.port_busy();
  for (int k = 0; k < kByteKindCount; ++k) s.bytes[k] = interconnect_.bytes(ByteKind(k));
  s.bursts = interconnect_.bursts();
  s.counters = ctx_.core->counters();
  ctx_.trace = nullptr;
  return s;
}

}  // namespace vtasim
