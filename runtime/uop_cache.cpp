// Micro-op kernel cache (see uop_cache.h).
#include "runtime/uop_cache.h"

#include <cassert>

namespace vtasim {

uint32_t UopCache::intern(const std::vector<uint32_t>& words) {
  const auto [it, fresh] = ids_.emplace(words, uint32_t(sizes_.size()));
  if (fresh) sizes_.push_back(uint32_t(words.size()));
  return it->second;
}

UopCache::Placement UopCache::place(uint32_t kernel) {
  assert(kernel < sizes_.size() && "place a kernel by the id intern() gave it");
  const auto it = resident_.find(kernel);
  if (it != resident_.end()) {
    ++hits_;
    return {it->second, false};
  }
  ++misses_;
  const uint32_t n = sizes_[kernel];
  assert(n <= depth_ && "kernels larger than the buffer are rejected when they are lowered");
  if (next_ + n > depth_) next_ = 0;  // wrap around
  const uint32_t begin = next_, end = next_ + n;
  for (auto r = resident_.begin(); r != resident_.end();) {
    const uint32_t rb = r->second, re = r->second + sizes_[r->first];
    if (rb < end && begin < re) {
      r = resident_.erase(r);
      ++evictions_;
    } else {
      ++r;
    }
  }
  resident_.emplace(kernel, begin);
  next_ = end;
  return {begin, true};
}

}  // namespace vtasim
