// The experiment loop of the run pipeline: for every layer of a request and every thread count,
// choose a schedule, compile the layer into a VTA program, run it on the engine the caller injects
// (functional, timed or timing-only), check the output bit for bit against the operator's reference,
// and return typed results. No SystemC: the engine comes from the caller. A timed run with data of a
// schedule the search simulated replays the order in which that simulation moved data
// (models/data_order.h) instead of simulating it again.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "models/engine.h"
#include "models/trace_recorder.h"
#include "runtime/layer_compiler.h"
#include "runtime/layer_results.h"
#include "runtime/run_request.h"

namespace vtasim {

class SearchCache;

struct LayerTrace {
  std::string layer;
  uint32_t threads = 1;
  TraceRecorder trace;
};

struct RunOutcome {
  std::vector<LayerResult> rows;   // per layer, per thread count, in run order
  std::vector<LayerTrace> traces;  // of the request's trace layer
  std::string mismatch;            // the first output that differs from its reference, "" if none
  std::vector<std::string> notes;  // what the user should know about the run (e.g. idle GEMM rows)
};

// Called after each (layer, thread count) has run: progress reports.
using LayerDone = std::function<void(const LayerResult&)>;

// Every schedule is resolved before anything runs, so a schedule that does not fit stops the run at
// once (UserError naming the layer). `engine` must be of the request's engine kind.
// `cache` (optional): what schedule searches on one hardware shape keep across runs (a sweep worker's
// points); the results are the same with or without it.
RunOutcome run_layers(const RunRequest& request, Engine& engine, const LayerDone& done = {}, SearchCache* cache = nullptr);

// The schedule run_layers gives a layer for `threads` under `cfg`: a fixed schedule as named, an
// automatic one the fastest of the `candidates` best estimates by timing-only simulation on `engine`
// (retimed to `cfg` by the caller). `lc` gets zero data if it has none.
ConvSchedule searched_schedule(LayerCompiler& lc, Engine& engine, const HwConfig& cfg, uint32_t threads,
                               const ScheduleSource& source, size_t candidates);

// The first differing element of two NCHW tensors, described, or "" if they are equal.
std::string first_difference(const Int8Tensor& got, const Int8Tensor& want);

// The layer a run traces for its timeline figure when none is named: the one with the fewest MACs
// (its trace stays small and readable).
std::string default_trace_layer(const RunRequest& request);

}  // namespace vtasim
