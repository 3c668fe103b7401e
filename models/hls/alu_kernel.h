// The tensor ALU's micro-op step over one BATCH x BLOCK_OUT accumulator tile.
// Synthesizable subset: C++14, <cstdint> only, compile-time loop bounds, no heap or STL.
#ifndef VTASIM_HLS_ALU_KERNEL_H
#define VTASIM_HLS_ALU_KERNEL_H

#include <cstdint>

#include "hls_pragma.h"

namespace vtasim {
namespace hls {

// VTA's ALU opcodes.
enum AluOpcode : uint8_t { kAluMin = 0, kAluMax = 1, kAluAdd = 2, kAluShr = 3, kAluMul = 4 };

// One lane: a op b on 32-bit values, wrapping like the hardware. As in VTA's HLS design, the operand
// of SHR is read as its low 5 bits (LOG_ACC_WIDTH) taken as a signed number, -16..15, a negative
// amount shifting left; the operand of MUL as its low 8 bits, signed.
inline int32_t alu_lane(uint8_t op, int32_t a, int32_t b) {
  VTASIM_HLS(INLINE)
  switch (op) {
    case kAluMin: return a < b ? a : b;
    case kAluMax: return a < b ? b : a;
    case kAluAdd: return int32_t(uint32_t(a) + uint32_t(b));
    case kAluMul: {
      const int32_t m = int32_t(int8_t(uint8_t(uint32_t(b) & 0xFFu)));
      return int32_t(uint32_t(a) * uint32_t(m));
    }
    case kAluShr:
    default: {
      const uint32_t low = uint32_t(b) & 0x1Fu;
      const int s = low >= 16u ? int(low) - 32 : int(low);
      if (s >= 0) return a >> s;  // arithmetic shift (GCC/Clang/HLS define >> on negative signed values so)
      return int32_t(uint32_t(a) << (-s));
    }
  }
}

// dst = op(dst, use_imm ? imm : src) lane by lane; out = low 8 bits of the result.
template <int BATCH, int BLOCK_OUT>
inline void alu_uop(uint8_t op, int32_t dst[BATCH * BLOCK_OUT], const int32_t src[BATCH * BLOCK_OUT],
                    bool use_imm, int16_t imm, int8_t out[BATCH * BLOCK_OUT]) {
  VTASIM_HLS(INLINE)
VTASIM_HLS_LABEL(ALU_LANES)
  for (int k = 0; k < BATCH * BLOCK_OUT; ++k) {
    VTASIM_HLS(UNROLL)
    const int32_t b = use_imm ? int32_t(imm) : src[k];
    const int32_t r = alu_lane(op, dst[k], b);
    dst[k] = r;
    out[k] = int8_t(uint8_t(uint32_t(r) & 0xFFu));
  }
}

}  // namespace hls
}  // namespace vtasim

#endif  // VTASIM_HLS_ALU_KERNEL_H
