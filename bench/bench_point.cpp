// Time per timing-only design point inside one process, as a sweep worker runs them: ResNet-18's
// twelve layers, one thread count, the schedule search of a run (8 candidates per layer), on the Pynq
// board with the DRAM latency changed from point to point (the engine retimed, the search cache kept).
// Start-up, elaboration and the first point are left out; nothing is written.
// Usage: bench_point [points] [config]   (config: a preset name or file, default pynq2018)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <systemc>

#include "runtime/run_layers.h"
#include "runtime/search_cache.h"
#include "tlm/timed_engine.h"

using namespace vtasim;

int sc_main(int argc, char** argv) {
  const int points = argc > 1 ? std::atoi(argv[1]) : 40;
  const std::string config = argc > 2 ? argv[2] : "pynq2018";
  const auto request_for = [&](int latency) {
    RunRequest r;
    r.config = HwConfig::load(config, {"dram.latency=" + std::to_string(latency)});
    r.threads = {1};
    r.engine = EngineKind::Timing;
    return r;
  };
  RunRequest first = request_for(20);
  TimedEngine engine(first.config, TimedEngine::Options{"", false});
  SearchCache cache;
  run_layers(first, engine, nullptr, &cache);  // elaboration and the shape's search cache filled
  double total = 0, best = 1e9;
  uint64_t cycles = 0;
  for (int k = 0; k < points; ++k) {
    const RunRequest r = request_for(21 + k % 80);
    engine.retime(r.config);
    const auto t0 = std::chrono::steady_clock::now();
    const RunOutcome out = run_layers(r, engine, nullptr, &cache);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    total += ms;
    best = std::min(best, ms);
    for (const auto& row : out.rows) cycles += row.timing ? row.timing->cycles : 0;
  }
  std::printf("timing-only design point in a worker (%s, 12 layers, 1 thread, %d points): %.2f ms mean, %.2f ms best"
              " (checksum %llu cycles)\n",
              config.c_str(), points, total / points, best, static_cast<unsigned long long>(cycles));
  return 0;
}
