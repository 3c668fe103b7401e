// Reference convolution (hand-computed cases) and blocked-layout packing.
#include <catch2/catch.hpp>

#include "workloads/reference_conv.h"
#include "workloads/reference_onednn.h"
#include "workloads/reference_ops.h"
#include "workloads/vta_layout.h"

using namespace vtasim;

TEST_CASE("reference conv2d on a hand-computed 3x3 example", "[workloads]") {
  // One 3x3 input channel, one 2x2 filter, no padding, stride 1:
  //   in = 1 2 3 / 4 5 6 / 7 8 9, w = 1 0 / 0 -1  ->  out[y][x] = in[y][x] - in[y+1][x+1] = -4 everywhere
  ConvShape s;
  s.h = s.w = 3;
  s.ic = s.oc = 1;
  s.kh = s.kw = 2;
  Int8Tensor in(1, 1, 3, 3), w(1, 1, 2, 2);
  for (int k = 0; k < 9; ++k) in.data[size_t(k)] = int8_t(k + 1);
  w.data = {1, 0, 0, -1};
  const auto out = reference_conv2d(s, in, w, {}, {});
  REQUIRE(out.d2 == 2);
  for (auto v : out.data) CHECK(v == -4);
  // bias 10, shift 1: (-4 + 10) >> 1 = 3; relu keeps it; bias -20: (-24) >> 1 = -12, relu -> 0
  CHECK(reference_conv2d(s, in, w, {10}, {1, false}).data[0] == 3);
  CHECK(reference_conv2d(s, in, w, {-20}, {1, false}).data[0] == -12);
  CHECK(reference_conv2d(s, in, w, {-20}, {1, true}).data[0] == 0);
  // -5 >> 1 = -3 (floor)
  CHECK(reference_conv2d(s, in, w, {-1}, {1, false}).data[0] == -3);
}

TEST_CASE("reference conv2d with padding, stride and clipping", "[workloads]") {
  // 2 channels of all-ones 4x4, 3x3 filter of 10s, pad 1, stride 2: output 2x2.
  ConvShape s;
  s.h = s.w = 4;
  s.ic = 2;
  s.oc = 1;
  s.kh = s.kw = 3;
  s.pad = 1;
  s.stride = 2;
  Int8Tensor in(1, 2, 4, 4), w(1, 2, 3, 3);
  for (auto& v : in.data) v = 1;
  for (auto& v : w.data) v = 10;
  const auto out = reference_conv2d(s, in, w, {}, {0, false});
  REQUIRE(out.d2 == 2);
  REQUIRE(out.d3 == 2);
  // (0,0): window rows -1..1, cols -1..1 -> 4 valid taps per channel -> 2*4*10 = 80
  CHECK(out.at(0, 0, 0, 0) == 80);
  // (0,1): rows -1..1, cols 1..3 -> 2 x 3 = 6 taps -> 120
  CHECK(out.at(0, 0, 0, 1) == 120);
  // (1,1): rows 1..3, cols 1..3 -> 9 taps -> 180, clipped to 127
  CHECK(out.at(0, 0, 1, 1) == 127);
  CHECK(s.macs() == 1ull * 1 * 2 * 2 * 2 * 3 * 3);
}

TEST_CASE("blocked layouts: element positions and round trip", "[workloads]") {
  const BlockShape bs{2, 4, 4};
  Int8Tensor in(3, 5, 2, 2);  // n=3 pads to 4, c=5 pads to 8
  SeededRng rng(3);
  fill_uniform(in, rng, -128, 127);
  const auto packed = pack_activations(in, bs);
  CHECK(packed.size() == 4u * 8 * 2 * 2);
  // (n=1, c=4, y=1, x=0): nb 0, ni 1, co 1, ci 0 -> ((((0*2+1)*2+1)*2+0)*2+1)*4+0
  CHECK(packed[((((0 * 2 + 1) * 2 + 1) * 2 + 0) * 2 + 1) * 4 + 0] == in.at(1, 4, 1, 0));
  CHECK(packed[((((0 * 2 + 1) * 2 + 1) * 2 + 0) * 2 + 1) * 4 + 2] == 0);  // c = 6 is channel padding
  const auto back = unpack_activations(packed, 3, 5, 2, 2, 4, bs);
  CHECK(back.data == in.data);

  Int8Tensor w(6, 5, 3, 3);
  fill_uniform(w, rng, -128, 127);
  const auto pw = pack_weights(w, bs);
  CHECK(pw.size() == 8u * 8 * 3 * 3);
  // (o=5, c=2, ky=1, kx=2): oo 1, oi 1, co 0, ci 2 -> ((((1*2+0)*3+1)*3+2)*4+1)*4+2
  CHECK(pw[((((1 * 2 + 0) * 3 + 1) * 3 + 2) * 4 + 1) * 4 + 2] == w.at(5, 2, 1, 2));
  // Every position: (oo, co, ky, kx, oi, ci) in order, zero beyond the tensor's channels.
  size_t k = 0, mismatches = 0, padding = 0;
  for (int oo = 0; oo < 2; ++oo)
    for (int co = 0; co < 2; ++co)
      for (int ky = 0; ky < 3; ++ky)
        for (int kx = 0; kx < 3; ++kx)
          for (int oi = 0; oi < 4; ++oi)
            for (int ci = 0; ci < 4; ++ci, ++k) {
              const int o = oo * 4 + oi, c = co * 4 + ci;
              const bool inside = o < 6 && c < 5;
              padding += !inside;
              mismatches += pw[k] != (inside ? w.at(o, c, ky, kx) : 0);
            }
  CHECK(k == pw.size());
  CHECK(padding == 8u * 8 * 9 - 6 * 5 * 9);
  CHECK(mismatches == 0);

  const auto pb = pack_bias({7, 8, 9, 10, 11}, 3, bs);
  CHECK(pb.size() == 2u * 2 * 2 * 4);
  // (nb=1, o=4 -> block 1 lane 0, batch row 1)
  CHECK(pb[((1 * 2 + 1) * 2 + 1) * 4 + 0] == 11);
}

TEST_CASE("seeded generation is deterministic", "[workloads]") {
  Int8Tensor a(1, 2, 3, 4), b(1, 2, 3, 4);
  SeededRng r1(42), r2(42), r3(43);
  fill_uniform(a, r1, -128, 127);
  fill_uniform(b, r2, -128, 127);
  CHECK(a.data == b.data);
  fill_uniform(b, r3, -128, 127);
  CHECK(a.data != b.data);
  // SplitMix64's first output for seed 0 (published test vector).
  SeededRng z(0);
  CHECK(z.next() == 0xE220A8397B1DCDAFULL);
}

TEST_CASE("int8 fills equal the generator's byte at a time, at every length", "[workloads]") {
  // fill_int8 takes eight outputs at a time where the CPU can (AVX-512): the same bytes as
  // uniform(-128, 127) one by one, tails of every length, the state left where it would be.
  for (uint64_t seed : {0ull, 1ull, 0xFFFFFFFFFFFFFFFFull, 0x123456789ABCDEFull}) {
    for (int n : {0, 1, 7, 8, 9, 15, 16, 17, 64, 1001}) {
      INFO("seed " << seed << ", length " << n);
      Int8Tensor fast(1, 1, 1, n), slow(1, 1, 1, n);
      SeededRng a(seed), b(seed);
      a.next();  // not at the generator's start
      b.next();
      fill_int8(fast, a);
      for (auto& v : slow.data) v = int8_t(b.uniform(-128, 127));
      CHECK(fast.data == slow.data);
      CHECK(a.next() == b.next());
    }
  }
  // Independently: SplitMix64 from seed 0 gives 0xE220A8397B1DCDAF first, low byte 0xAF, so -128 + 0xAF = 47.
  Int8Tensor one(1, 1, 1, 1);
  SeededRng z(0);
  fill_int8(one, z);
  CHECK(int(one.data[0]) == 0xAF - 128);
}

TEST_CASE("oneDNN reference equals the hand-written loops bit for bit", "[workloads][onednn]") {
  const ReferenceChoice& choice = reference_choice();
  INFO("reference: " << choice.reason);
  if (!choice.onednn) {
    WARN("oneDNN is not used on this machine (" << choice.reason << "); nothing to cross-check");
    return;
  }
  struct Case {
    ConvShape s;
    int groups;
    Epilogue ep;
    int lo, hi;  // operand range
  };
  const Case cases[] = {
      {{1, 7, 9, 16, 32, 3, 3, 1, 1}, 1, {6, false}, -128, 127},  // 3x3, padding 1
      {{2, 8, 8, 32, 16, 3, 3, 1, 2}, 1, {8, true}, -128, 127},   // batch 2, stride 2, ReLU
      {{1, 5, 5, 24, 8, 1, 1, 0, 1}, 1, {0, false}, -128, 127},   // 1x1 (dense-like), no shift: clips
      {{1, 6, 6, 16, 16, 3, 3, 1, 1}, 16, {3, false}, -128, 127}, // depthwise
      {{1, 6, 6, 32, 64, 3, 3, 1, 1}, 4, {7, true}, -128, 127},   // grouped
      {{1, 4, 4, 64, 16, 3, 3, 1, 1}, 1, {12, false}, -128, -128}, // extremes: (-128)(-128) everywhere
      {{1, 5, 3, 16, 16, 5, 3, 2, 1}, 1, {40, false}, -128, 127}, // non-square kernel, shift past 31
  };
  uint64_t seed = 1;
  for (const Case& c : cases) {
    INFO("shape " << c.s.n << "x" << c.s.ic << "x" << c.s.h << "x" << c.s.w << " -> " << c.s.oc << ", k " << c.s.kh
                  << "x" << c.s.kw << ", groups " << c.groups);
    SeededRng rng(seed++);
    Int8Tensor in(c.s.n, c.s.ic, c.s.h, c.s.w), w(c.s.oc, c.s.ic, c.s.kh, c.s.kw);
    fill_uniform(in, rng, c.lo, c.hi);
    fill_uniform(w, rng, c.lo, c.hi);
    std::vector<int32_t> bias(size_t(c.s.oc));
    for (auto& b : bias) b = rng.uniform(-100000, 100000);
    const Int8Tensor loops = c.groups > 1 ? reference_grouped_conv2d(c.s, c.groups, in, w, bias, c.ep)
                                          : reference_conv2d(c.s, in, w, bias, c.ep);
    const std::optional<Int8Tensor> dnn = try_onednn_conv2d(c.s, c.groups, in, w, bias, c.ep);
    REQUIRE(dnn);
    CHECK(dnn->data == loops.data);
    const std::optional<Int8Tensor> no_bias = try_onednn_conv2d(c.s, c.groups, in, w, {}, c.ep);
    REQUIRE(no_bias);
    CHECK(no_bias->data == (c.groups > 1 ? reference_grouped_conv2d(c.s, c.groups, in, w, {}, c.ep)
                                        : reference_conv2d(c.s, in, w, {}, c.ep))
                              .data);
  }
}
