// Set-associative LRU line cache (see cache_model.h).
#include "models/timing/cache_model.h"

#include <algorithm>

namespace vtasim {

LineCache::LineCache(uint64_t bytes, uint32_t line, uint32_t ways) : assoc_(ways ? ways : 1) {
  while ((uint64_t(1) << line_shift_) < line) ++line_shift_;
  sets_ = line && ways ? bytes / (uint64_t(line) * ways) : 0;
  if (sets_ > 1 && (sets_ & (sets_ - 1)) == 0) set_mask_ = sets_ - 1;
  tag_.assign(sets_ * assoc_, 0);
  used_.assign(sets_ * assoc_, 0);
}

bool LineCache::holds(uint64_t addr, uint32_t bytes) const {
  if (!enabled() || bytes == 0) return false;
  for (uint64_t l = addr >> line_shift_, last = (addr + bytes - 1) >> line_shift_; l <= last; ++l)
    if (find(l) < 0) return false;
  return true;
}

void LineCache::touch(uint64_t addr, uint32_t bytes) {
  if (!enabled() || bytes == 0) return;
  for (uint64_t l = addr >> line_shift_, last = (addr + bytes - 1) >> line_shift_; l <= last; ++l) {
    const uint64_t base = set_index(l) * assoc_;
    int w = find(l);
    if (w < 0) {  // the empty or least recently used way
      w = 0;
      for (uint32_t k = 1; k < assoc_; ++k)
        if (used_[base + k] < used_[base + uint32_t(w)]) w = int(k);
      tag_[base + uint32_t(w)] = l + 1;
    }
    used_[base + uint32_t(w)] = ++stamp_;
  }
}

void LineCache::clear() {
  std::fill(tag_.begin(), tag_.end(), 0);
  std::fill(used_.begin(), used_.end(), 0);
  stamp_ = 0;
}

}  // namespace vtasim
