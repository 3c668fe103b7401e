// Builds a program's DRAM image: aligned regions for inputs, weights, biases, outputs, micro-ops
// and instructions, in one flat physical space starting at address 0 (VTA's runtime convention).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace vtasim {

class DramBuilder {
 public:
  // Reserves `bytes` at an address aligned to `align` (a power of two); zero-filled.
  uint64_t alloc(uint64_t bytes, uint64_t align) {
    const uint64_t addr = (bytes_.size() + align - 1) / align * align;
    bytes_.resize(addr + bytes, 0);
    return addr;
  }
  template <typename T>
  uint64_t put(const std::vector<T>& values, uint64_t align) {
    const uint64_t addr = alloc(values.size() * sizeof(T), align);
    if (!values.empty()) std::memcpy(&bytes_[addr], values.data(), values.size() * sizeof(T));
    return addr;
  }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

}  // namespace vtasim
