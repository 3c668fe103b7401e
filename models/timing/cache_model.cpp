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
  head_.assign(sets_, 0);
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
    head_[s] = 0;
  }
  const uint64_t key = line + 1;
  const uint32_t h = head_[s];
  if (t[h] == key) return true;  // the most recently used already
  const int at = find_way(t, key);
  const auto pos = [&](uint32_t i) { return h + i < assoc_ ? h + i : h + i - assoc_; };  // i-th most recent
  if (at < 0) {  // the least recently used (or an empty way) falls out: the new line takes its way
    const uint32_t lru = pos(assoc_ - 1);
    t[lru] = key;
    head_[s] = uint8_t(lru);
    return false;
  }
  // Move the line to the front: the more recent ones each move one place back.
  uint32_t i = uint32_t(at) >= h ? uint32_t(at) - h : uint32_t(at) + assoc_ - h;
  for (; i > 0; --i) t[pos(i)] = t[pos(i - 1)];
  t[h] = key;
  return true;
}

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
