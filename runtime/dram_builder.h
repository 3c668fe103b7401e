// Builds a program's DRAM image: aligned regions for inputs, weights, biases, outputs, micro-ops
// and instructions, in one flat physical space starting at address 0 (VTA's runtime convention).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace vtasim {

class DramBuilder {
 public:
  // `unstored_zeros`: the regions allocated before the first put() stay zero and are not stored (the
  // image's dram_floor); for timing-only compiles, whose data is all zero.
  explicit DramBuilder(bool unstored_zeros = false) : unstored_(unstored_zeros) {}

  // Reserves `bytes` at an address aligned to `align` (a power of two); zero-filled.
  uint64_t alloc(uint64_t bytes, uint64_t align) {
    const uint64_t addr = (size() + align - 1) / align * align;
    if (unstored_) floor_ = addr + bytes;
    else bytes_.resize(addr + bytes - floor_, 0);
    return addr;
  }
  // The same, stored (the floor stops here): for bytes about to be written through at().
  uint64_t alloc_stored(uint64_t bytes, uint64_t align) {
    unstored_ = false;
    return alloc(bytes, align);
  }
  template <typename T>
  uint64_t put(const std::vector<T>& values, uint64_t align) {
    const uint64_t addr = alloc_stored(values.size() * sizeof(T), align);
    if (!values.empty()) std::memcpy(&bytes_[addr - floor_], values.data(), values.size() * sizeof(T));
    return addr;
  }
  // Byte `addr` (at or above the floor).
  uint8_t* at(uint64_t addr) { return &bytes_[addr - floor_]; }
  uint64_t size() const { return floor_ + bytes_.size(); }
  uint64_t floor() const { return floor_; }
  std::vector<uint8_t>& bytes() { return bytes_; }  // from the floor up

 private:
  bool unstored_;
  uint64_t floor_ = 0;
  std::vector<uint8_t> bytes_;
};

}  // namespace vtasim
