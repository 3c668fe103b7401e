// Reference conv2d (see reference_conv.h).
#include "reference_conv.h"

#include <algorithm>

namespace vtasim {

Int8Tensor reference_conv2d(const ConvShape& s, const Int8Tensor& in, const Int8Tensor& wt,
                            const std::vector<int32_t>& bias, const Epilogue& ep) {
  const int oh = s.out_h(), ow = s.out_w();
  Int8Tensor out(s.n, s.oc, oh, ow);
  for (int n = 0; n < s.n; ++n) {
    for (int o = 0; o < s.oc; ++o) {
      for (int y = 0; y < oh; ++y) {
        for (int x = 0; x < ow; ++x) {
          int64_t sum = bias.empty() ? 0 : bias[size_t(o)];
          for (int c = 0; c < s.ic; ++c) {
            for (int ky = 0; ky < s.kh; ++ky) {
              const int iy = y * s.stride + ky - s.pad;
              if (iy < 0 || iy >= s.h) continue;
              for (int kx = 0; kx < s.kw; ++kx) {
                const int ix = x * s.stride + kx - s.pad;
                if (ix < 0 || ix >= s.w) continue;
                sum += int64_t(in.at(n, c, iy, ix)) * int64_t(wt.at(o, c, ky, kx));
              }
            }
          }
          const int32_t acc = int32_t(uint32_t(uint64_t(sum)));  // 32-bit wrap, as the accumulator
          // Arithmetic shift right (rounds toward minus infinity); shifts past 31 leave the sign.
          int32_t v = ep.shift >= 31 ? (acc < 0 ? -1 : 0) : (acc >> ep.shift);
          v = std::min(127, std::max(-128, v));
          if (ep.relu) v = std::max(0, v);
          out.at(n, o, y, x) = int8_t(v);
        }
      }
    }
  }
  return out;
}

}  // namespace vtasim
