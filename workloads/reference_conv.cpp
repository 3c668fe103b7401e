// Reference conv2d (see reference_conv.h).
#include "reference_conv.h"

#include <algorithm>
#include <vector>

namespace vtasim {

Int8Tensor reference_conv2d(const ConvShape& s, const Int8Tensor& in, const Int8Tensor& wt,
                            const std::vector<int32_t>& bias, const Epilogue& ep) {
  const int oh = s.out_h(), ow = s.out_w();
  Int8Tensor out(s.n, s.oc, oh, ow);
  // Sums are accumulated one output plane at a time, tap by tap, so the innermost loop runs along an
  // output row (contiguous for stride 1). 32-bit accumulation wraps like the hardware's, done in
  // unsigned arithmetic to stay defined.
  std::vector<uint32_t> plane(size_t(oh) * size_t(ow));
  for (int n = 0; n < s.n; ++n) {
    for (int o = 0; o < s.oc; ++o) {
      const uint32_t b = bias.empty() ? 0u : uint32_t(bias[size_t(o)]);
      std::fill(plane.begin(), plane.end(), b);
      for (int c = 0; c < s.ic; ++c) {
        for (int ky = 0; ky < s.kh; ++ky) {
          for (int kx = 0; kx < s.kw; ++kx) {
            const int32_t w = wt.at(o, c, ky, kx);
            // Output columns whose input column x * stride + kx - pad lies inside the image.
            const int x_lo = std::max(0, (s.pad - kx + s.stride - 1) / s.stride);
            const int x_hi = std::min(ow, (s.w - 1 + s.pad - kx) / s.stride + 1);
            for (int y = 0; y < oh; ++y) {
              const int iy = y * s.stride + ky - s.pad;
              if (iy < 0 || iy >= s.h) continue;
              const int8_t* row = &in.at(n, c, iy, 0);
              uint32_t* acc = &plane[size_t(y) * size_t(ow)];
              for (int x = x_lo; x < x_hi; ++x) {
                acc[x] += uint32_t(w * int32_t(row[x * s.stride + kx - s.pad]));
              }
            }
          }
        }
      }
      for (int y = 0; y < oh; ++y) {
        for (int x = 0; x < ow; ++x) {
          const int32_t acc = int32_t(plane[size_t(y) * size_t(ow) + size_t(x)]);
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
