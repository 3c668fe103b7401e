// Simulated time in the timed model: one accelerator cycle is one nanosecond of SystemC time, so every
// wait is a whole number of cycles and reports convert cycles to seconds with the configured clock.
#pragma once

#include <cstdint>

#include <systemc>

namespace vtasim {

inline const sc_core::sc_time& cycle_time() {
  static const sc_core::sc_time one(1.0, sc_core::SC_NS);
  return one;
}
inline uint64_t now_cycles() { return sc_core::sc_time_stamp().value() / cycle_time().value(); }
inline sc_core::sc_time cycles(uint64_t n) { return sc_core::sc_time::from_value(n * cycle_time().value()); }
inline uint64_t to_cycles(const sc_core::sc_time& t) { return t.value() / cycle_time().value(); }

}  // namespace vtasim
