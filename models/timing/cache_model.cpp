// Set-associative LRU line cache (see cache_model.h).
#include "models/timing/cache_model.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "models/simd/host_kernels.h"

namespace vtasim {

LineCache::LineCache(uint64_t bytes, uint32_t line, uint32_t ways) : assoc_(ways ? ways : 1) {
  while ((uint64_t(1) << line_shift_) < line) ++line_shift_;
  sets_ = line && ways ? bytes / (uint64_t(line) * ways) : 0;
  if (sets_ > 1 && (sets_ & (sets_ - 1)) == 0) set_mask_ = sets_ - 1;
  keys_.assign(sets_ * assoc_, 0);
  gen_.assign(sets_, generation_);
  eager_ = sets_ * assoc_ <= kEagerLines;
  if (assoc_ == 8 && eager_ && sets_ > 0 && (sets_ & (sets_ - 1)) == 0) touch8_ = simd::best_line_touch8(simd::host_isa());
}

void LineCache::clear() {
  wide_ = false;  // the lines of older generations are never looked at again
  if (eager_) {  // a small model: empty every set now, and lookups need not check generations
    std::fill(keys_.begin(), keys_.end(), 0);
    return;
  }
  if (++generation_ == 0) {  // after 2^32 clears: empty every set for real, once
    std::fill(gen_.begin(), gen_.end(), 0);
    generation_ = 1;
  }
}

void LineCache::renew(uint64_t s) {
  std::fill(&keys_[s * assoc_], &keys_[s * assoc_] + assoc_, 0);
  if (wide_) std::fill(&tags_[s * assoc_], &tags_[s * assoc_] + assoc_, 0);
  gen_[s] = generation_;
}

void LineCache::widen() {
  // Every key held so far is below 2^32: its 32 bits are the whole key.
  tags_.resize(keys_.size());
  std::copy(keys_.begin(), keys_.end(), tags_.begin());
  wide_ = true;
}

bool LineCache::find(uint64_t s, uint64_t key) const {
  if (!eager_ && gen_[s] != generation_) return false;
  const uint32_t* k = &keys_[s * assoc_];
  if (!wide_) {
    if (key >> 32) return false;  // not one of the keys held
    return std::find(k, k + assoc_, uint32_t(key)) != k + assoc_;
  }
  const uint64_t* t = &tags_[s * assoc_];
  for (uint32_t w = 0; w < assoc_; ++w)
    if (t[w] == key) return true;
  return false;
}

bool LineCache::holds(uint64_t addr, uint32_t bytes) const {
  if (!enabled() || bytes == 0) return false;
  for (uint64_t l = addr >> line_shift_, last = (addr + bytes - 1) >> line_shift_; l <= last; ++l)
    if (!find(set_index(l), l + 1)) return false;
  return true;
}

namespace {

#if defined(__SSE2__)
// Per place p of an 8-way set, the lanes 0..p set: the places a line found at p (or coming in, p = 7)
// moves or pushes back.
struct FrontMasks {
  alignas(16) uint32_t lanes[8][8];
  constexpr FrontMasks() : lanes{} {
    for (int p = 0; p < 8; ++p)
      for (int w = 0; w <= p; ++w) lanes[p][w] = ~0u;
  }
};
constexpr FrontMasks kFront;
#endif

}  // namespace

bool LineCache::use_8(uint64_t first, uint64_t last) {
  bool all = true;
  for (uint64_t line = first; line <= last; ++line) {
    const uint64_t s = set_index(line);
    if (!eager_ && gen_[s] != generation_) renew(s);
    uint32_t* k = &keys_[s * 8];
    const uint32_t key = uint32_t(line + 1);
    if (k[0] == key) continue;  // already the most recently used
#if defined(__SSE2__)
    // All eight ways compared at once; the set shifted one place back with the key in front, and the
    // places up to the line's (all eight for a line coming in) taken from that.
    const __m128i want = _mm_set1_epi32(int(key));
    const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(k));
    const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(k + 4));
    const uint32_t m = uint32_t(_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(lo, want)))) |
                       uint32_t(_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(hi, want)))) << 4;
    all &= m != 0;
    const uint32_t p = m ? uint32_t(__builtin_ctz(m)) : 7;
    const __m128i back_lo = _mm_or_si128(_mm_slli_si128(lo, 4), _mm_cvtsi32_si128(int(key)));
    const __m128i back_hi = _mm_or_si128(_mm_slli_si128(hi, 4), _mm_srli_si128(lo, 12));
    const __m128i mask_lo = _mm_load_si128(reinterpret_cast<const __m128i*>(kFront.lanes[p]));
    const __m128i mask_hi = _mm_load_si128(reinterpret_cast<const __m128i*>(kFront.lanes[p] + 4));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(k),
                     _mm_or_si128(_mm_and_si128(mask_lo, back_lo), _mm_andnot_si128(mask_lo, lo)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(k + 4),
                     _mm_or_si128(_mm_and_si128(mask_hi, back_hi), _mm_andnot_si128(mask_hi, hi)));
#else
    uint32_t p = 7;
    for (uint32_t w = 1; w < 8; ++w)
      if (k[w] == key) p = w;
    all &= k[p] == key;
    std::memmove(k + 1, k, p * sizeof(uint32_t));
    k[0] = key;
#endif
  }
  return all;
}

bool LineCache::use_any(uint64_t first, uint64_t last) {
  bool all = true;
  for (uint64_t line = first; line <= last; ++line) {
    const uint64_t s = set_index(line);
    if (!eager_ && gen_[s] != generation_) renew(s);
    const uint64_t key = line + 1;
    if (!wide_ && (key >> 32)) widen();
    uint32_t* k = &keys_[s * assoc_];
    uint64_t* t = wide_ ? &tags_[s * assoc_] : nullptr;
    uint32_t p = 0;
    while (p < assoc_ && (k[p] != uint32_t(key) || (t && t[p] != key))) ++p;
    if (p == assoc_) {  // the last line (or an empty way) falls out
      p = assoc_ - 1;
      all = false;
    }
    std::memmove(k + 1, k, p * sizeof(uint32_t));
    k[0] = uint32_t(key);
    if (t) {
      std::memmove(t + 1, t, p * sizeof(uint64_t));
      t[0] = key;
    }
  }
  return all;
}

bool LineCache::touch_any(uint64_t first, uint64_t last, uint64_t addr, uint32_t bytes) {
  // Whether all were present before: a line that shares its set with an earlier line of the same
  // request (more lines than sets) is judged before that line was brought in.
  const bool judged_first = last - first >= sets_;
  const bool before = judged_first && holds(addr, bytes);
  const bool all = assoc_ == 8 && !wide_ && ((last + 1) >> 32) == 0 ? use_8(first, last) : use_any(first, last);
  return judged_first ? before : all;
}

}  // namespace vtasim
