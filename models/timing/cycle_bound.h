// A proven lower bound on the cycles the timed engine needs for a program, computed in plain C++
// in one pass over the instructions (no SystemC, no data). The schedule search uses it to skip
// candidates that cannot beat the best one simulated so far, so the choice stays exactly what
// simulating every candidate would give.
//
// Why it is a lower bound: the timed model is a max-plus system. Every instruction starts once its
// module is free, its command has been dispatched and the tokens it pops have been pushed; it then
// takes a fixed time (GEMM, ALU, padding, no-ops) or a DMA time that only grows when the shared port
// is busier or the transfer starts later. The bound runs the same rules with every waiting condition
// that can only delay removed or weakened:
//  - each module's DMA master has the port to itself (its own copy, same latency, bandwidth and
//    outstanding window), so no other module's bursts delay it;
//  - command and token queues never fill (a full queue only delays its writer);
//  - fetch dispatches instruction i no earlier than i + 1 cycles after its first burst arrived
//    (it decodes one instruction per cycle).
// By induction over the instructions in dependency order every start and end time of the bound is at
// or before the simulated one. A second, independent bound is the port: all bursts' data phases are
// served one after another, the first not before the smallest latency.
//
// The argument needs a DRAM device whose delivery time never decreases when a request arrives later
// or finds the port busier: true of dram.model "fixed". For any other device the bound is not
// claimed (nullopt), and the search simulates every candidate. With a cache (cache.kib > 0) a read
// may be faster when another burst brought its lines in first, which depends on the interleaving; so
// the bound gives every read that may hit the smaller latency and the port's own rate, and keeps the
// DRAM's latency and bandwidth only for reads that miss in every interleaving: the first read of a
// line no other module touches (the cache starts empty), and, with a program's ColdBursts, also a
// read of such a line that the module's own requests since it last touched the line have pushed out
// (see ColdBursts). Writes always reach the DRAM.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "models/hw_config.h"
#include "models/isa.h"
#include "models/program_image.h"
#include "models/timing/memory_timing.h"

namespace vtasim {

struct CycleBound {
  Cycles critical_path = 0;  // dependency chains with uncontended DMA
  Cycles port = 0;           // every burst through the one port
  Cycles value() const { return critical_path > port ? critical_path : port; }
};

// Which read bursts of a program surely miss the cache: a bit per burst of every load, in row order.
// A burst of lines that only its module touches surely misses when one of its lines is absent from a
// cache of the same shape that sees that module's requests alone, in program order (as the module
// issues them): absent because the module never read it, or because the module itself brought in
// as many other lines of its set since it last touched it as the set has ways. In the real cache the
// other modules' requests fall in between, which can only add lines to a set (never the line itself),
// and a least-recently-used set loses a line once that many others came in after it; so the line is
// absent there too. Working this out is a cache simulation of the program's requests, once per
// program: it depends on the program and on the cache's shape and burst size only, not on timing, so
// the schedule search keeps it with a cached program across design points. (A program bounded once
// is bounded with the first-read rule alone, which needs no simulation.)
class ColdBursts {
 public:
  // `insn_addr`: where the instructions are in DRAM (ProgramImage::insn_addr).
  ColdBursts(const std::vector<Insn>& program, const MemBases& bases, uint64_t insn_addr, const HwConfig& cfg);
  // Whether it holds for this configuration (the same cache size, ways, line and burst size).
  bool fits(const HwConfig& cfg) const;
  // Whether a load's bursts surely miss, a bit each (1: surely misses): instruction `insn`'s first
  // burst is bit first_bit(insn), the others follow row by row.
  uint64_t first_bit(size_t insn) const { return first_[insn]; }
  uint32_t bit(uint64_t k) const { return uint32_t(bits_[k >> 6] >> (k & 63)) & 1; }

 private:
  uint64_t cache_bytes_ = 0;
  uint32_t ways_ = 0, line_ = 0, max_burst_ = 0;
  std::vector<uint64_t> first_;  // per instruction: the bit of its first burst
  std::vector<uint64_t> bits_;
};

// nullopt when the bound is not claimed (see above) or the program cannot finish (a token popped
// that is never pushed: the timed engine reports that deadlock itself).
// `insn_addr`: where the instructions are in DRAM (ProgramImage::insn_addr). `cold` (optional): the
// program's ColdBursts, used where it fits the configuration (else the bound works them out).
std::optional<CycleBound> cycle_lower_bound(const std::vector<Insn>& program, const MemBases& bases,
                                            uint64_t insn_addr, const HwConfig& cfg, const ColdBursts* cold = nullptr);

}  // namespace vtasim
