// A generic-payload extension every DMA master attaches to its (reused) payload: what kind of bytes
// the transaction carries, which master sent it, how it splits into bursts, and, filled in by the
// DRAM target, when each burst's data crossed the port.
//
// One transaction is a train of bursts a master issues at the same instant: a contiguous range of
// `bytes` split into bursts of `burst_bytes` (the last may be shorter). The port serves them one by
// one, first come first served, exactly as the same bursts sent one transaction each at that instant
// (no simulated time passes between them and no other master can run in between); a train only
// saves the per-transaction overhead; a batch (below) goes further, a run of trains in one transaction.
#pragma once

#include <vector>

#include <tlm>

#include "models/timed_stats.h"
#include "models/timing/dram_model.h"

namespace vtasim {

struct DmaExtension : tlm::tlm_extension<DmaExtension> {
  ByteKind kind = ByteKind::Insn;
  Module master = Module::Fetch;
  uint32_t burst_bytes = 0;        // the train's burst length (every burst but the last)
  std::vector<BurstGrant> grants;  // per burst, in order: when its data crossed the port (absolute cycles)
  // A batch (nothing traced): the payload is the first train of `batch`, and the target serves the
  // trains after it too, in order, while each may issue before `horizon` (no other module can act
  // first), reporting each burst to `batch` and summing them in `totals`. Served exactly as the same
  // trains sent one transaction each: no simulated time passes and no other master runs. A run that
  // moves data gives the transfer's staging buffer (train t's bytes at staging + t.offset; the
  // payload's data pointer stays null); a timing-only run gives none.
  TransferIssue* batch = nullptr;
  Cycles horizon = 0;
  uint8_t* staging = nullptr;
  // A train sent alone by a load, compute or store module's transfer: its place in the staging buffer
  // (for the recorded data order; the data pointer, if any, points there already).
  uint64_t offset = 0;
  // What the interconnect counts of a transaction's bursts. The target sums a batch's here (its grants
  // stay empty: each went to `batch` as it came); the interconnect sums a train's grants itself.
  struct Totals {
    uint64_t bytes = 0, bursts = 0, busy = 0, hit_bytes = 0;
    void add(const BurstGrant& g) {
      bytes += g.bytes, bursts += 1, busy += g.done - g.data_start;
      if (g.cache_hit) hit_bytes += g.bytes;
    }
  } totals;

  tlm::tlm_extension_base* clone() const override { return new DmaExtension(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const DmaExtension&>(other);
  }
};

}  // namespace vtasim
