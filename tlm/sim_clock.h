// Simulated time in the timed model: one accelerator cycle is one nanosecond of SystemC time, so every
// wait is a whole number of cycles and reports convert cycles to seconds with the configured clock.
// SystemC keeps time in units of its time resolution, 1 ps unless a program changes it (vtasim never
// does; TimedEngine checks), so a cycle is a constant number of units and converting costs no division
// by a value loaded at run time.
#pragma once

#include <cstdint>

#include <systemc>

namespace vtasim {

constexpr uint64_t kTimeUnitsPerCycle = 1000;  // 1 ns at SystemC's default resolution of 1 ps

// Whether SystemC's time resolution is the one kTimeUnitsPerCycle assumes.
inline bool cycle_units_hold() { return sc_core::sc_time(1.0, sc_core::SC_NS).value() == kTimeUnitsPerCycle; }
// The kernel's time read in place (sc_time_stamp() is the same read behind a library call; the modules
// ask for the time several times per instruction).
inline uint64_t now_cycles() { return sc_core::sc_get_curr_simcontext()->time_stamp().value() / kTimeUnitsPerCycle; }
inline sc_core::sc_time cycles(uint64_t n) { return sc_core::sc_time::from_value(n * kTimeUnitsPerCycle); }
inline uint64_t to_cycles(const sc_core::sc_time& t) { return t.value() / kTimeUnitsPerCycle; }

}  // namespace vtasim
