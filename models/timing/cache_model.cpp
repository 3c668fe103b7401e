// Set-associative LRU line cache (see cache_model.h).
#include "models/timing/cache_model.h"

#include <algorithm>

namespace vtasim {

LineCache::LineCache(uint64_t bytes, uint32_t line, uint32_t ways) : assoc_(ways ? ways : 1) {
  while ((uint64_t(1) << line_shift_) < line) ++line_shift_;
  sets_ = line && ways ? bytes / (uint64_t(line) * ways) : 0;
  if (sets_ > 1 && (sets_ & (sets_ - 1)) == 0) set_mask_ = sets_ - 1;
  tags_.assign(sets_ * assoc_, 0);
  gen_.assign(sets_, 0);
}

void LineCache::clear() {
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

bool LineCache::use(uint64_t line) {
  const uint64_t s = set_index(line);
  uint64_t* t = &tags_[s * assoc_];
  if (gen_[s] != generation_) {
    std::fill(t, t + assoc_, 0);
    gen_[s] = generation_;
  }
  const uint64_t key = line + 1;
  if (t[0] == key) return true;  // the most recently used already
  // Where the line is (a bit per way, no early exit: the compiler compares all ways at once).
  uint32_t at = assoc_ - 1;
  bool present = false;
  if (assoc_ == 8) {
    uint32_t m = 0;
    for (uint32_t w = 0; w < 8; ++w) m |= uint32_t(t[w] == key) << w;
    if (m) at = uint32_t(__builtin_ctz(m)), present = true;
  } else {
    for (uint32_t w = 1; w < assoc_; ++w)
      if (t[w] == key) {
        at = w, present = true;
        break;
      }
  }
  // Shift the more recent ones down by one (over the line itself, or over the least recently used,
  // which falls out) and put the line first.
  for (uint32_t w = at; w > 0; --w) t[w] = t[w - 1];
  t[0] = key;
  return present;
}

void LineCache::touch(uint64_t addr, uint32_t bytes) { holds_then_touch(addr, bytes); }

bool LineCache::holds_then_touch(uint64_t addr, uint32_t bytes) {
  if (!enabled() || bytes == 0) return false;
  // Whether all were present before: a line that shares its set with an earlier line of the same
  // request (more lines than sets) is judged before that line was brought in.
  const uint64_t first = addr >> line_shift_, last = (addr + bytes - 1) >> line_shift_;
  if (last - first >= sets_) {
    const bool all = holds(addr, bytes);
    for (uint64_t l = first; l <= last; ++l) use(l);
    return all;
  }
  bool all = true;
  for (uint64_t l = first; l <= last; ++l) all &= use(l);
  return all;
}

}  // namespace vtasim
