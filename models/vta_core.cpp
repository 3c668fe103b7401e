// Functional semantics of VTA instructions over the on-chip buffers.
#include "models/vta_core.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "models/checked.h"
#include "models/errors.h"
#include "models/parse.h"
#include "models/hls/dma_kernel.h"
#include "models/simd/core_shapes.h"
#include "models/simd/host_kernels.h"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "vtasim maps VTA's little-endian DRAM words directly onto host integers");

namespace vtasim {

namespace {

template <int B, int BI, int BO>
void gemm_entry(const hls::LoopFields& f, const hls::UopFormat& fmt, const uint32_t* uop, const int8_t* inp,
                const int8_t* wgt, int32_t* acc, int8_t* out) {
  hls::gemm_insn<B, BI, BO>(f, fmt, uop, inp, wgt, acc, out);
}

template <int B, int BO>
void alu_entry(const hls::LoopFields& f, const hls::AluFields& a, const hls::UopFormat& fmt, const uint32_t* uop,
               int32_t* acc, int8_t* out) {
  hls::alu_insn<B, BO>(f, a, fmt, uop, acc, out);
}

using GemmFn = simd::GemmInsnFn;
using AluFn = simd::AluInsnFn;

// The HLS kernels, instantiated for every supported core shape.
struct HlsKernels {
  struct Gemm {
    template <int B, int BI, int BO>
    static GemmFn get() {
      return &gemm_entry<B, BI, BO>;
    }
  };
  struct Alu {
    template <int B, int BI, int BO>
    static AluFn get() {
      if constexpr (BI == 8) return &alu_entry<B, BO>;  // one instantiation per BATCH x BLOCK_OUT
      return nullptr;
    }
  };
};

GemmFn pick_gemm(int b, int bi, int bo) { return simd::kernel_for_shape<HlsKernels::Gemm>(b, bi, bo); }
AluFn pick_alu(int b, int bo) { return simd::kernel_for_shape<HlsKernels::Alu>(b, 8, bo); }

hls::LoopFields loop_fields(const Insn& i) {
  return {i.reset_reg,      i.uop_bgn,        i.uop_end,        i.iter_out,       i.iter_in,      i.dst_factor_out,
          i.dst_factor_in,  i.src_factor_out, i.src_factor_in,  i.wgt_factor_out, i.wgt_factor_in, 0,
          0,                0};
}

}  // namespace

VtaCore::VtaCore(const HwConfig& cfg, bool with_buffers) : cfg_(cfg) {
  gemm_fn_ = pick_gemm(cfg.batch(), cfg.block_in(), cfg.block_out());
  alu_fn_ = pick_alu(cfg.batch(), cfg.block_out());
  if (!gemm_fn_ || !alu_fn_) {
    throw UserError("no GEMM/ALU kernels for a " + std::to_string(cfg.batch()) + " x " + std::to_string(cfg.block_in()) +
                    " x " + std::to_string(cfg.block_out()) +
                    " core; supported: BATCH 1, 2, 4 and BLOCK_IN, BLOCK_OUT 8, 16, 32, 64");
  }
  // The same arithmetic, vectorised for this CPU where a host kernel exists for the shape.
  const simd::GemmChoice fast = simd::best_gemm_kernel(simd::host_isa(), cfg.batch(), cfg.block_in(), cfg.block_out());
  if (fast.fn) gemm_fn_ = fast.fn;
  gemm_isa_ = fast.isa;
  if (simd::AluInsnFn alu = simd::best_alu_kernel(simd::host_isa(), cfg.batch(), cfg.block_out())) alu_fn_ = alu;
  uop_format_ = {uint32_t(cfg.isa().uop_dst_bits()), uint32_t(cfg.isa().uop_src_bits()),
                 uint32_t(cfg.isa().uop_wgt_bits())};
  if (!with_buffers) return;
  uop_.assign(cfg.depth(MemType::Uop), 0);
  inp_.assign(size_t(cfg.depth(MemType::Inp)) * cfg.batch() * cfg.block_in(), 0);
  wgt_.assign(size_t(cfg.depth(MemType::Wgt)) * cfg.block_out() * cfg.block_in(), 0);
  acc_.assign(size_t(cfg.depth(MemType::Acc)) * cfg.batch() * cfg.block_out(), 0);
  out_.assign(size_t(cfg.depth(MemType::Out)) * cfg.batch() * cfg.block_out(), 0);
}

void VtaCore::require_buffers() const {
  if (uop_.empty()) throw std::logic_error("a VtaCore built without buffers (timing only) was asked to move data");
}

void VtaCore::check_memory(const Insn& insn, size_t index, uint64_t dram_size, const MemBases& bases) const {
  if (insn.x_size == 0) return;  // a no-op touches nothing
  const MemType t = insn.memory_type;
  const uint64_t depth = cfg_.depth(t);
  const uint64_t extent = sram_extent(insn).elems();
  if (uint64_t(insn.sram_base) + extent > depth) {
    std::ostringstream msg;
    msg << insn_ref(insn, index) << ": sram_base " << insn.sram_base << " + " << extent
        << " elements reaches beyond the " << mem_type_name(t) << " buffer (depth " << depth << ")";
    throw UserError(msg.str());
  }
  const DramRows r = dram_rows(insn, bases);
  if (r.rows == 0) return;
  const auto last_row = checked_mul_add(uint64_t(r.rows) - 1, r.stride_bytes, r.addr);
  const auto end = last_row ? checked_add(*last_row, r.row_bytes) : std::nullopt;
  if (r.wraps || !end || *end > dram_size) {
    std::ostringstream msg;
    msg << insn_ref(insn, index) << ": dram_base " << insn.dram_base << " with the " << mem_type_name(t)
        << " base address " << format_address(bases.of(t));
    if (r.wraps || !end) msg << " passes the end of the 64-bit address space";
    else msg << " reaches DRAM byte " << *end << ", beyond the " << dram_size << "-byte memory";
    msg << " (check dram_base, x_stride, y_size and the " << mem_type_name(t) << " base address)";
    throw UserError(msg.str());
  }
}

uint8_t* VtaCore::sram_bytes(MemType t) {
  switch (t) {
    case MemType::Uop: return reinterpret_cast<uint8_t*>(uop_.data());
    case MemType::Inp: return reinterpret_cast<uint8_t*>(inp_.data());
    case MemType::Wgt: return reinterpret_cast<uint8_t*>(wgt_.data());
    case MemType::Acc:
    case MemType::Acc8: return reinterpret_cast<uint8_t*>(acc_.data());
    case MemType::Out: return reinterpret_cast<uint8_t*>(out_.data());
  }
  return nullptr;
}

void VtaCore::load(const Insn& insn, const uint8_t* src, uint64_t src_stride_bytes) {
  require_buffers();
  if (insn.x_size == 0) {
    account(insn);
    return;
  }
  const MemType t = insn.memory_type;
  const uint32_t elem = cfg_.elem_bytes(t);
  const bool pads = load_pads(t);
  const uint32_t yp0 = pads ? insn.y_pad_0 : 0, yp1 = pads ? insn.y_pad_1 : 0;
  const uint32_t xp0 = pads ? insn.x_pad_0 : 0, xp1 = pads ? insn.x_pad_1 : 0;
  const uint32_t rows = t == MemType::Uop ? 1 : insn.y_size;
  if (t == MemType::Acc8) {
    // int8 values widened into the accumulator: load them as bytes into the out view, then
    // sign-extend element by element into acc.
    const uint64_t first = uint64_t(insn.sram_base);
    const uint64_t count_elems = sram_extent(insn).elems();
    std::vector<uint8_t> staging(count_elems * elem);
    hls::load_2d(staging.data(), src, src_stride_bytes, elem, rows, insn.x_size, yp0, yp1, xp0, xp1);
    const uint32_t lanes = uint32_t(cfg_.batch() * cfg_.block_out());
    for (uint64_t k = 0; k < count_elems * lanes; ++k) {
      acc_[first * lanes + k] = int32_t(int8_t(staging[k]));
    }
  } else {
    uint8_t* dst = sram_bytes(t) + uint64_t(insn.sram_base) * elem;
    hls::load_2d(dst, src, src_stride_bytes, elem, rows, insn.x_size, yp0, yp1, xp0, xp1);
  }
  account(insn);
}

void VtaCore::store(const Insn& insn, uint8_t* dst, uint64_t dst_stride_bytes) {
  require_buffers();
  if (insn.x_size > 0) {
    const uint32_t elem = cfg_.elem_bytes(MemType::Out);
    hls::store_2d(dst, dst_stride_bytes, sram_bytes(MemType::Out) + uint64_t(insn.sram_base) * elem, elem, insn.y_size,
                  insn.x_size);
  }
  account(insn);
}

void VtaCore::check_loop_indices(const Insn& insn, size_t index) const {
  const uint32_t uop_depth = cfg_.depth(MemType::Uop);
  if (insn.uop_end > uop_depth || insn.uop_bgn > insn.uop_end) {
    std::ostringstream msg;
    msg << insn_ref(insn, index) << ": micro-op range uop_bgn " << insn.uop_bgn << " .. uop_end " << insn.uop_end
        << " must satisfy uop_bgn <= uop_end <= " << uop_depth << " (the uop buffer depth)";
    throw UserError(msg.str());
  }
  if (insn.uop_end == insn.uop_bgn || insn.iter_out == 0 || insn.iter_in == 0) return;  // nothing runs
  // The fields as Isa::decode_uop reads them, with the shifts and masks worked out once.
  const auto mask = [](uint32_t bits) { return bits >= 32 ? ~0u : (1u << bits) - 1u; };
  const uint32_t dst_mask = mask(uop_format_.dst_bits), src_mask = mask(uop_format_.src_bits),
                 wgt_mask = mask(uop_format_.wgt_bits);
  const uint32_t src_shift = uop_format_.dst_bits, wgt_shift = uop_format_.dst_bits + uop_format_.src_bits;
  uint32_t max_dst = 0, max_src = 0, max_wgt = 0;
  for (uint32_t u = insn.uop_bgn; u < insn.uop_end; ++u) {
    const uint32_t word = uop_[u];
    max_dst = std::max(max_dst, word & dst_mask);
    max_src = std::max(max_src, src_shift < 32 ? (word >> src_shift) & src_mask : 0u);
    max_wgt = std::max(max_wgt, wgt_shift < 32 ? (word >> wgt_shift) & wgt_mask : 0u);
  }
  const uint64_t o = insn.iter_out - 1, i = insn.iter_in - 1;
  const bool is_gemm = insn.opcode == Opcode::Gemm;
  struct Check {
    const char* what;
    uint64_t reach;
    uint64_t depth;
    const char* buffer;
  };
  std::vector<Check> checks = {
      {"dst", max_dst + o * insn.dst_factor_out + i * insn.dst_factor_in, cfg_.depth(MemType::Acc), "acc"}};
  if (!(is_gemm && insn.reset_reg)) {  // a reset GEMM reads neither inp nor wgt
    checks.push_back({"src", max_src + o * insn.src_factor_out + i * insn.src_factor_in,
                      cfg_.depth(is_gemm ? MemType::Inp : MemType::Acc), is_gemm ? "inp" : "acc"});
    if (is_gemm) {
      checks.push_back({"wgt", max_wgt + o * insn.wgt_factor_out + i * insn.wgt_factor_in, cfg_.depth(MemType::Wgt), "wgt"});
    }
  }
  for (const auto& c : checks) {
    if (c.reach >= c.depth) {
      std::ostringstream msg;
      msg << insn_ref(insn, index) << ": " << c.what << " index (micro-op " << c.what << " + loop factors) reaches "
          << c.reach << ", beyond the " << c.buffer << " buffer (depth " << c.depth << ")";
      throw UserError(msg.str());
    }
  }
}

// Runs an instruction's loops in slices of about a million micro-ops (a run of inner iterations of
// one outer iteration, started from its base offsets), checking the wall-clock limit between
// slices, so even the longest instruction stops in time. An instruction within one slice runs whole,
// in one call (a kernel can then share work across all its iterations, as the weight packing does).
template <typename Run>
void VtaCore::by_slices(const Insn& insn, size_t index, Run&& run) {
  const auto check_time = [&] {
    if (budget_ && budget_->out_of_time_now()) throw UserError(time_limit_message(budget_->max_seconds(), insn_ref(insn, index)));
  };
  constexpr uint64_t kSlice = uint64_t(1) << 20;
  const uint64_t span = insn.uop_end > insn.uop_bgn ? insn.uop_end - insn.uop_bgn : 0;
  hls::LoopFields f = loop_fields(insn);
  if (span * insn.iter_out * insn.iter_in <= kSlice) {
    check_time();
    run(f);
    return;
  }
  const uint32_t chunk = uint32_t(std::max<uint64_t>(1, std::min<uint64_t>(insn.iter_in, kSlice / std::max<uint64_t>(span, 1))));
  f.iter_out = 1;
  for (uint32_t i0 = 0; i0 < insn.iter_out; ++i0) {
    for (uint32_t i1 = 0; i1 < insn.iter_in; i1 += chunk) {
      check_time();
      f.iter_in = std::min(chunk, insn.iter_in - i1);
      f.dst_base = i0 * insn.dst_factor_out + i1 * insn.dst_factor_in;
      f.src_base = i0 * insn.src_factor_out + i1 * insn.src_factor_in;
      f.wgt_base = i0 * insn.wgt_factor_out + i1 * insn.wgt_factor_in;
      run(f);
    }
  }
}

void VtaCore::gemm(const Insn& insn, size_t index) {
  require_buffers();
  check_loop_indices(insn, index);
  by_slices(insn, index, [&](const hls::LoopFields& f) {
    gemm_fn_(f, uop_format_, uop_.data(), inp_.data(), wgt_.data(), acc_.data(), out_.data());
  });
  account(insn);
}

void VtaCore::alu(const Insn& insn, size_t index) {
  require_buffers();
  check_loop_indices(insn, index);
  const hls::AluFields a{uint8_t(insn.alu_opcode), insn.use_imm, int16_t(insn.imm)};
  by_slices(insn, index, [&](const hls::LoopFields& f) {
    alu_fn_(f, a, uop_format_, uop_.data(), acc_.data(), out_.data());
  });
  account(insn);
}

void VtaCore::count_load_accesses(const Insn& insn) {
  AccessCounts& a = counters_.access;
  if (insn.memory_type == MemType::Uop) {
    a.writes[int(Buffer::Uop)] += insn.x_size;
    return;
  }
  // The padded window (for the types that pad): every entry is written, data or zero.
  const bool pads = load_pads(insn.memory_type);
  const uint64_t entries = (uint64_t(pads ? insn.y_pad_0 + insn.y_pad_1 : 0) + insn.y_size) *
                           (uint64_t(pads ? insn.x_pad_0 + insn.x_pad_1 : 0) + insn.x_size);
  switch (insn.memory_type) {
    case MemType::Inp: a.writes[int(Buffer::Inp)] += entries; break;
    case MemType::Wgt: a.writes[int(Buffer::Wgt)] += entries; break;
    case MemType::Out: a.writes[int(Buffer::Out)] += entries; break;
    default: a.writes[int(Buffer::Acc)] += entries; break;
  }
}

void VtaCore::account(const Insn& insn) {
  counters_.insn_by_opcode[static_cast<int>(insn.opcode)]++;
  switch (insn.opcode) {
    case Opcode::Load: {
      if (insn.x_size == 0) break;
      count_load_accesses(insn);
      const uint64_t rows = insn.memory_type == MemType::Uop ? 1 : insn.y_size;
      const uint64_t moved = rows * insn.x_size * cfg_.elem_bytes(insn.memory_type);
      switch (insn.memory_type) {
        case MemType::Uop: counters_.uop_load_nbytes += moved; break;
        case MemType::Inp: counters_.inp_load_nbytes += moved; break;
        case MemType::Wgt: counters_.wgt_load_nbytes += moved; break;
        default: counters_.acc_load_nbytes += moved; break;
      }
      break;
    }
    case Opcode::Store:
      counters_.out_store_nbytes += uint64_t(insn.y_size) * insn.x_size * cfg_.elem_bytes(MemType::Out);
      counters_.access.reads[int(Buffer::Out)] += uint64_t(insn.y_size) * insn.x_size;
      break;
    case Opcode::Gemm: {
      const uint64_t n = loop_uops(insn);
      AccessCounts& a = counters_.access;
      a.reads[int(Buffer::Uop)] += n;
      a.writes[int(Buffer::Acc)] += n;
      a.writes[int(Buffer::Out)] += n;
      if (insn.reset_reg) break;
      counters_.gemm_counter += n;
      a.reads[int(Buffer::Inp)] += n;
      a.reads[int(Buffer::Wgt)] += n;
      a.reads[int(Buffer::Acc)] += n;
      a.macs += n * uint64_t(cfg_.macs_per_cycle());
      break;
    }
    case Opcode::Alu: {
      const uint64_t n = loop_uops(insn);
      AccessCounts& a = counters_.access;
      counters_.alu_counter += n;
      a.reads[int(Buffer::Uop)] += n;
      a.reads[int(Buffer::Acc)] += insn.use_imm ? n : 2 * n;
      a.writes[int(Buffer::Acc)] += n;
      a.writes[int(Buffer::Out)] += n;
      if (int(insn.alu_opcode) < kAluOpCount) {
        a.alu_lane_ops[int(insn.alu_opcode)] += n * uint64_t(cfg_.batch()) * uint64_t(cfg_.block_out());
      }
      break;
    }
    case Opcode::Finish: break;
  }
  if (insn.is_noop()) counters_.noop_count++;
}

}  // namespace vtasim
