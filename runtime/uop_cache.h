// The micro-op buffer as a cache of kernels: a kernel already resident costs nothing; otherwise it is
// appended after the last one with a LOAD UOP (its micro-ops written to DRAM once), wrapping to the
// start when the buffer end is reached and evicting every resident kernel it overlaps.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace vtasim {

class UopCache {
 public:
  explicit UopCache(uint32_t depth) : depth_(depth) {}

  struct Placement {
    uint32_t sram_base;  // uop_bgn of the kernel
    bool load_needed;    // a LOAD UOP must bring it in
  };
  // A kernel's identity (its encoded micro-op words): equal words, equal id. A compiler that places
  // one kernel many times interns it once and places it by id, so no placement compares words.
  uint32_t intern(const std::vector<uint32_t>& words);
  // Where the kernel lives; the caller emits the LOAD UOP when needed.
  Placement place(uint32_t kernel);
  Placement place(const std::vector<uint32_t>& words) { return place(intern(words)); }

  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }
  uint64_t evictions() const { return evictions_; }

 private:
  uint32_t depth_;
  uint32_t next_ = 0;
  std::map<std::vector<uint32_t>, uint32_t> ids_;  // kernel -> id
  std::vector<uint32_t> sizes_;                    // per id: micro-ops
  std::map<uint32_t, uint32_t> resident_;          // id -> sram_base
  uint64_t hits_ = 0, misses_ = 0, evictions_ = 0;
};

}  // namespace vtasim
