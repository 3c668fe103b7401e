// Lower bound on a program's timed cycles (see cycle_bound.h).
#include "models/timing/cycle_bound.h"

#include <algorithm>
#include <array>
#include <limits>

#include "models/checked.h"
#include "models/pipeline.h"
#include "models/timing/compute_timing.h"
#include "models/timing/cache_model.h"
#include "models/timing/dram_model.h"

namespace vtasim {

namespace {

// How long bursts occupy the one port (ticks), and the earliest any data can cross it after its
// request. Occupancy is cached per burst size (a transfer has at most two).
class PortUse {
 public:
  explicit PortUse(const HwConfig& cfg)
      : port_(make_shared_port(cfg, false)),  // probed for a miss; hits are timed below
        max_burst_(cfg.max_burst_bytes()),
        port_bytes_(cfg.port_bytes_per_cycle()),
        cached_(cfg.params().cache_kib > 0),
        hit_latency_(uint64_t(cfg.params().cache_hit_latency) * kTicksPerCycle) {}
  // With a cache: a read that may hit takes at least the smaller of the two latencies and crosses the
  // port at its rate (a hit is not held to dram.gbps).
  bool cached() const { return cached_; }
  uint64_t hit_burst(uint32_t bytes) {
    first_ = std::min(first_, std::min(hit_latency_, latency(false)));
    return uint64_t(beats_for(bytes, port_bytes_)) * kTicksPerCycle;
  }
  uint64_t hit_latency() { return std::min(hit_latency_, latency(false)); }
  uint64_t burst(uint32_t bytes, bool write) {
    Entry& e = cache_[write];
    if (e.bytes[0] == bytes) return e.ticks[0];
    if (e.bytes[1] == bytes) return e.ticks[1];
    const SharedPort::Probe p = port_.probe(0, bytes, write);
    first_ = std::min(first_, p.first_data_ticks);
    e.bytes[1] = e.bytes[0], e.ticks[1] = e.ticks[0];
    e.bytes[0] = bytes, e.ticks[0] = p.occupancy_ticks;
    return p.occupancy_ticks;
  }
  uint64_t first_data() const { return first_; }  // ticks after the request, over every burst seen
  // Ticks from a request to its first data crossing the port (the device's latency).
  uint64_t latency(bool write) {
    if (!latency_known_[write]) {
      latency_[write] = port_.probe(0, max_burst_, write).first_data_ticks;
      latency_known_[write] = true;
    }
    return latency_[write];
  }

 private:
  struct Entry {
    uint32_t bytes[2] = {0, 0};
    uint64_t ticks[2] = {0, 0};
  };
  SharedPort port_;
  uint32_t max_burst_;
  uint32_t port_bytes_;
  bool cached_;
  uint64_t hit_latency_;
  Entry cache_[2];
  uint64_t first_ = std::numeric_limits<uint64_t>::max();
  uint64_t latency_[2] = {0, 0};
  bool latency_known_[2] = {false, false};
};

// Which reads surely miss a cache that starts empty: the first read of a line that no other module
// and no other memory type touches. Such a line is absent until its own module first reads it, and a
// module's bursts reach the port in program order, so that read misses however the modules
// interleave; every other read may hit. Lines are tracked per memory type whose touched lines
// (from its first to its last) overlap no other type's or the instructions'.
class ColdReads {
 public:
  ColdReads(const std::vector<Insn>& program, const MemBases& bases, uint64_t insn_addr, const HwConfig& cfg) {
    while ((uint64_t(1) << shift_) < uint64_t(cfg.params().cache_line)) ++shift_;
    std::array<Span, kTypes + 1> span;  // the memory types, then the instructions (fetch)
    for (size_t i = 0; i < program.size(); ++i) {
      const Insn& insn = program[i];
      if ((insn.opcode != Opcode::Load && insn.opcode != Opcode::Store) || insn.is_noop()) continue;
      const DramRows rows = dram_rows(insn, bases, cfg);
      Span& s = span[size_t(insn.memory_type)];
      const bool huge = rows.rows > 1 && rows.stride_bytes > (uint64_t(1) << 62) / rows.rows;
      const auto last = huge || rows.rows == 0
                            ? std::nullopt
                            : checked_add(rows.addr, uint64_t(rows.rows - 1) * rows.stride_bytes + rows.row_bytes - 1);
      if (rows.wraps || !last) {
        s.used = s.unknown = true;
        continue;
      }
      s.add(rows.addr >> shift_, *last >> shift_, int(stage_of(insn, i)));
    }
    if (!program.empty()) {
      const auto last = checked_add(insn_addr, uint64_t(program.size()) * kInsnBytes - 1);
      if (last) span[kTypes].add(insn_addr >> shift_, *last >> shift_, kStageCount);
      else span[kTypes].used = span[kTypes].unknown = true;
    }
    for (size_t t = 0; t < kTypes; ++t) {
      const Span& s = span[t];
      bool alone = s.used && !s.unknown && !s.multi && s.hi - s.lo < kMaxLines;
      for (size_t u = 0; u <= kTypes && alone; ++u) {
        if (u != t && span[u].used) alone = !span[u].unknown && (span[u].hi < s.lo || span[u].lo > s.hi);
      }
      if (!alone) continue;
      region_[t].lo = s.lo;
      region_[t].seen.assign((s.hi - s.lo) / 64 + 1, 0);
    }
  }

  // Whether the lines of type `t` are touched by one module alone (then its reads are judged).
  bool tracked(MemType t) const { return !region_[size_t(t)].seen.empty(); }
  // Whether a read of [addr, addr + bytes) of type `t` surely misses; its lines count as touched.
  bool miss(MemType t, uint64_t addr, uint32_t bytes) {
    Region& r = region_[size_t(t)];
    if (r.seen.empty() || bytes == 0) return false;
    // The lines' bits, a word at a time (most requests need one).
    bool fresh = false;
    const uint64_t first = (addr >> shift_) - r.lo, last = ((addr + bytes - 1) >> shift_) - r.lo;
    if ((first >> 6) == (last >> 6)) {
      const uint64_t mask = (~uint64_t(0) >> (63 - (last - first))) << (first & 63);
      uint64_t& word = r.seen[first >> 6];
      fresh = (word & mask) != mask;
      word |= mask;
      return fresh;
    }
    for (uint64_t b = first; b <= last;) {
      const uint64_t in_word = std::min<uint64_t>(64 - (b & 63), last - b + 1);
      const uint64_t mask = (in_word == 64 ? ~uint64_t(0) : (uint64_t(1) << in_word) - 1) << (b & 63);
      uint64_t& word = r.seen[b >> 6];
      fresh |= (word & mask) != mask;
      word |= mask;
      b += in_word;
    }
    return fresh;
  }

 private:
  static constexpr size_t kTypes = 6;
  static constexpr uint64_t kMaxLines = uint64_t(1) << 24;
  struct Span {
    uint64_t lo = 0, hi = 0;
    int stage = -1;
    bool used = false;
    bool unknown = false;  // its extent cannot be computed (an address passes 2^64)
    bool multi = false;    // more than one module touches it
    void add(uint64_t a, uint64_t b, int by) {
      if (used && stage != by) multi = true;
      lo = used ? std::min(lo, a) : a;
      hi = used ? std::max(hi, b) : b;
      used = true;
      stage = by;
    }
  };
  struct Region {
    uint64_t lo = 0;
    std::vector<uint64_t> seen;  // one bit per line from lo; empty: not tracked (every read may hit)
  };
  uint32_t shift_ = 0;
  std::array<Region, kTypes> region_;
};

// Which reads surely miss, from a program's ColdBursts (kept with a cached program) or, for a program
// bounded once, worked out as the bound meets its reads (ColdReads: each module's reads reach the
// bound in program order, the order ColdBursts takes them in, so the answers are the same).
struct ColdSource {
  const ColdBursts* bursts = nullptr;
  ColdReads* reads = nullptr;
  bool any() const { return bursts || reads; }
};

// One module's DMA master alone on its own port: the rules of tlm/dma_master.cpp (rows under the
// issue policy, bursts of at most port.max_burst, at most port.outstanding in flight) and of
// SharedPort::serve for a fixed-latency device (data no earlier than the request plus the latency,
// one burst after another), without any other master's traffic.
class SoloDma {
 public:
  SoloDma(const HwConfig& cfg, PortUse& use)
      : use_(use),
        ring_(size_t(cfg.params().max_outstanding), 0),
        max_burst_(cfg.max_burst_bytes()),
        row_cycles_(Cycles(cfg.params().dma_row_cycles)) {}

  // The cycle a transfer (instruction `insn`) started at `now` has all its data across the port.
  // Adds the port time its bursts take at least to `port_ticks`. `cold` (with a cache) tells the reads
  // that surely miss; any other read may hit.
  Cycles transfer(Cycles now, const DramRows& rows, size_t insn, MemType type, DmaPolicy policy, bool write,
                  const ColdSource& cold, uint64_t& port_ticks) {
    const uint64_t latency = use_.latency(write);
    const uint32_t full = rows.row_bytes / max_burst_, tail = rows.row_bytes % max_burst_;
    const uint32_t per_row = full + (tail ? 1 : 0);
    const uint64_t full_ticks = full ? use_.burst(max_burst_, write) : 0, tail_ticks = tail ? use_.burst(tail, write) : 0;
    const bool may_hit = cold.any() && !write;
    const uint64_t hit_latency = may_hit ? use_.hit_latency() : latency;
    const uint64_t full_hit = may_hit && full ? use_.hit_burst(max_burst_) : full_ticks,
                   tail_hit = may_hit && tail ? use_.hit_burst(tail) : tail_ticks;
    // Chosen by index, not by branches (whether a burst misses follows no pattern a predictor learns).
    const uint64_t occupancy_of[4] = {full_hit, full_ticks, tail_hit, tail_ticks};  // [is tail][misses]
    const uint64_t latency_of[2] = {hit_latency, latency};                          // [misses]
    // The state lives in locals for the loop (nothing it stores can then alias it): the port's free
    // time, the window (OutstandingWindow's rule: a burst issues once the one issued `window` bursts
    // before it is done), the clock.
    const auto bursts = [&](auto misses) {  // misses(r, b): 1 if burst b of row r surely misses, else 0
      Cycles at = now, done = now, row_issued = now;
      uint64_t free = free_, ticks = 0;
      Cycles* const ring = ring_.data();
      const size_t window = ring_.size();
      size_t head = head_;
      for (uint32_t r = 0; r < rows.rows; ++r) {
        at = std::max(at, next_row_issue(policy, row_issued, done, row_cycles_));
        for (uint32_t b = 0; b < per_row; ++b) {
          const uint32_t miss = misses(r, b);
          const uint64_t occupancy = occupancy_of[(b >= full) * 2 + miss];
          ticks += occupancy;
          at = std::max(at, ring[head]);
          free = std::max(at * kTicksPerCycle + latency_of[miss], free) + occupancy;
          done = (free + kTicksPerCycle - 1) / kTicksPerCycle;  // never earlier than the last burst's
          ring[head] = done;
          head = head + 1 == window ? 0 : head + 1;
          row_issued = at;
        }
      }
      free_ = free, head_ = head;
      port_ticks += ticks;
      return std::max(at, done);
    };
    if (!may_hit) return bursts([](uint32_t, uint32_t) { return 1u; });
    if (cold.bursts) {
      const uint64_t first = cold.bursts->first_bit(insn);
      return bursts([&](uint32_t r, uint32_t b) { return cold.bursts->bit(first + uint64_t(r) * per_row + b); });
    }
    return bursts([&](uint32_t r, uint32_t b) {
      return uint32_t(cold.reads->miss(type, rows.addr + uint64_t(r) * rows.stride_bytes + uint64_t(b) * max_burst_,
                                       b < full ? max_burst_ : tail));
    });
  }

 private:
  PortUse& use_;
  std::vector<Cycles> ring_;  // the completion of each of the last `window` bursts, oldest at head_
  size_t head_ = 0;
  uint32_t max_burst_;
  Cycles row_cycles_;
  uint64_t free_ = 0;  // ticks: when its port is free again
};

Cycles ticks_to_cycles(uint64_t ticks) { return Cycles((ticks + kTicksPerCycle - 1) / kTicksPerCycle); }

}  // namespace

ColdBursts::ColdBursts(const std::vector<Insn>& program, const MemBases& bases, uint64_t insn_addr, const HwConfig& cfg)
    : cache_bytes_(uint64_t(cfg.params().cache_kib) * 1024),
      ways_(uint32_t(cfg.params().cache_ways)),
      line_(uint32_t(cfg.params().cache_line)),
      max_burst_(cfg.max_burst_bytes()) {
  const ColdReads alone(program, bases, insn_addr, cfg);  // which types' lines one module alone touches
  // Each module's requests alone, in program order (fetch's are left out: fewer lines seen can only
  // leave more lines present, which claims fewer misses).
  std::array<LineCache, kStageCount> own{LineCache(cache_bytes_, line_, ways_), LineCache(cache_bytes_, line_, ways_),
                                         LineCache(cache_bytes_, line_, ways_)};
  uint64_t k = 0;
  first_.reserve(program.size());
  for (size_t i = 0; i < program.size(); ++i) {
    const Insn& insn = program[i];
    first_.push_back(k);
    if ((insn.opcode != Opcode::Load && insn.opcode != Opcode::Store) || insn.is_noop()) continue;
    const DramRows rows = dram_rows(insn, bases, cfg);
    const bool load = insn.opcode == Opcode::Load;
    const uint32_t per_row = rows.row_bytes / max_burst_ + (rows.row_bytes % max_burst_ ? 1 : 0);
    const uint64_t bursts = uint64_t(rows.rows) * per_row;
    if (load) bits_.resize((k + bursts + 63) / 64, 0);
    if (rows.wraps) {  // not executable; its bursts claim nothing
      if (load) k += bursts;
      continue;
    }
    LineCache& cache = own[size_t(stage_of(insn, i))];
    const bool judged = load && alone.tracked(insn.memory_type);
    for (uint32_t r = 0; r < rows.rows; ++r) {
      for (uint32_t b = 0; b < per_row; ++b) {
        const uint64_t addr = rows.addr + uint64_t(r) * rows.stride_bytes + uint64_t(b) * max_burst_;
        const uint32_t n = std::min<uint32_t>(max_burst_, rows.row_bytes - b * max_burst_);
        const bool present = cache.holds_then_touch(addr, n);  // (judged as the lines were before)
        if (judged && !present) bits_[k >> 6] |= uint64_t(1) << (k & 63);
        k += load;
      }
    }
  }
}

bool ColdBursts::fits(const HwConfig& cfg) const {
  return cache_bytes_ == uint64_t(cfg.params().cache_kib) * 1024 && ways_ == uint32_t(cfg.params().cache_ways) &&
         line_ == uint32_t(cfg.params().cache_line) && max_burst_ == cfg.max_burst_bytes();
}

std::optional<CycleBound> cycle_lower_bound(const std::vector<Insn>& program, const MemBases& bases,
                                            uint64_t insn_addr, const HwConfig& cfg, const ColdBursts* known) {
  if (cfg.params().dram_model != "fixed") return std::nullopt;
  const ComputeTiming t = ComputeTiming::of(cfg);
  const size_t n = program.size();
  PortUse port(cfg);
  std::optional<ColdReads> reads;
  ColdSource cold;
  if (port.cached() && known && known->fits(cfg)) cold.bursts = known;
  else if (port.cached()) cold.reads = &reads.emplace(program, bases, insn_addr, cfg);
  uint64_t all_ticks = 0;  // every burst's occupancy

  // Fetch: the instruction bytes cross the port in whole-instruction bursts; instruction i is
  // dispatched no earlier than i + 1 cycles after the first burst arrived.
  const uint32_t insn_burst = std::max<uint32_t>(kInsnBytes, cfg.max_burst_bytes() / kInsnBytes * kInsnBytes);
  Cycles first_fetch = 0;
  if (n) {
    const uint64_t total = uint64_t(n) * kInsnBytes;
    // (With a cache every instruction burst may hit.)
    const auto occupancy = [&](uint32_t bytes) { return port.cached() ? port.hit_burst(bytes) : port.burst(bytes, false); };
    all_ticks += (total / insn_burst) * occupancy(insn_burst);
    if (total % insn_burst) all_ticks += occupancy(uint32_t(total % insn_burst));
    first_fetch = ticks_to_cycles((port.cached() ? port.hit_latency() : port.latency(false)) +
                                  occupancy(uint32_t(std::min<uint64_t>(insn_burst, total))));
  }

  std::array<std::vector<uint32_t>, kStageCount> queue;  // each stage's instructions, in order
  for (size_t i = 0; i < n; ++i) queue[size_t(stage_of(program[i], i))].push_back(uint32_t(i));
  std::array<SoloDma, kStageCount> dma{SoloDma(cfg, port), SoloDma(cfg, port), SoloDma(cfg, port)};
  std::array<Cycles, kStageCount> free{};
  std::array<size_t, kStageCount> next{};
  std::array<std::vector<Cycles>, kTokenQueueCount> pushed;  // when each token was pushed, in order
  std::array<size_t, kTokenQueueCount> popped{};
  Cycles end = 0;

  // Places the next instruction of `s` if the tokens it pops exist; false otherwise.
  const auto step = [&](Stage s) {
    const size_t si = size_t(s);
    const uint32_t index = queue[si][next[si]];
    const Insn& insn = program[index];
    Cycles start = std::max(free[si], first_fetch + index + 1);
    std::array<std::optional<TokenQueue>, 2> pops;
    for (bool prev : {true, false}) {
      const auto q = pop_queue(s, prev);
      if ((prev ? insn.pop_prev_dep : insn.pop_next_dep) && q) pops[prev ? 0 : 1] = q;
    }
    for (const auto& q : pops) {
      if (q && popped[size_t(*q)] >= pushed[size_t(*q)].size()) return false;
    }
    for (const auto& q : pops)
      if (q) start = std::max(start, pushed[size_t(*q)][popped[size_t(*q)]++]);

    Cycles finish = start;
    switch (insn.opcode) {
      case Opcode::Load:
      case Opcode::Store:
        if (insn.is_noop()) {
          finish += t.noop;
        } else {
          const bool write = insn.opcode == Opcode::Store;
          const DramRows rows = dram_rows(insn, bases, cfg);
          finish = dma[si].transfer(start, rows, index, insn.memory_type, dma_policy(cfg, insn.memory_type), write, cold,
                                           all_ticks);
          if (!write) finish += pad_cycles(insn, t);
        }
        break;
      case Opcode::Gemm: finish += gemm_cycles(insn, t); break;
      case Opcode::Alu: finish += alu_cycles(insn, t); break;
      case Opcode::Finish: finish += t.noop; break;
    }
    free[si] = finish;
    end = std::max(end, finish);
    for (bool prev : {true, false}) {
      const auto q = push_queue(s, prev);
      if ((prev ? insn.push_prev_dep : insn.push_next_dep) && q) pushed[size_t(*q)].push_back(finish);
    }
    ++next[si];
    return true;
  };

  for (bool progress = true; progress;) {
    progress = false;
    for (Stage s : kStages) {
      while (next[size_t(s)] < queue[size_t(s)].size() && step(s)) progress = true;
    }
  }
  for (Stage s : kStages)
    if (next[size_t(s)] < queue[size_t(s)].size()) return std::nullopt;

  CycleBound b;
  b.critical_path = end;
  if (all_ticks) b.port = ticks_to_cycles(port.first_data() + all_ticks);
  return b;
}

}  // namespace vtasim
