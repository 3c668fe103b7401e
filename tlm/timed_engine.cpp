// Timed engine facade (see timed_engine.h).
#include "tlm/timed_engine.h"

#include <iostream>
#include <stdexcept>

#include "tlm/sim_clock.h"
#include "tlm/vta_top.h"

namespace vtasim {

namespace {

// SystemC prints its info and warning reports on stdout; vtasim keeps stdout for results, so they go
// to stderr instead. Errors keep SystemC's default handling (they throw).
void report_to_stderr(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
  if (report.get_severity() <= sc_core::SC_WARNING) {
    if (actions & sc_core::SC_DISPLAY) {
      std::cerr << "systemc " << (report.get_severity() == sc_core::SC_INFO ? "info" : "warning") << ": "
                << report.get_msg() << "\n";
    }
    return;
  }
  sc_core::sc_report_handler::default_handler(report, actions);
}

}  // namespace

struct TimedEngine::Impl {
  Impl(const HwConfig& cfg, const Options& o) : options(o), top("vta", cfg, o.vcd_file) {}
  Options options;
  VtaTop top;
};

TimedEngine::TimedEngine(const HwConfig& cfg, Options options) {
  static bool created = false;
  if (created) throw std::logic_error("only one timed engine per process (SystemC elaborates once)");
  created = true;
  if (!cycle_units_hold()) throw std::logic_error("SystemC's time resolution is not 1 ps (tlm/sim_clock.h assumes it)");
  sc_core::sc_report_handler::set_handler(&report_to_stderr);
  // The VCD writer's notice about its time unit is expected, not news.
  sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  impl_ = std::make_unique<Impl>(cfg, options);
}

TimedEngine::~TimedEngine() = default;

void TimedEngine::retime(const HwConfig& cfg) { impl_->top.retime(cfg); }

void TimedEngine::set_run_ahead(bool on) { impl_->top.set_run_ahead(on); }

void TimedEngine::set_batch_dma(bool on) { impl_->top.set_batch_dma(on); }

EngineKind TimedEngine::kind() const { return impl_->options.data ? EngineKind::Timed : EngineKind::Timing; }

TimedStats TimedEngine::run_timed(ProgramImage& image, TraceRecorder* trace) {
  return impl_->top.run(image, trace, impl_->options.data);
}

std::optional<TimedStats> TimedEngine::run_timing_only(const ProgramImage& image, const std::vector<Insn>* decoded,
                                                       DataOrder* order) {
  return impl_->top.run_timing(image, decoded, order);
}

EngineRun TimedEngine::run(ProgramImage& image, TraceRecorder* trace) {
  EngineRun r;
  r.timing = run_timed(image, trace);
  r.counters = r.timing->counters;
  return r;
}

}  // namespace vtasim
