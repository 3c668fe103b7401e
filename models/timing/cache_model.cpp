// Set-associative LRU line cache (see cache_model.h).
#include "models/timing/cache_model.h"

#include <algorithm>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vtasim {

LineCache::LineCache(uint64_t bytes, uint32_t line, uint32_t ways) : assoc_(ways ? ways : 1) {
  while ((uint64_t(1) << line_shift_) < line) ++line_shift_;
  sets_ = line && ways ? bytes / (uint64_t(line) * ways) : 0;
  if (sets_ > 1 && (sets_ & (sets_ - 1)) == 0) set_mask_ = sets_ - 1;
  tags_.assign(sets_ * assoc_, 0);
  filter_.assign(sets_ * assoc_, 0);
  if (assoc_ <= kOrderWays) order_.assign(sets_, 0);
  else rank_.assign(sets_ * assoc_, 0);
  gen_.assign(sets_, 0);
  eager_ = sets_ * assoc_ <= kEagerLines;
  if (eager_)
    for (uint64_t s = 0; s < sets_; ++s) renew(s);
}

void LineCache::clear() {
  wide_keys_ = false;  // the lines of older generations are never looked at again
  if (eager_) {  // a small model: empty every set now, and lookups need not check generations
    ++generation_;
    for (uint64_t s = 0; s < sets_; ++s) renew(s);
    return;
  }
  if (++generation_ == 0) {  // after 2^32 clears: empty every set for real, once
    std::fill(gen_.begin(), gen_.end(), 0);
    generation_ = 1;
  }
}

bool LineCache::holds(uint64_t addr, uint32_t bytes) const {
  if (!enabled() || bytes == 0) return false;
  for (uint64_t l = addr >> line_shift_, last = (addr + bytes - 1) >> line_shift_; l <= last; ++l)
    if (find(set_index(l), l) < 0) return false;
  return true;
}

namespace {

constexpr uint64_t kNibbles = 0x1111111111111111ull;

// The position of way `w` in an order word (its 4-bit entries, the first at the bottom): the lowest
// entry equal to `w` (the borrow trick marks the lowest zero nibble of order ^ w exactly).
uint32_t position_of(uint64_t order, uint32_t w) {
  const uint64_t x = order ^ (w * kNibbles);
  return uint32_t(__builtin_ctzll((x - kNibbles) & ~x & (kNibbles << 3))) >> 2;
}

// The ways of an 8-way set whose digest is `d` (a bit per way).
uint32_t digest_matches8(const uint32_t* f, uint32_t d) {
#if defined(__SSE2__)
  const __m128i k = _mm_set1_epi32(int(d));
  const __m128i lo = _mm_cmpeq_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(f)), k);
  const __m128i hi = _mm_cmpeq_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(f + 4)), k);
  return uint32_t(_mm_movemask_ps(_mm_castsi128_ps(lo))) | uint32_t(_mm_movemask_ps(_mm_castsi128_ps(hi))) << 4;
#else
  uint32_t m = 0;
  for (uint32_t w = 0; w < 8; ++w) m |= uint32_t(f[w] == d) << w;
  return m;
#endif
}

// The order word with the way at position `p` (number `w`) moved to the front.
uint64_t to_front(uint64_t order, uint32_t p, uint32_t w) {
  const uint64_t below = (uint64_t(1) << (4 * p)) - 1;      // entries before it
  const uint64_t above = ~((uint64_t(16) << (4 * p)) - 1);  // entries after it (none when p is 15)
  return (order & above) | ((order & below) << 4) | w;
}

}  // namespace

void LineCache::renew(uint64_t s) {
  std::fill(&tags_[s * assoc_], &tags_[s * assoc_] + assoc_, 0);
  std::fill(&filter_[s * assoc_], &filter_[s * assoc_] + assoc_, 0);
  if (assoc_ <= kOrderWays) {  // ways in their own order
    order_[s] = 0xfedcba9876543210ull & (assoc_ == 16 ? ~uint64_t(0) : (uint64_t(1) << (4 * assoc_)) - 1);
  } else {
    for (uint32_t w = 0; w < assoc_; ++w) rank_[s * assoc_ + w] = uint8_t(w);
  }
  gen_[s] = generation_;
}

template <uint32_t Ways>
bool LineCache::use_ordered(uint64_t first, uint64_t last) {
  const uint32_t ways = Ways ? Ways : assoc_;
  bool all = true;
  for (uint64_t line = first; line <= last; ++line) {
    const uint64_t s = set_index(line);
    if (!eager_ && gen_[s] != generation_) renew(s);
    uint64_t* t = &tags_[s * ways];
    const uint32_t* f = &filter_[s * ways];
    const uint64_t key = line + 1;
    const uint32_t d = digest(key);
    // Below 2^32 a key is its own digest: while every key is, a digest that matches is the line.
    const bool exact = !wide_keys_ && (key >> 32) == 0;
    uint64_t& order = order_[s];
    const uint32_t mru = uint32_t(order & 15);
    if (f[mru] == d && (exact || t[mru] == key)) continue;  // already the most recently used
    uint32_t m = 0;  // the ways holding the line (at most one)
    if (Ways == 8) {  // the digests first, then the tag of each way whose digest matched
      m = digest_matches8(f, d);
      if (!exact) {
        for (uint32_t c = m; c; c &= c - 1) {
          const uint32_t w = uint32_t(__builtin_ctz(c));
          if (t[w] != key) m &= ~(1u << w);
        }
      }
    } else {
      for (uint32_t w = 0; w < ways; ++w) m |= uint32_t(t[w] == key) << w;
    }
    uint32_t w, p;
    if (m) {
      w = uint32_t(__builtin_ctz(m));
      p = position_of(order, w);
    } else {  // the least recently used (or an empty way) falls out: the new line takes its way
      p = ways - 1;
      w = uint32_t(order >> (4 * p)) & 15;
      t[w] = key;
      filter_[s * ways + w] = d;
      wide_keys_ |= (key >> 32) != 0;
      all = false;
    }
    order = to_front(order, p, w);
  }
  return all;
}

bool LineCache::use_ranked(uint64_t first, uint64_t last) {
  bool all = true;
  for (uint64_t line = first; line <= last; ++line) {
    const uint64_t s = set_index(line);
    if (gen_[s] != generation_) renew(s);
    uint64_t* t = &tags_[s * assoc_];
    uint8_t* rank = &rank_[s * assoc_];
    int found = find_way(t, line + 1);
    if (found < 0) {  // the least recently used (or an empty way) falls out: the new line takes its way
      found = 0;
      while (rank[found] != assoc_ - 1) ++found;
      t[found] = line + 1;
      filter_[s * assoc_ + uint32_t(found)] = digest(line + 1);
      wide_keys_ |= ((line + 1) >> 32) != 0;
      all = false;
    }
    const uint8_t r = rank[found];
    for (uint32_t i = 0; i < assoc_; ++i) rank[i] = uint8_t(rank[i] + (rank[i] < r));
    rank[found] = 0;
  }
  return all;
}

bool LineCache::holds_then_touch(uint64_t addr, uint32_t bytes) {
  if (!enabled() || bytes == 0) return false;
  // Whether all were present before: a line that shares its set with an earlier line of the same
  // request (more lines than sets) is judged before that line was brought in.
  const uint64_t first = addr >> line_shift_, last = (addr + bytes - 1) >> line_shift_;
  const bool judged_first = last - first >= sets_;
  const bool before = judged_first && holds(addr, bytes);
  const bool all = assoc_ == 8 ? use_ordered<8>(first, last)
                   : assoc_ <= kOrderWays ? use_ordered<0>(first, last)
                                          : use_ranked(first, last);
  return judged_first ? before : all;
}

}  // namespace vtasim
