// A set-associative cache of line addresses with least-recently-used replacement, in plain C++: which
// lines a memory request finds present. It keeps tags only (the data stay in the DRAM image), so a
// timing model can ask whether a request hits without the cache holding anything but its state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace vtasim {

// An allocator on 64-byte boundaries: an 8-way set's keys (32 bytes) then never straddle two of the
// host's cache lines (about 6% of the line cache's time where half of them did).
template <typename T>
struct HostLineAligned {
  using value_type = T;
  HostLineAligned() = default;
  template <typename U>
  HostLineAligned(const HostLineAligned<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(64))); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t(64)); }
  template <typename U>
  bool operator==(const HostLineAligned<U>&) const { return true; }
  template <typename U>
  bool operator!=(const HostLineAligned<U>&) const { return false; }
};

class LineCache {
 public:
  // `bytes` of capacity in `ways`-way sets of `line`-byte lines (line a power of two; bytes a multiple
  // of line * ways). A cache of 0 bytes holds nothing.
  LineCache(uint64_t bytes, uint32_t line, uint32_t ways);
  // The bytes the model of a cache of `lines` lines in `ways`-way sets takes at most (the
  // configuration limits it): a 32-bit key per line, a generation per set, and full 64-bit tags once a
  // line numbered 2^32 or beyond is brought in.
  static uint64_t model_bytes(uint64_t lines, uint32_t ways) { return lines * 12 + lines / (ways ? ways : 1) * 4; }

  bool enabled() const { return sets_ > 0; }
  // Whether every line of [addr, addr + bytes) is present (does not change the state).
  bool holds(uint64_t addr, uint32_t bytes) const;
  // Whether every line of [addr, addr + bytes) was present; then brings each in (or refreshes it) as
  // the most recently used of its set, evicting the least recently used line of a full set.
  bool holds_then_touch(uint64_t addr, uint32_t bytes) {
    if (!enabled() || bytes == 0) return false;
    const uint64_t first = addr >> line_shift_, last = (addr + bytes - 1) >> line_shift_;
    // (Inline for the common case: 8 ways, fewer lines than sets, every key below 2^32.)
    if (assoc_ == 8 && !wide_ && ((last + 1) >> 32) == 0 && last - first < sets_)
      return touch8_ ? touch8_(keys_.data(), set_mask_, first, last) : use_8(first, last);
    return touch_any(first, last, addr, bytes);
  }
  // Empties the cache: a small model at once, a large one in constant time (each set is emptied when
  // next used; see kEagerLines).
  void clear();

 private:
  // Set index of a line.
  uint64_t set_index(uint64_t line) const { return set_mask_ ? line & set_mask_ : line % sets_; }
  // Whether set `s` holds `key` (line + 1).
  bool find(uint64_t s, uint64_t key) const;
  // Makes each line of first..last the most recently used of its set (bringing it in, the least
  // recently used out); returns whether all were present.
  bool use_8(uint64_t first, uint64_t last);  // 8-way sets, every key below 2^32 (the common case)
  bool use_any(uint64_t first, uint64_t last);
  // holds_then_touch() for every other case.
  bool touch_any(uint64_t first, uint64_t last, uint64_t addr, uint32_t bytes);
  // Starts keeping full tags: a key of 2^32 or more is about to be brought in.
  void widen();
  // Empties set `s` (of an older generation) for this one.
  void renew(uint64_t s);

  uint32_t line_shift_ = 0;
  uint64_t sets_ = 0;
  uint64_t set_mask_ = 0;  // sets_ - 1 when sets_ is a power of two (then no division per lookup)
  uint32_t assoc_ = 1;
  // The SIMD step for 8-way sets (models/simd/host_kernels.h) where the CPU has one, the sets are a
  // power of two and emptied at once (no generations to check); else use_8.
  bool (*touch8_)(uint32_t* keys, uint64_t set_mask, uint64_t first, uint64_t last) = nullptr;
  // Per set, its ways in order of recency, the most recently used first: each way's key (line + 1; 0:
  // empty) cut to 32 bits. Empty ways are always behind every line, and a line that moves to the front
  // or comes in pushes the ways before its place one back (the last one out, when it comes in). While
  // every key is below 2^32 (wide_ false) a way's 32 bits are its key; once a larger key comes in,
  // tags_ keeps the full keys in the same places, and a match needs both.
  std::vector<uint32_t, HostLineAligned<uint32_t>> keys_;
  std::vector<uint64_t> tags_;  // empty until the first wide key
  bool wide_ = false;           // a key of 2^32 or more was brought in since the last clear
  // A set whose generation is not the cache's holds nothing. A model of at most kEagerLines lines is
  // emptied whole by clear() (cheaper than checking each set's generation on every lookup); a larger
  // one set by set as lookups reach them.
  static constexpr uint64_t kEagerLines = uint64_t(1) << 16;
  bool eager_ = false;
  std::vector<uint32_t> gen_;
  uint32_t generation_ = 1;
};

}  // namespace vtasim
