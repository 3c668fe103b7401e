// A set-associative cache of line addresses with least-recently-used replacement, in plain C++: which
// lines a memory request finds present. It keeps tags only (the data stay in the DRAM image), so a
// timing model can ask whether a request hits without the cache holding anything but its state.
#pragma once

#include <cstdint>
#include <vector>

namespace vtasim {

class LineCache {
 public:
  // `bytes` of capacity in `ways`-way sets of `line`-byte lines (line a power of two; bytes a multiple
  // of line * ways). A cache of 0 bytes holds nothing.
  LineCache(uint64_t bytes, uint32_t line, uint32_t ways);

  bool enabled() const { return sets_ > 0; }
  // Whether every line of [addr, addr + bytes) is present (does not change the state).
  bool holds(uint64_t addr, uint32_t bytes) const;
  // Brings every line of [addr, addr + bytes) in (or refreshes it) as the most recently used of its
  // set, evicting the least recently used line of a full set.
  void touch(uint64_t addr, uint32_t bytes);
  void clear();

 private:
  uint64_t set_index(uint64_t line) const { return set_mask_ ? line & set_mask_ : line % sets_; }
  // The way of the set that holds `line`, or -1.
  int find(uint64_t line) const {
    const uint64_t* t = &tag_[set_index(line) * assoc_];
    for (uint32_t w = 0; w < assoc_; ++w)
      if (t[w] == line + 1) return int(w);
    return -1;
  }

  uint32_t line_shift_ = 0;
  uint64_t sets_ = 0;
  uint64_t set_mask_ = 0;  // sets_ - 1 when sets_ is a power of two (then no division per lookup)
  uint32_t assoc_ = 1;
  uint64_t stamp_ = 0;
  std::vector<uint64_t> tag_;   // per way: its line + 1, 0 when empty
  std::vector<uint64_t> used_;  // per way: the stamp of its last use (0: never)
};

}  // namespace vtasim
