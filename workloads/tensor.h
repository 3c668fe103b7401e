// Plain host tensors for workloads: int8 activations and weights, int32 biases, in the layouts the
// reference convolution uses (NCHW, OIHW), and deterministic pseudo-random fills.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vtasim {

// A dense row-major tensor with up to four dimensions.
template <typename T>
struct Tensor4 {
  int d0 = 0, d1 = 0, d2 = 0, d3 = 0;
  std::vector<T> data;

  Tensor4() = default;
  Tensor4(int a, int b, int c, int d) : d0(a), d1(b), d2(c), d3(d), data(size_t(a) * b * c * d, T(0)) {}
  T& at(int a, int b, int c, int d) { return data[((size_t(a) * d1 + b) * d2 + c) * d3 + d]; }
  const T& at(int a, int b, int c, int d) const { return data[((size_t(a) * d1 + b) * d2 + c) * d3 + d]; }
  size_t size() const { return data.size(); }
};

using Int8Tensor = Tensor4<int8_t>;
using Int32Tensor = Tensor4<int32_t>;

// SplitMix64: small, fast, and identical on every platform, so a seed names the same data anywhere.
class SeededRng {
 public:
  explicit SeededRng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // The state now, then moves past the next n outputs (as n calls of next() would).
  uint64_t skip(uint64_t n) {
    const uint64_t at = state_;
    state_ += n * 0x9E3779B97F4A7C15ULL;
    return at;
  }
  // Uniform in [lo, hi] (inclusive).
  int32_t uniform(int32_t lo, int32_t hi) {
    return lo + int32_t(next() % uint64_t(int64_t(hi) - lo + 1));
  }

 private:
  uint64_t state_;
};

template <typename T>
void fill_uniform(Tensor4<T>& t, SeededRng& rng, int32_t lo, int32_t hi) {
  for (auto& v : t.data) v = T(rng.uniform(lo, hi));
}

// Every byte uniform over -128..127: the values fill_uniform(t, rng, -128, 127) gives, in the same
// order, and the same state afterwards; eight at a time where the CPU has AVX-512.
void fill_int8(Int8Tensor& t, SeededRng& rng);

}  // namespace vtasim
