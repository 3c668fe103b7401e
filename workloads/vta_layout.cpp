// Blocked layout packing (see vta_layout.h).
#include "workloads/vta_layout.h"

#include <algorithm>

namespace vtasim {

namespace {

// Offset of activation element (n, c, 0, 0) in the blocked layout with channel block size cb; element
// (n, c, y, x) is (y * w + x) * batch * cb further on.
size_t act_base(int n, int c, int channels_padded, int h, int w, int cb, int batch) {
  const int nb = n / batch, ni = n % batch, co = c / cb, ci = c % cb;
  const int c_blocks = channels_padded / cb;
  return (((size_t(nb) * c_blocks + co) * h * w) * batch + ni) * cb + ci;
}

}  // namespace

std::vector<int8_t> pack_activations(const Int8Tensor& in, const BlockShape& bs) {
  const int n_pad = ceil_div(in.d0, bs.batch) * bs.batch;
  const int c_pad = ceil_div(in.d1, bs.block_in) * bs.block_in;
  std::vector<int8_t> out(size_t(n_pad) * c_pad * in.d2 * in.d3, 0);
  const size_t step = size_t(bs.batch) * bs.block_in, pixels = size_t(in.d2) * in.d3;
  for (int n = 0; n < in.d0; ++n)
    for (int c = 0; c < in.d1; ++c) {
      int8_t* dst = out.data() + act_base(n, c, c_pad, in.d2, in.d3, bs.block_in, bs.batch);
      const int8_t* src = &in.at(n, c, 0, 0);
      for (size_t p = 0; p < pixels; ++p) dst[p * step] = src[p];
    }
  return out;
}

std::vector<int8_t> pack_weights(const Int8Tensor& wt, const BlockShape& bs) {
  const int oc_blocks = ceil_div(wt.d0, bs.block_out), ic_blocks = ceil_div(wt.d1, bs.block_in);
  const int kh = wt.d2, kw = wt.d3;
  const size_t taps = size_t(kh) * kw;  // the stride between input channels of one output channel
  std::vector<int8_t> out(size_t(oc_blocks) * bs.block_out * size_t(ic_blocks) * bs.block_in * taps, 0);
  // Written in output order, (oo, co, y, x, oi, ci); channels beyond the tensor stay zero.
  int8_t* dst = out.data();
  for (int oo = 0; oo < oc_blocks; ++oo)
    for (int co = 0; co < ic_blocks; ++co) {
      const int outs = std::min(bs.block_out, wt.d0 - oo * bs.block_out);
      const int ins = std::min(bs.block_in, wt.d1 - co * bs.block_in);
      for (size_t tap = 0; tap < taps; ++tap, dst += size_t(bs.block_out) * bs.block_in)
        for (int oi = 0; oi < outs; ++oi) {
          const int8_t* src = &wt.at(oo * bs.block_out + oi, co * bs.block_in, 0, 0) + tap;
          int8_t* row = dst + size_t(oi) * bs.block_in;
          for (int ci = 0; ci < ins; ++ci) row[ci] = src[size_t(ci) * taps];
        }
    }
  return out;
}

std::vector<int32_t> pack_bias(const std::vector<int32_t>& bias, int n, const BlockShape& bs) {
  const int oc = int(bias.size());
  const int n_blocks = ceil_div(n, bs.batch);
  const int oc_blocks = ceil_div(oc, bs.block_out);
  std::vector<int32_t> out(size_t(n_blocks) * oc_blocks * bs.batch * bs.block_out, 0);
  for (int nb = 0; nb < n_blocks; ++nb)
    for (int o = 0; o < oc; ++o)
      for (int b = 0; b < bs.batch; ++b) {
        const size_t off = ((size_t(nb) * oc_blocks + o / bs.block_out) * bs.batch + b) * bs.block_out + o % bs.block_out;
        out[off] = bias[size_t(o)];
      }
  return out;
}

Int8Tensor unpack_activations(const int8_t* blocked, int n, int c, int h, int w, int block_c, const BlockShape& bs) {
  const int c_pad = ceil_div(c, block_c) * block_c;
  Int8Tensor out(n, c, h, w);
  const size_t step = size_t(bs.batch) * block_c, pixels = size_t(h) * w;
  for (int ni = 0; ni < n; ++ni)
    for (int ci = 0; ci < c; ++ci) {
      const int8_t* src = blocked + act_base(ni, ci, c_pad, h, w, block_c, bs.batch);
      int8_t* dst = &out.at(ni, ci, 0, 0);
      for (size_t p = 0; p < pixels; ++p) dst[p] = src[p * step];
    }
  return out;
}

}  // namespace vtasim
