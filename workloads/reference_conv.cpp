// Reference conv2d (see reference_conv.h).
#include "workloads/reference_conv.h"

#include <vector>

namespace vtasim {

Int8Tensor reference_conv2d(const ConvShape& s, const Int8Tensor& in, const Int8Tensor& wt,
                            const std::vector<int32_t>& bias, const Epilogue& ep) {
  const int oh = s.out_h(), ow = s.out_w();
  const size_t oc = size_t(s.oc);
  Int8Tensor out(s.n, s.oc, oh, ow);
  // The definition, sum over (c, ky, kx) of input x weight, with the output channels innermost: the
  // weights are regrouped once as [c][ky][kx][o], each output pixel keeps its oc sums side by side,
  // and every input sample is multiplied into all of them at once (a contiguous loop the compiler
  // vectorises; 16-bit operands let it use 16-bit multiplies). 32-bit accumulation wraps like the hardware's, done in unsigned arithmetic.
  std::vector<int16_t> w_by_tap(size_t(s.ic) * size_t(s.kh) * size_t(s.kw) * oc);
  for (int o = 0; o < s.oc; ++o)
    for (int c = 0; c < s.ic; ++c)
      for (int ky = 0; ky < s.kh; ++ky)
        for (int kx = 0; kx < s.kw; ++kx)
          w_by_tap[((size_t(c) * size_t(s.kh) + size_t(ky)) * size_t(s.kw) + size_t(kx)) * oc + size_t(o)] =
              wt.at(o, c, ky, kx);
  std::vector<uint32_t> acc(size_t(oh) * size_t(ow) * oc);
  for (int n = 0; n < s.n; ++n) {
    for (size_t p = 0; p < size_t(oh) * size_t(ow); ++p)
      for (size_t o = 0; o < oc; ++o) acc[p * oc + o] = bias.empty() ? 0u : uint32_t(bias[o]);
    for (int y = 0; y < oh; ++y) {
      for (int x = 0; x < ow; ++x) {
        uint32_t* sums = &acc[(size_t(y) * size_t(ow) + size_t(x)) * oc];
        for (int c = 0; c < s.ic; ++c) {
          for (int ky = 0; ky < s.kh; ++ky) {
            const int iy = y * s.stride + ky - s.pad;
            if (iy < 0 || iy >= s.h) continue;
            for (int kx = 0; kx < s.kw; ++kx) {
              const int ix = x * s.stride + kx - s.pad;
              if (ix < 0 || ix >= s.w) continue;
              const int16_t sample = in.at(n, c, iy, ix);
              const int16_t* w = &w_by_tap[((size_t(c) * size_t(s.kh) + size_t(ky)) * size_t(s.kw) + size_t(kx)) * oc];
              for (size_t o = 0; o < oc; ++o) sums[o] += uint32_t(int32_t(sample) * int32_t(w[o]));
            }
          }
        }
      }
    }
    for (int o = 0; o < s.oc; ++o) {
      for (int y = 0; y < oh; ++y) {
        for (int x = 0; x < ow; ++x) {
          out.at(n, o, y, x) = requantize(int32_t(acc[(size_t(y) * size_t(ow) + size_t(x)) * oc + size_t(o)]), ep);
        }
      }
    }
  }
  return out;
}

}  // namespace vtasim
