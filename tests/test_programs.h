// A catalogue of well-synchronised VTA programs (every cross-module dependency carried by tokens),
// used to compare engines and check timing invariants. Each builder returns the image and where its
// results are.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "program_builder.h"

namespace vtasim::test {

struct NamedProgram {
  std::string name;
  ProgramImage image;
};

// Closes a program: the compute module waits for the store's last `s2c` tokens, then FINISH.
inline void sync_and_finish(ProgramBuilder& pb, int pending_store_tokens) {
  for (int k = 0; k < pending_store_tokens; ++k) pb.noop(Opcode::Load, MemType::Uop).pop_next_dep = true;
  pb.finish();
}

inline std::vector<int8_t> random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int8_t> v(n);
  for (auto& x : v) x = int8_t(rng());
  return v;
}

// GEMM with reset and accumulation over both loop levels, results stored.
inline ProgramImage gemm_program(const HwConfig& cfg) {
  const int B = cfg.batch(), BI = cfg.block_in(), BO = cfg.block_out();
  ProgramBuilder pb(cfg);
  const uint32_t ib = pb.put(MemType::Inp, random_bytes(size_t(24) * B * BI, 1));
  const uint32_t wb = pb.put(MemType::Wgt, random_bytes(size_t(12) * BO * BI, 2));
  const uint32_t ub = pb.put_uops({{0, 0, 0}, {1, 2, 1}, {3, 1, 2}});
  const uint32_t ob = pb.alloc(MemType::Out, 32);
  pb.load(MemType::Uop, 0, ub, 1, 3, 3);
  pb.load(MemType::Inp, 0, ib, 1, 24, 24);
  pb.load(MemType::Wgt, 0, wb, 1, 12, 12).push_next_dep = true;
  auto loops = [](Insn& g) -> Insn& {
    g.dst_factor_out = 6;
    g.dst_factor_in = 2;
    g.src_factor_out = 5;
    g.src_factor_in = 1;
    g.wgt_factor_out = 3;
    g.wgt_factor_in = 1;
    return g;
  };
  loops(pb.gemm(0, 3, 2, 3)).reset_reg = true;
  loops(pb.gemm(0, 3, 2, 3)).pop_prev_dep = true;
  loops(pb.gemm(0, 3, 2, 3)).push_next_dep = true;
  Insn& st = pb.store(0, ob, 1, 32, 32);
  st.pop_prev_dep = true;
  st.push_prev_dep = true;
  sync_and_finish(pb, 1);
  return pb.image();
}

// Every ALU opcode with immediate and tensor operands over random accumulators, results stored.
inline ProgramImage alu_program(const HwConfig& cfg) {
  const int lanes = cfg.batch() * cfg.block_out();
  std::mt19937 rng(5);
  std::vector<int32_t> acc(size_t(12) * lanes);
  for (auto& v : acc) v = int32_t(rng());
  for (size_t k = 0; k < acc.size(); k += 7) acc[k] = int32_t(rng() % 70) - 35;  // small shift amounts
  ProgramBuilder pb(cfg);
  const uint32_t ab = pb.put(MemType::Acc, acc);
  const uint32_t ub = pb.put_uops({{0, 6, 0}, {1, 7, 0}, {2, 8, 0}});
  const uint32_t ob = pb.alloc(MemType::Out, 12);
  pb.load(MemType::Uop, 0, ub, 1, 3, 3);
  pb.load(MemType::Acc, 0, ab, 1, 12, 12);
  int16_t imm = -5;
  for (AluOp op : {AluOp::Min, AluOp::Max, AluOp::Add, AluOp::Shr, AluOp::Mul}) {
    Insn& t = pb.alu(op, 0, 3);
    t.iter_out = 2;
    t.dst_factor_out = 3;
    t.src_factor_out = 3;
    pb.alu(op, 0, 3, true, imm);
    imm = int16_t(imm + 3);
  }
  pb.insns().back().push_next_dep = true;
  Insn& st = pb.store(0, ob, 1, 12, 12);
  st.pop_prev_dep = true;
  st.push_prev_dep = true;
  sync_and_finish(pb, 1);
  return pb.image();
}

// Padded INP and ACC loads, a GEMM over the padded input, a strided store of the result.
inline ProgramImage padded_program(const HwConfig& cfg) {
  const int B = cfg.batch(), BI = cfg.block_in(), BO = cfg.block_out();
  ProgramBuilder pb(cfg);
  const uint32_t ib = pb.put(MemType::Inp, random_bytes(size_t(30) * B * BI, 3));
  const uint32_t wb = pb.put(MemType::Wgt, random_bytes(size_t(2) * BO * BI, 4));
  std::mt19937 rng(9);
  std::vector<int32_t> bias(size_t(30) * B * BO);
  for (auto& v : bias) v = int32_t(rng() % 2001) - 1000;
  const uint32_t ab = pb.put(MemType::Acc, bias);
  const uint32_t ub = pb.put_uops({{0, 0, 0}, {1, 1, 1}});
  const uint32_t ob = pb.alloc(MemType::Out, 80);
  pb.load(MemType::Inp, 0, ib + 7, 3, 4, 6, 1, 2, 1, 1);  // 6 x 6 = 36 elements
  pb.load(MemType::Wgt, 0, wb, 1, 2, 2, 3, 3, 3, 3).push_next_dep = true;  // pads ignored
  pb.load(MemType::Uop, 0, ub, 1, 2, 2);
  pb.load(MemType::Acc, 0, ab + 2, 3, 4, 6, 2, 1, 1, 0).pop_prev_dep = true;  // 6 x 5 = 30 elements
  Insn& g = pb.gemm(0, 2, 15, 1);
  g.dst_factor_out = 2;
  g.src_factor_out = 2;
  g.push_next_dep = true;
  Insn& st = pb.store(0, ob, 5, 6, 16);
  st.pop_prev_dep = true;
  st.push_prev_dep = true;
  sync_and_finish(pb, 1);
  return pb.image();
}

// Flags-only traffic through every token queue, with several tokens in flight.
inline ProgramImage noop_program(const HwConfig& cfg) {
  ProgramBuilder pb(cfg);
  for (int k = 0; k < 3; ++k) pb.noop(Opcode::Load, MemType::Inp).push_next_dep = true;
  for (int k = 0; k < 3; ++k) {
    Insn& c = pb.noop(Opcode::Load, MemType::Uop);
    c.pop_prev_dep = true;
    c.push_prev_dep = true;
    c.push_next_dep = true;
  }
  for (int k = 0; k < 3; ++k) pb.noop(Opcode::Load, MemType::Inp).pop_next_dep = true;
  for (int k = 0; k < 3; ++k) {
    Insn& s = pb.noop(Opcode::Store, MemType::Out);
    s.pop_prev_dep = true;
    s.push_prev_dep = true;
  }
  sync_and_finish(pb, 3);
  return pb.image();
}

// A blocked GEMM over `tiles` tiles: per tile load `n` inputs and `n` weights, run n micro-ops
// `reps` times, store n outputs. With double buffering the tiles alternate between two halves of
// every buffer and the tokens let loads, GEMMs and stores of neighbouring tiles overlap; without it
// they share one buffer and run one after another.
inline ProgramImage blocked_gemm_program(const HwConfig& cfg, uint32_t tiles, uint32_t n, uint32_t reps,
                                         bool double_buffer) {
  const int B = cfg.batch(), BI = cfg.block_in(), BO = cfg.block_out();
  const uint32_t nbuf = double_buffer ? 2 : 1;
  ProgramBuilder pb(cfg);
  const uint32_t ib = pb.put(MemType::Inp, random_bytes(size_t(tiles) * n * B * BI, 11));
  const uint32_t wb = pb.put(MemType::Wgt, random_bytes(size_t(tiles) * n * BO * BI, 12));
  std::vector<Uop> uops;
  for (uint32_t slot = 0; slot < nbuf; ++slot)
    for (uint32_t k = 0; k < n; ++k) uops.push_back({slot * n + k, slot * n + k, slot * n + k});
  const uint32_t ub = pb.put_uops(uops);
  const uint32_t ob = pb.alloc(MemType::Out, size_t(tiles) * n);
  pb.load(MemType::Uop, 0, ub, 1, uint32_t(uops.size()), uint32_t(uops.size()));
  for (uint32_t t = 0; t < tiles; ++t) {
    const uint32_t slot = t % nbuf;
    Insn& li = pb.load(MemType::Inp, slot * n, ib + t * n, 1, n, n);
    if (t >= nbuf) li.pop_next_dep = true;  // wait until compute has released this half
    pb.load(MemType::Wgt, slot * n, wb + t * n, 1, n, n).push_next_dep = true;
    Insn& r = pb.gemm(slot * n, slot * n + n);
    r.reset_reg = true;
    if (t >= nbuf) r.pop_next_dep = true;  // the store of this half's previous tile is done
    Insn& g = pb.gemm(slot * n, slot * n + n, reps, 1);
    g.pop_prev_dep = true;
    if (t + nbuf < tiles) g.push_prev_dep = true;  // inputs of this half may be overwritten
    g.push_next_dep = true;
    Insn& st = pb.store(slot * n, ob + t * n, 1, n, n);
    st.pop_prev_dep = true;
    st.push_prev_dep = true;
  }
  sync_and_finish(pb, int(std::min(tiles, nbuf)));
  return pb.image();
}

// The ending of VTA's own hardware tests: the FINISH itself pops the store's last token.
inline ProgramImage finish_pops_program(const HwConfig& cfg) {
  ProgramBuilder pb(cfg);
  const uint32_t ub = pb.put_uops({{0, 0, 0}});
  const uint32_t ob = pb.alloc(MemType::Out, 1);
  pb.load(MemType::Uop, 0, ub, 1, 1, 1);
  pb.gemm(0, 1).reset_reg = true;
  pb.insns().back().push_next_dep = true;
  Insn& st = pb.store(0, ob, 1, 1, 1);
  st.pop_prev_dep = true;
  st.push_prev_dep = true;
  pb.finish().pop_next_dep = true;
  return pb.image();
}

inline std::vector<NamedProgram> program_catalogue(const HwConfig& cfg) {
  return {{"gemm", gemm_program(cfg)},
          {"alu", alu_program(cfg)},
          {"padded", padded_program(cfg)},
          {"noops", noop_program(cfg)},
          {"blocked_serial", blocked_gemm_program(cfg, 4, 8, 3, false)},
          {"blocked_double", blocked_gemm_program(cfg, 4, 8, 3, true)},
          {"finish_pops", finish_pops_program(cfg)}};
}

}  // namespace vtasim::test
