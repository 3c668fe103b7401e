// Reference conv2d (see reference_conv.h).
#include "reference_conv.h"

#include <algorithm>
#include <vector>

namespace vtasim {

Int8Tensor reference_conv2d(const ConvShape& s, const Int8Tensor& in, const Int8Tensor& wt,
                            const std::vector<int32_t>& bias, const Epilogue& ep) {
  const int oh = s.out_h(), ow = s.out_w();
  Int8Tensor out(s.n, s.oc, oh, ow);
  // All output planes of an image are accumulated together, tap by tap: for each input row and
  // kernel column the input samples an output row needs are gathered once into `taps`, then every
  // output channel adds weight x taps along its row (a contiguous loop the compiler vectorises).
  // 32-bit accumulation wraps like the hardware's, done in unsigned arithmetic to stay defined.
  std::vector<uint32_t> acc(size_t(s.oc) * size_t(oh) * size_t(ow));
  std::vector<int32_t> taps(static_cast<size_t>(ow));
  for (int n = 0; n < s.n; ++n) {
    for (int o = 0; o < s.oc; ++o) {
      const uint32_t b = bias.empty() ? 0u : uint32_t(bias[size_t(o)]);
      std::fill(acc.begin() + int64_t(o) * oh * ow, acc.begin() + int64_t(o + 1) * oh * ow, b);
    }
    for (int c = 0; c < s.ic; ++c) {
      for (int ky = 0; ky < s.kh; ++ky) {
        for (int y = 0; y < oh; ++y) {
          const int iy = y * s.stride + ky - s.pad;
          if (iy < 0 || iy >= s.h) continue;
          for (int kx = 0; kx < s.kw; ++kx) {
            // Output columns whose input column x * stride + kx - pad lies inside the image.
            const int x_lo = std::max(0, (s.pad - kx + s.stride - 1) / s.stride);
            const int x_hi = std::min(ow, (s.w - 1 + s.pad - kx) / s.stride + 1);
            for (int x = x_lo; x < x_hi; ++x) taps[size_t(x)] = in.at(n, c, iy, x * s.stride + kx - s.pad);
            for (int o = 0; o < s.oc; ++o) {
              const int32_t w = wt.at(o, c, ky, kx);
              uint32_t* row = &acc[(size_t(o) * size_t(oh) + size_t(y)) * size_t(ow)];
              for (int x = x_lo; x < x_hi; ++x) row[x] += uint32_t(w * taps[size_t(x)]);
            }
          }
        }
      }
    }
    for (int o = 0; o < s.oc; ++o) {
      for (int y = 0; y < oh; ++y) {
        for (int x = 0; x < ow; ++x) {
          const int32_t v32 = int32_t(acc[(size_t(o) * size_t(oh) + size_t(y)) * size_t(ow) + size_t(x)]);
          // Arithmetic shift right (rounds toward minus infinity); shifts past 31 leave the sign.
          int32_t v = ep.shift >= 31 ? (v32 < 0 ? -1 : 0) : (v32 >> ep.shift);
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
