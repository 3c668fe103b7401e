// Reference operators (see reference_ops.h).
#include "workloads/reference_ops.h"

#include <algorithm>
#include <cmath>

namespace vtasim {

namespace {

int8_t clip8(int64_t v) { return int8_t(std::clamp<int64_t>(v, -128, 127)); }

// The input value at (n, c, y, x) of the padded image: 0 outside.
int32_t padded_at(const Int8Tensor& in, int n, int c, int y, int x) {
  if (y < 0 || x < 0 || y >= in.d2 || x >= in.d3) return 0;
  return in.at(n, c, y, x);
}

}  // namespace

Int8Tensor reference_grouped_conv2d(const ConvShape& s, int groups, const Int8Tensor& input, const Int8Tensor& weights,
                                    const std::vector<int32_t>& bias, const Epilogue& ep) {
  const int oh = s.out_h(), ow = s.out_w(), per_in = s.ic / groups, per_out = s.oc / groups;
  Int8Tensor out(s.n, s.oc, oh, ow);
  for (int n = 0; n < s.n; ++n)
    for (int oc = 0; oc < s.oc; ++oc) {
      const int first_ic = (oc / per_out) * per_in;
      for (int y = 0; y < oh; ++y)
        for (int x = 0; x < ow; ++x) {
          int64_t sum = bias.empty() ? 0 : bias[size_t(oc)];
          for (int ic = first_ic; ic < first_ic + per_in; ++ic)
            for (int ky = 0; ky < s.kh; ++ky)
              for (int kx = 0; kx < s.kw; ++kx) {
                sum += int64_t(padded_at(input, n, ic, y * s.stride + ky - s.pad, x * s.stride + kx - s.pad)) *
                       weights.at(oc, ic, ky, kx);
              }
          out.at(n, oc, y, x) = requantize(int32_t(uint32_t(sum)), ep);  // int32 accumulation
        }
    }
  return out;
}

Int8Tensor reference_maxpool(const ConvShape& s, const Int8Tensor& input) {
  Int8Tensor out(s.n, s.ic, s.out_h(), s.out_w());
  for (int n = 0; n < s.n; ++n)
    for (int c = 0; c < s.ic; ++c)
      for (int y = 0; y < out.d2; ++y)
        for (int x = 0; x < out.d3; ++x) {
          int32_t best = -128;
          for (int ky = 0; ky < s.kh; ++ky)
            for (int kx = 0; kx < s.kw; ++kx)
              best = std::max(best, padded_at(input, n, c, y * s.stride + ky - s.pad, x * s.stride + kx - s.pad));
          out.at(n, c, y, x) = int8_t(best);
        }
  return out;
}

PoolScale avgpool_scale(int window) {
  PoolScale best;
  double best_error = 1e300;
  for (int shift = 0; shift <= 15; ++shift) {
    const int mul = int(std::lround(std::ldexp(1.0, shift) / window));
    if (mul < 1 || mul > 127) continue;
    const double error = std::fabs(double(mul) / std::ldexp(1.0, shift) - 1.0 / window);
    if (error < best_error) {
      best_error = error;
      best = {mul, shift};
    }
  }
  return best;
}

Int8Tensor reference_avgpool(const ConvShape& s, const Int8Tensor& input) {
  const PoolScale k = avgpool_scale(s.kh * s.kw);
  Int8Tensor out(s.n, s.ic, s.out_h(), s.out_w());
  for (int n = 0; n < s.n; ++n)
    for (int c = 0; c < s.ic; ++c)
      for (int y = 0; y < out.d2; ++y)
        for (int x = 0; x < out.d3; ++x) {
          int64_t sum = 0;
          for (int ky = 0; ky < s.kh; ++ky)
            for (int kx = 0; kx < s.kw; ++kx) sum += padded_at(input, n, c, y * s.stride + ky - s.pad, x * s.stride + kx - s.pad);
          out.at(n, c, y, x) = clip8((sum * k.mul) >> k.shift);
        }
  return out;
}

Int8Tensor reference_add(const Int8Tensor& a, const Int8Tensor& b, const Epilogue& ep) {
  Int8Tensor out(a.d0, a.d1, a.d2, a.d3);
  for (size_t i = 0; i < a.data.size(); ++i) {
    int8_t r = clip8((int64_t(a.data[i]) + b.data[i]) >> ep.shift);
    if (ep.relu && r < 0) r = 0;
    out.data[i] = r;
  }
  return out;
}

}  // namespace vtasim
