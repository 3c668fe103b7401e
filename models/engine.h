// What runs a program: the untimed functional engine, the timed SystemC/TLM model, or the timed model
// without data (timing only). The run pipeline sees only this interface; the command-line app picks
// the implementation.
#pragma once

#include <optional>
#include <string>

#include "models/counters.h"
#include "models/data_order.h"
#include "models/hw_config.h"
#include "models/program_image.h"
#include "models/timed_stats.h"
#include "models/trace_recorder.h"

namespace vtasim {

enum class EngineKind : uint8_t { Timed, Functional, Timing };
const char* engine_kind_name(EngineKind k);
// "timed", "functional" or "timing"; anything else is a UserError naming the choices. `what` names
// the option or key the text came from (for the message).
EngineKind parse_engine_kind(const std::string& text, const std::string& what);
inline bool engine_moves_data(EngineKind k) { return k != EngineKind::Timing; }
inline bool engine_has_time(EngineKind k) { return k != EngineKind::Functional; }

struct EngineRun {
  ExecCounters counters;
  std::optional<TimedStats> timing;  // set by the timed engines
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual EngineKind kind() const = 0;
  // Runs one program; engines that move data leave the results in image.dram. `trace` (optional)
  // receives the run's events where the engine has time. Throws UserError for a malformed program.
  virtual EngineRun run(ProgramImage& image, TraceRecorder* trace = nullptr) = 0;
  // Takes another configuration for the programs that follow. Only timing parameters may differ (a
  // timed engine is elaborated for one core shape, buffer sizes and queue depths): otherwise a
  // UserError names the parameter.
  virtual void retime(const HwConfig& cfg) = 0;
  // The program on this engine's timing without moving data or tracing (what the schedule search
  // simulates its candidates with; the same as a run on the timing-only engine); nothing for an
  // engine without time. `decoded` (optional): the image's instructions as decode_program gives them.
  // `order` (optional) receives the order in which the run would move data (models/data_order.h):
  // replayed on the program's data image it gives what a timed run with data leaves.
  virtual std::optional<TimedStats> run_timing_only(const ProgramImage& image, const std::vector<Insn>* decoded,
                                                    DataOrder* order = nullptr) = 0;
};

}  // namespace vtasim
