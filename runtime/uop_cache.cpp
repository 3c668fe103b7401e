// Micro-op kernel cache (see uop_cache.h).
#include "runtime/uop_cache.h"

#include <cassert>

namespace vtasim {

UopCache::Placement UopCache::place(const std::vector<uint32_t>& words) {
  const auto it = resident_.find(words);
  if (it != resident_.end()) {
    ++hits_;
    return {it->second, false};
  }
  ++misses_;
  const uint32_t n = uint32_t(words.size());
  assert(n <= depth_ && "kernels larger than the buffer are rejected when they are lowered");
  if (next_ + n > depth_) next_ = 0;  // wrap around
  const uint32_t begin = next_, end = next_ + n;
  for (auto r = resident_.begin(); r != resident_.end();) {
    const uint32_t rb = r->second, re = r->second + uint32_t(r->first.size());
    if (rb < end && begin < re) {
      r = resident_.erase(r);
      ++evictions_;
    } else {
      ++r;
    }
  }
  resident_.emplace(words, begin);
  next_ = end;
  return {begin, true};
}

}  // namespace vtasim
