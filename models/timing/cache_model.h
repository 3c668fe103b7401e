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
  // The bytes the model of a cache of `lines` lines in `ways`-way sets takes (the configuration
  // limits it).
  static uint64_t model_bytes(uint64_t lines, uint32_t ways) { return lines * 13 + lines / (ways ? ways : 1) * 12; }

  bool enabled() const { return sets_ > 0; }
  // Whether every line of [addr, addr + bytes) is present (does not change the state).
  bool holds(uint64_t addr, uint32_t bytes) const;
  // Whether every line of [addr, addr + bytes) was present; then brings each in (or refreshes it) as
  // the most recently used of its set, evicting the least recently used line of a full set.
  bool holds_then_touch(uint64_t addr, uint32_t bytes);
  // Empties the cache: a small model at once, a large one in constant time (each set is emptied when
  // next used; see kEagerLines).
  void clear();

 private:
  // Set index of a line.
  uint64_t set_index(uint64_t line) const { return set_mask_ ? line & set_mask_ : line % sets_; }
  // The way of set `s` that holds `line`, or -1.
  int find(uint64_t s, uint64_t line) const {
    return gen_[s] == generation_ ? find_way(&tags_[s * assoc_], line + 1) : -1;
  }
  int find_way(const uint64_t* t, uint64_t key) const {
    if (assoc_ == 8) {  // all ways at once (the compiler compares them side by side)
      uint32_t m = 0;
      for (uint32_t w = 0; w < 8; ++w) m |= uint32_t(t[w] == key) << w;
      return m ? __builtin_ctz(m) : -1;
    }
    for (uint32_t w = 0; w < assoc_; ++w)
      if (t[w] == key) return int(w);
    return -1;
  }
  // Makes each line of first..last the most recently used of its set (bringing it in, the least
  // recently used out); returns whether all were present. `Ways`: the associativity when the compiler
  // may know it (0: assoc_, at most kOrderWays).
  template <uint32_t Ways>
  bool use_ordered(uint64_t first, uint64_t last);
  // The same for sets of more than kOrderWays ways.
  bool use_ranked(uint64_t first, uint64_t last);
  // Empties set `s` (of an older generation) for this one.
  void renew(uint64_t s);

  uint32_t line_shift_ = 0;
  uint64_t sets_ = 0;
  uint64_t set_mask_ = 0;  // sets_ - 1 when sets_ is a power of two (then no division per lookup)
  uint32_t assoc_ = 1;
  // Per way, its line (line + 1; 0: empty) and a 32-bit digest of that key (0 for an empty way), which
  // the 8-way lookup compares for all ways at once before it checks the tag that matched (only while
  // keys of 2^32 or more are about: below, a key is its own digest).
  static uint32_t digest(uint64_t key) { return uint32_t(key ^ (key >> 32)); }
  std::vector<uint64_t> tags_;
  std::vector<uint32_t> filter_;
  bool wide_keys_ = false;  // a key of 2^32 or more was brought in since the last clear
  // Per set, the order of recency of its ways: for up to kOrderWays ways one word of 4-bit way
  // numbers, the most recently used first (a line moves to the front with a few shifts and masks); for
  // more, a rank per way (0: the most recently used). A new line replaces the last way in that order,
  // and an empty way is always behind every line.
  static constexpr uint32_t kOrderWays = 16;
  std::vector<uint64_t> order_;  // sets of at most kOrderWays ways
  std::vector<uint8_t> rank_;    // sets of more ways
  // A set whose generation is not the cache's holds nothing. A model of at most kEagerLines lines is
  // emptied whole by clear() (cheaper than checking each set's generation on every lookup); a larger
  // one set by set as lookups reach them.
  static constexpr uint64_t kEagerLines = uint64_t(1) << 16;
  bool eager_ = false;
  std::vector<uint32_t> gen_;
  uint32_t generation_ = 1;
};

}  // namespace vtasim
