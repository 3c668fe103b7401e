// The elaborated VTA: fetch, load, compute and store modules, the command and token queues, the
// memory interconnect and the DRAM target, wired once. Programs run on it one after another.
#pragma once

#include <array>
#include <string>
#include <vector>

#include <systemc>

#include "tlm/dram_target.h"
#include "tlm/fetch_module.h"
#include "tlm/memory_interconnect.h"
#include "tlm/queues.h"
#include "tlm/sim_context.h"
#include "tlm/stage_module.h"

namespace vtasim {

class VtaTop : public sc_core::sc_module {
 public:
  // vcd_file: a VCD of the modules' busy signals is written there if not empty.
  VtaTop(sc_core::sc_module_name name, const HwConfig& cfg, const std::string& vcd_file);
  ~VtaTop() override;

  // Runs one program to completion (called between sc_start calls, never from a process).
  // Throws UserError for a malformed program, an out-of-bounds access, a deadlock, tokens left
  // behind, or the watchdog; after such an error this top cannot run another program.
  TimedStats run(ProgramImage& image, TraceRecorder* trace, bool data);
  // The same for a timing-only run, which writes nothing: `decoded` (optional) is the image's
  // instructions as decode_program gives them; `order` (optional) records the order in which a run with
  // data would move data (models/data_order.h).
  TimedStats run_timing(const ProgramImage& image, const std::vector<Insn>* decoded, DataOrder* order = nullptr);
  // New timing parameters for the next programs (see Engine::retime).
  void retime(const HwConfig& cfg);
  void set_run_ahead(bool on) { ctx_.run_ahead = on; }
  void set_batch_dma(bool on) { ctx_.batch_dma = on; }

 private:
  TimedStats run_program(const ProgramImage& image, std::vector<uint8_t>* writable, TraceRecorder* trace, bool data,
                         const std::vector<Insn>* decoded, DataOrder* order);
  [[noreturn]] void fail(const std::string& msg);
  std::vector<std::string> blocked_modules() const;

  HwConfig cfg_;
  SimContext ctx_;
  Queues queues_;
  MemoryInterconnect interconnect_;
  DramTarget dram_;
  FetchModule fetch_;
  StageModule load_;
  StageModule compute_;
  StageModule store_;
  std::array<ModuleBase*, kModuleCount> modules_;  // by Module
  sc_core::sc_trace_file* vcd_ = nullptr;
  bool started_ = false;
  bool broken_ = false;
};

}  // namespace vtasim
