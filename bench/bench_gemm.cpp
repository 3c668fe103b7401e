// Benchmark of the GEMM micro-op step, the simulator's hot loop: MACs per second on one core for
// several BATCH x BLOCK_IN x BLOCK_OUT cores, through the instruction-level kernels the engines call:
// the portable HLS kernel and every host SIMD kernel this CPU runs. Two instructions per shape:
// - conv: a 3x3 convolution tile's GEMM (196 output pixels in the micro-op list, 8 input-channel
//   blocks x 9 kernel positions as the loops), each weight block read 196 times, each input row
//   about 9 times: what the compiler emits;
// - scattered: 1,024 micro-ops over spread inputs, four iterations: few reads per operand.
// Usage: bench_gemm [seconds]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "models/hls/compute_kernel.h"
#include "models/simd/host_kernels.h"

namespace {

enum class Kind { Conv, Scattered };

template <int B, int BI, int BO>
void run(double seconds, vtasim::simd::Isa isa, Kind kind) {
  using vtasim::simd::Isa;
  vtasim::simd::GemmInsnFn fn = &vtasim::hls::gemm_insn<B, BI, BO>;
  if (isa != Isa::Portable) fn = vtasim::simd::gemm_kernel_at(isa, B, BI, BO);
  if (!fn) return;
  constexpr uint32_t kInpDepth = 2048, kWgtDepth = 1024, kAccDepth = 2048, kUops = 1024;
  std::mt19937 rng(1);
  std::vector<int8_t> inp(kInpDepth * B * BI), wgt(kWgtDepth * BO * BI), out(kAccDepth * B * BO);
  std::vector<int32_t> acc(kAccDepth * B * BO, 0);
  for (auto& v : inp) v = int8_t(rng());
  for (auto& v : wgt) v = int8_t(rng());
  const vtasim::hls::UopFormat fmt{11, 11, 10};
  std::vector<uint32_t> uops(kUops);
  vtasim::hls::LoopFields f{};
  if (kind == Kind::Conv) {  // pixel p: dst p, src p; loops: channel block (src +224, wgt +9), position (+1, +1)
    uops.resize(196);
    for (uint32_t p = 0; p < 196; ++p) uops[p] = p | (p << 11);
    f = {false, 0, 196, 8, 9, 0, 0, 224, 1, 9, 1, 0, 0, 0};
  } else {  // consecutive destinations, inputs three apart, a weight block per 64 micro-ops
    for (uint32_t u = 0; u < kUops; ++u) {
      const uint32_t dst = u % kAccDepth, src = (u * 3) % kInpDepth, w = (u / 64) % kWgtDepth;
      uops[u] = dst | (src << 11) | (w << 22);
    }
    f = {false, 0, kUops, 4, 1, 0, 0, 1, 0, 8, 0, 0, 0, 0};
  }
  const uint32_t list = uint32_t(uops.size());
  uint64_t macs = 0;
  const auto t0 = std::chrono::steady_clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    fn(f, fmt, uops.data(), inp.data(), wgt.data(), acc.data(), out.data());
    macs += uint64_t(f.iter_out) * f.iter_in * list * B * BI * BO;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  int64_t checksum = 0;
  for (auto v : acc) checksum += v;
  std::printf("gemm %dx%dx%d %-9s %-8s: %.2f GMAC/s (%.1f M micro-ops/s, checksum %lld)\n", B, BI, BO, kind == Kind::Conv ? "conv" : "scattered", vtasim::simd::isa_name(isa), macs / elapsed / 1e9,
              macs / double(B * BI * BO) / elapsed / 1e6, static_cast<long long>(checksum));
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  using vtasim::simd::Isa;
  for (Kind kind : {Kind::Conv, Kind::Scattered}) {
    for (Isa isa : {Isa::Portable, Isa::Avx2, Isa::Avx512Vnni}) {
      if (!vtasim::simd::cpu_supports(isa)) continue;
      run<1, 16, 16>(seconds, isa, kind);
      run<1, 32, 32>(seconds / 2, isa, kind);
      run<4, 16, 16>(seconds / 2, isa, kind);
      run<1, 16, 8>(seconds / 2, isa, kind);
      run<1, 8, 8>(seconds / 2, isa, kind);
    }
  }
  return 0;
}
