// Run-time choice of the host GEMM kernel.
#include "models/simd/host_kernels.h"

#include <cstdlib>

#include "models/errors.h"

namespace vtasim {
namespace simd {

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Avx2: return "avx2";
    case Isa::Avx512Vnni: return "avx512";
    case Isa::Portable: break;
  }
  return "portable";
}

bool cpu_supports(Isa isa) {
#if defined(__x86_64__) || defined(__i386__)
  switch (isa) {
    case Isa::Portable: return true;
    case Isa::Avx2: return __builtin_cpu_supports("avx2");
    case Isa::Avx512Vnni:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
             __builtin_cpu_supports("avx512vnni");
  }
  return false;
#else
  return isa == Isa::Portable;
#endif
}

Isa host_isa() {
  Isa best = Isa::Portable;
  for (Isa i : {Isa::Avx2, Isa::Avx512Vnni})
    if (cpu_supports(i)) best = i;
  const char* cap = std::getenv("VTASIM_SIMD");
  if (!cap || !*cap) return best;
  const std::string want = cap;
  for (Isa i : {Isa::Portable, Isa::Avx2, Isa::Avx512Vnni})
    if (want == isa_name(i)) return i < best ? i : best;
  throw UserError("VTASIM_SIMD = '" + want + "' is not a SIMD level; use portable, avx2 or avx512 (or unset it)");
}

GemmInsnFn gemm_kernel_at(Isa isa, int batch, int block_in, int block_out) {
#if defined(__x86_64__)
  if (!cpu_supports(isa)) return nullptr;
  switch (isa) {
    case Isa::Avx2: return gemm_avx2_kernel(batch, block_in, block_out);
    case Isa::Avx512Vnni: return gemm_avx512_kernel(batch, block_in, block_out);
    case Isa::Portable: break;
  }
#else
  (void)isa, (void)batch, (void)block_in, (void)block_out;
#endif
  return nullptr;
}

GemmChoice best_gemm_kernel(Isa isa, int batch, int block_in, int block_out) {
  for (Isa i : {Isa::Avx512Vnni, Isa::Avx2}) {
    if (i > isa) continue;
    if (GemmInsnFn fn = gemm_kernel_at(i, batch, block_in, block_out)) return {fn, i};
  }
  return {};
}

bool packs_weights(uint64_t steps, uint64_t blocks, uint64_t inputs) { return steps >= 2 * blocks + inputs / 4; }

AluInsnFn best_alu_kernel(Isa isa, int batch, int block_out) {
#if defined(__x86_64__)
  if (isa >= Isa::Avx512Vnni && cpu_supports(Isa::Avx512Vnni)) return alu_avx512_kernel(batch, block_out);
  if (isa >= Isa::Avx2 && cpu_supports(Isa::Avx2)) return alu_avx2_kernel(batch, block_out);
#else
  (void)isa, (void)batch, (void)block_out;
#endif
  return nullptr;
}

SplitMixBytesFn best_splitmix_bytes(Isa isa) {
#if defined(__x86_64__)
  if (isa >= Isa::Avx512Vnni && cpu_supports(Isa::Avx512Vnni)) return splitmix_bytes_avx512;
#else
  (void)isa;
#endif
  return nullptr;
}

LineTouchFn best_line_touch8(Isa isa) {
#if defined(__x86_64__)
  if (isa >= Isa::Avx512Vnni && cpu_supports(Isa::Avx512Vnni)) return touch_lines8_avx512;
  if (isa >= Isa::Avx2 && cpu_supports(Isa::Avx2)) return touch_lines8_avx2;
#else
  (void)isa;
#endif
  return nullptr;
}

}  // namespace simd
}  // namespace vtasim
