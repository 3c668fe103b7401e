// The compile / run / verify loop (see run_layers.h).
#include "runtime/run_layers.h"

#include <algorithm>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "runtime/layer_compiler.h"

namespace vtasim {

std::string first_difference(const Int8Tensor& got, const Int8Tensor& want) {
  if (got.d0 != want.d0 || got.d1 != want.d1 || got.d2 != want.d2 || got.d3 != want.d3) {
    return "the output has a different shape than the reference";
  }
  for (int n = 0; n < want.d0; ++n)
    for (int c = 0; c < want.d1; ++c)
      for (int y = 0; y < want.d2; ++y)
        for (int x = 0; x < want.d3; ++x)
          if (got.at(n, c, y, x) != want.at(n, c, y, x)) {
            std::ostringstream os;
            os << "output (n=" << n << ", c=" << c << ", y=" << y << ", x=" << x << ") is " << int(got.at(n, c, y, x))
               << ", the reference says " << int(want.at(n, c, y, x));
            return os.str();
          }
  return "";
}

std::string default_trace_layer(const RunRequest& request) {
  const auto layers = request.layers();
  const auto smallest =
      std::min_element(layers.begin(), layers.end(), [](const ConvLayer& a, const ConvLayer& b) { return a.macs() < b.macs(); });
  return smallest == layers.end() ? "" : smallest->name;
}

RunOutcome run_layers(const RunRequest& req, Engine& engine, const LayerDone& done) {
  if (engine.kind() != req.engine) {
    throw std::logic_error(std::string("run_layers: the request asks for the ") + engine_kind_name(req.engine) +
                           " engine but was given the " + engine_kind_name(engine.kind()) + " engine");
  }
  req.validate();
  const HwConfig& cfg = req.config;
  const bool with_data = engine_moves_data(req.engine);
  const bool with_time = engine_has_time(req.engine);
  const auto layers = req.layers();

  std::vector<std::unique_ptr<LayerCompiler>> compilers;
  std::vector<std::vector<ConvSchedule>> schedules;
  for (const auto& l : layers) {
    compilers.push_back(make_layer_compiler(l, cfg));
    schedules.emplace_back();
    for (uint32_t t : req.threads) schedules.back().push_back(compilers.back()->choose_schedule(t, req.schedule));
  }

  RunOutcome out;
  for (size_t li = 0; li < layers.size(); ++li) {
    const ConvLayer& layer = layers[li];
    LayerCompiler& lc = *compilers[li];
    // Runs that never look at values get no data and no reference.
    if (with_data) lc.make_data(req.seed);
    else lc.make_zero_data();
    for (size_t ti = 0; ti < req.threads.size(); ++ti) {
      const ConvSchedule& sched = schedules[li][ti];
      CompiledLayer compiled = lc.compile(sched);
      LayerResult r;
      r.layer = layer.name;
      r.threads = req.threads[ti];
      r.count = layer.count;
      r.schedule = sched.source + ": " + sched.describe();
      r.macs = lc.macs();
      r.ops = 2 * r.macs;
      r.timed = with_time;
      const uint64_t insn_bytes = uint64_t(compiled.image.insn_count) * kInsnBytes;
      const bool tracing = with_time && layer.name == req.trace_layer;
      LayerTrace trace{layer.name, r.threads, {}};
      EngineRun run = engine.run(compiled.image, tracing ? &trace.trace : nullptr);
      if (tracing) out.traces.push_back(std::move(trace));
      r.timing = std::move(run.timing);
      if (!r.timing) {
        for (int k = 0; k < kByteKindCount; ++k) r.bytes[k] = run.counters.bytes(ByteKind(k), insn_bytes);
        for (auto b : r.bytes) r.dram_bytes += b;
      }
      r.derive(cfg);
      const std::string diff = with_data ? first_difference(lc.read_output(compiled), lc.reference()) : "";
      r.verified = !with_data ? "n/a" : diff.empty() ? "yes" : "no";
      if (!diff.empty() && out.mismatch.empty()) {
        out.mismatch = "layer " + layer.name + " (" + std::to_string(r.threads) + " thread(s)): " + diff;
      }
      if (done) done(r);
      out.rows.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace vtasim
