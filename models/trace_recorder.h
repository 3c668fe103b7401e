// Records what the timed model did, for Chrome/Perfetto trace-event JSON: one track per module and
// one for the memory port, a complete event per instruction and per DMA burst, counter tracks for
// queue occupancies. Plain C++ (no SystemC), and off unless a trace was asked for.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vtasim {

class TraceRecorder {
 public:
  enum Track : int { kFetch = 1, kLoad = 2, kCompute = 3, kStore = 4, kPort = 5 };

  struct Span {
    int track;
    uint64_t start;  // cycles
    uint64_t dur;
    std::string name;
    int64_t insn;       // instruction index, -1 for none
    std::string detail; // disassembly or burst description
  };
  struct Sample {
    std::string counter;
    uint64_t cycle;
    int64_t value;
  };

  void span(int track, uint64_t start, uint64_t dur, std::string name, int64_t insn, std::string detail) {
    spans_.push_back({track, start, dur, std::move(name), insn, std::move(detail)});
  }
  void sample(const std::string& counter, uint64_t cycle, int64_t value) { samples_.push_back({counter, cycle, value}); }

  const std::vector<Span>& spans() const { return spans_; }
  const std::vector<Sample>& samples() const { return samples_; }

  // Trace-event JSON; times in microseconds from cycles at clock_mhz, program label as process name.
  std::string to_json(double clock_mhz, const std::string& process_name) const;

 private:
  std::vector<Span> spans_;
  std::vector<Sample> samples_;
};

}  // namespace vtasim
