// Simulation speed of the engines on a large program: a double-buffered blocked GEMM with thousands
// of instructions. Reports instructions and simulated cycles per second of host time.
// Usage: bench_timed [tiles]
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <systemc>

#include "models/functional_engine.h"
#include "tests/test_programs.h"
#include "tlm/timed_engine.h"

using namespace vtasim;

int sc_main(int argc, char** argv) {
  const uint32_t tiles = argc > 1 ? uint32_t(std::atoi(argv[1])) : 4000;
  const HwConfig cfg = HwConfig::defaults();
  const ProgramImage program = test::blocked_gemm_program(cfg, tiles, 16, 4, true);
  std::printf("program: %u instructions (%u tiles of 16 micro-ops x 4)\n", program.insn_count, tiles);

  ProgramImage f = program;
  auto t0 = std::chrono::steady_clock::now();
  FunctionalEngine(cfg).run(f);
  const double tf = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("functional: %.3f s, %.2f M instructions/s\n", tf, program.insn_count / tf / 1e6);

  TimedEngine eng(cfg);
  ProgramImage warm = test::blocked_gemm_program(cfg, 4, 16, 4, true);
  eng.run(warm);  // elaboration and first start out of the measurement
  for (bool trace : {false, true}) {
    ProgramImage t = program;
    TraceRecorder rec;
    t0 = std::chrono::steady_clock::now();
    const TimedStats s = eng.run_timed(t, trace ? &rec : nullptr);
    const double tt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("timed%s: %.3f s, %.2f M instructions/s, %.1f M simulated cycles/s (%llu cycles, %llu bursts)\n",
                trace ? " + trace" : "", tt, program.insn_count / tt / 1e6, double(s.cycles) / tt / 1e6,
                static_cast<unsigned long long>(s.cycles), static_cast<unsigned long long>(s.bursts));
    if (t.dram != f.dram) {
      std::printf("MISMATCH between engines\n");
      return 1;
    }
  }
  return 0;
}
