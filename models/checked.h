// Overflow-checked unsigned arithmetic for addresses and sizes that come from user input (program
// images, base addresses, instruction fields): the result, or nothing when it would wrap. Every
// bounds check computes its ends with these, so no input near 2^64 can wrap past it.
#pragma once

#include <cstdint>
#include <optional>

namespace vtasim {

inline std::optional<uint64_t> checked_add(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

inline std::optional<uint64_t> checked_mul(uint64_t a, uint64_t b) {
  uint64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// a * b + c, or nothing.
inline std::optional<uint64_t> checked_mul_add(uint64_t a, uint64_t b, uint64_t c) {
  const auto m = checked_mul(a, b);
  return m ? checked_add(*m, c) : std::nullopt;
}

}  // namespace vtasim
