// Convolution lowering (see conv_lowering.h). The emitted program, per output tile:
//   compute: [wait for the store of this acc half]  LOAD ACC bias, GEMM reset
//   per reduction step:
//     load:    [wait for compute to free the buffer]  LOAD INP (padded) per input block, LOAD WGT  -> push
//     compute: pop  GEMM  [push: buffer free]
//   compute: ALU add bias, shift right, min 127, max -128 (or 0 with ReLU)  -> push to store
//   store:   pop  STORE per output-channel block  -> push to compute
// Two virtual threads work on a pair of tiles that differ only along the thread axis, step by step:
// thread 0's step, then thread 1's, so one thread's loads overlap the other's GEMMs and one thread's
// stores overlap the next pair. As in VTA's compiler, which duplicates per thread only what depends
// on the thread variable, data the two tiles share is loaded once per step by thread 0: the input
// window when the threads split output channels, the weights when they split rows. Per-thread data
// lives in the thread's buffer half, shared data in the half of the step's parity; either is free
// again once the GEMM two jobs back has run, the token the load stage waits for (compute runs in
// order, so that GEMM's completion implies the other thread's earlier GEMM completed too). When the
// thread axis has an odd number of tiles, the last pair's second thread is a phantom: it loads and
// computes nothing but passes its tokens on, so both threads keep their buffer halves.
#include "runtime/conv_lowering.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

#include "runtime/dram_builder.h"
#include "models/errors.h"
#include "runtime/insn_stream.h"
#include "runtime/uop_cache.h"
#include "workloads/vta_layout.h"

namespace vtasim {

namespace {

class Lowering {
 public:
  Lowering(const ConvLayer& layer, const HwConfig& cfg, const ConvPlan& plan)
      : layer_(layer), cfg_(cfg), p_(plan), cache_(cfg.depth(MemType::Uop)) {}

  CompiledConv run(const ConvSchedule& schedule, const PackedConvData& data) {
    // DRAM regions, each aligned to its element size (dram_base counts elements). Zero data is only
    // allocated, below the image's floor (not stored). Room for the data and a first share of
    // micro-ops and instructions is reserved at once, so the image is not copied as it grows.
    const uint64_t out_elems = uint64_t(p_.nb) * p_.ocb * p_.oh * p_.ow;
    const uint64_t out_elem = cfg_.elem_bytes(MemType::Out);
    dram_ = DramBuilder(data.zero);
    const uint64_t stored_data = data.zero ? 0 : data.input.size() + data.weights.size() + 4 * data.bias.size() + out_elems * out_elem;
    dram_.bytes().reserve(stored_data + (uint64_t(1) << 18));
    const auto region = [&](const auto& values, size_t count, MemType t) {
      const uint64_t elem = cfg_.elem_bytes(t);
      const uint64_t addr = data.zero ? dram_.alloc(count * sizeof(values[0]), elem) : dram_.put(values, elem);
      return addr / elem;
    };
    inp_base_ = region(data.input, data.input_count(), MemType::Inp);
    wgt_base_ = region(data.weights, data.weight_count(), MemType::Wgt);
    acc_base_ = region(data.bias, data.bias_count(), MemType::Acc);
    const uint64_t out_addr = dram_.alloc(out_elems * out_elem, out_elem);
    out_base_ = out_addr / out_elem;

    emit_tiles();
    // The store -> compute tokens of the last tiles are still outstanding: collect them.
    for (uint64_t k = 0; k < std::min<uint64_t>(tiles_, p_.nbuf); ++k) s_.dep_pop(Stage::Store, Stage::Compute);
    s_.synchronise();

    CompiledConv c;
    c.plan = p_;
    c.schedule = schedule;
    c.out_addr = out_addr;
    c.out_bytes = out_elems * out_elem;
    c.uop_cache_hits = cache_.hits();
    c.uop_cache_misses = cache_.misses();
    c.image = finish_image(dram_, s_, cfg_.isa());
    c.insns = s_.take();
    return c;
  }

 private:
  // Ensures a kernel (with its buffer bases applied) is in the micro-op buffer; returns uop_bgn.
  uint32_t kernel(const LoweredKernel& k, uint32_t dst, uint32_t src, uint32_t wgt) {
    const Encoded& e = encoded(k, dst, src, wgt);
    const UopCache::Placement pl = cache_.place(e.id);
    if (pl.load_needed) {
      auto it = uop_dram_.find(e.id);
      if (it == uop_dram_.end()) {
        const uint64_t addr = dram_.put(e.words, 4);
        it = uop_dram_.emplace(e.id, uint32_t(addr / 4)).first;
      }
      s_.emit(make_load(MemType::Uop, pl.sram_base, it->second, 1, uint32_t(e.words.size()), uint32_t(e.words.size())));
    }
    return pl.sram_base;
  }

  // A kernel's micro-op words with its buffer bases applied, and its id in the cache: encoded and
  // interned once per kernel and bases (a layer's tiles cycle through a few).
  struct Encoded {
    std::vector<uint32_t> words;
    uint32_t id;
  };
  const Encoded& encoded(const LoweredKernel& k, uint32_t dst, uint32_t src, uint32_t wgt) {
    const auto key = std::make_tuple(&k, dst, src, wgt);
    auto it = encoded_.find(key);
    if (it == encoded_.end()) {
      std::vector<uint32_t> words;
      words.reserve(k.uops.size());
      for (const auto& u : k.uops) words.push_back(cfg_.isa().encode_uop({u.dst + dst, u.src + src, u.wgt + wgt}));
      const uint32_t id = cache_.intern(words);
      it = encoded_.emplace(key, Encoded{std::move(words), id}).first;
    }
    return it->second;
  }

  void emit_tiles() {
    const uint32_t oc_tiles = p_.ocb / p_.oc_f, h_tiles = p_.oh / p_.h_f, w_tiles = p_.ow / p_.w_f;
    auto tile_at = [&](uint32_t nb, uint32_t ob, uint32_t hb, uint32_t wb, bool phantom = false) {
      const uint64_t t = tiles_++;
      const uint32_t half = uint32_t(t % p_.nbuf);
      return Tile{t, nb, ob * p_.oc_f, hb * p_.h_f, wb * p_.w_f, p_.tile_base(half), p_.bias_base(half), phantom};
    };
    if (p_.nbuf == 1) {
      total_jobs_ = p_.tiles * p_.steps;
      for (uint32_t nb = 0; nb < p_.nb; ++nb)
        for (uint32_t ob = 0; ob < oc_tiles; ++ob)
          for (uint32_t hb = 0; hb < h_tiles; ++hb)
            for (uint32_t wb = 0; wb < w_tiles; ++wb) emit_group({tile_at(nb, ob, hb, wb)});
      return;
    }
    const uint32_t axis = p_.thread_over_oc ? oc_tiles : h_tiles;
    total_jobs_ = uint64_t(p_.nb) * (p_.tiles / p_.nb / axis) * ((axis + 1) / 2) * 2 * p_.steps;
    for (uint32_t nb = 0; nb < p_.nb; ++nb) {
      if (p_.thread_over_oc) {
        for (uint32_t hb = 0; hb < h_tiles; ++hb)
          for (uint32_t wb = 0; wb < w_tiles; ++wb)
            for (uint32_t ob = 0; ob < oc_tiles; ob += 2) {
              const Tile a = tile_at(nb, ob, hb, wb);
              emit_group({a, tile_at(nb, ob + 1, hb, wb, ob + 1 == oc_tiles)});
            }
      } else {
        for (uint32_t ob = 0; ob < oc_tiles; ++ob)
          for (uint32_t wb = 0; wb < w_tiles; ++wb)
            for (uint32_t hb = 0; hb < h_tiles; hb += 2) {
              const Tile a = tile_at(nb, ob, hb, wb);
              emit_group({a, tile_at(nb, ob, hb + 1, wb, hb + 1 == h_tiles)});
            }
      }
    }
  }

  // Where one output tile lives: its position in the output and its accumulator half. A phantom
  // tile (see above) only passes tokens on.
  struct Tile {
    uint64_t index;
    uint32_t nb, o0, h0, w0;
    uint32_t acc_half, bias_sram;
    bool phantom;
  };

  // One tile, or a pair of tiles for two virtual threads (thread r works on tiles[r]).
  void emit_group(const std::vector<Tile>& tiles) {
    for (const Tile& tile : tiles) {
      // Accumulator: bias row, then reset the tile; the acc half must have been stored first.
      if (tile.index >= p_.nbuf) s_.dep_pop(Stage::Store, Stage::Compute);
      if (tile.phantom) continue;
      const uint32_t alu_bgn = kernel(p_.alu, tile.acc_half, tile.bias_sram, 0);
      s_.emit(make_load(MemType::Acc, tile.bias_sram, uint32_t(acc_base_ + uint64_t(tile.nb) * p_.ocb + tile.o0), 1,
                        p_.oc_f, p_.oc_f));
      s_.emit(conv_reset_insn(p_, alu_bgn));
    }
    for (uint32_t k = 0; k < p_.steps; ++k, ++steps_) {
      for (uint32_t r = 0; r < tiles.size(); ++r) emit_step(tiles[r], k, r);
    }
    for (const Tile& tile : tiles) emit_epilogue_and_store(tile);
  }

  // Reduction step k of thread r's tile: the load stage brings the input window and the weights in
  // (or leaves the shared part to thread 0), the compute stage runs the GEMM over them.
  void emit_step(const Tile& tile, uint32_t k, uint32_t r) {
    const ConvShape& sh = layer_.shape;
    const uint64_t j = job_++;
    const bool share_inp = p_.nbuf == 2 && p_.thread_over_oc, share_wgt = p_.nbuf == 2 && !p_.thread_over_oc;
    const uint32_t parity = uint32_t(steps_ % 2);
    const uint32_t inp_half = (share_inp ? parity : r) * p_.inp_half;
    const uint32_t wgt_half = (share_wgt ? parity : r) * p_.wgt_half;
    // Step k covers input blocks [ic0, ic0 + ko) and kernel rows [ky0, ky0 + kh_f).
    const uint32_t ic0 = (k / p_.ky_steps()) * p_.ko, ky0 = (k % p_.ky_steps()) * p_.kh_f;
    if (j >= p_.nbuf) s_.dep_pop(Stage::Compute, Stage::Load);
    if (tile.phantom) {
      s_.dep_push(Stage::Load, Stage::Compute);
      s_.dep_pop(Stage::Load, Stage::Compute);
      if (j + p_.nbuf < total_jobs_) s_.dep_push(Stage::Compute, Stage::Load);
      return;
    }
    if (!share_inp || r == 0) {
      const int iy0 = int(tile.h0 * p_.stride + ky0) - int(p_.pad), ix0 = int(tile.w0 * p_.stride) - int(p_.pad);
      // Rows of the window inside the image; a split kernel's window may lie in the padding only.
      const int y_lo = std::clamp(iy0, 0, sh.h), y_hi = std::clamp(iy0 + int(p_.in_rows), y_lo, sh.h);
      const int x_lo = std::max(ix0, 0), x_hi = std::min(ix0 + int(p_.in_cols), sh.w);
      for (uint32_t c = 0; c < p_.ko; ++c) {
        const uint64_t row0 = (uint64_t(tile.nb) * p_.icb + ic0 + c) * sh.h + uint64_t(y_lo);
        // y_size is 0 when a split kernel's rows fall in the padding only.
        Insn in = make_load(MemType::Inp, inp_half + c * p_.in_rows * p_.in_cols,
                            uint32_t(inp_base_ + row0 * sh.w + uint64_t(x_lo)), uint32_t(y_hi - y_lo),
                            uint32_t(x_hi - x_lo), uint32_t(sh.w));
        in.y_pad_0 = uint32_t(std::clamp(y_lo - iy0, 0, int(p_.in_rows)));
        in.y_pad_1 = p_.in_rows - in.y_pad_0 - in.y_size;
        in.x_pad_0 = uint32_t(x_lo - ix0);
        in.x_pad_1 = p_.in_cols - in.x_pad_0 - in.x_size;
        s_.emit(in);
      }
    }
    if (!share_wgt || r == 0) {
      // Weights: one load of whole kernels, or one per input block with a slice of kernel rows.
      const uint32_t weight_loads = p_.split_kernel() ? p_.ko : 1;
      for (uint32_t c = 0; c < weight_loads; ++c) {
        s_.emit(make_load(MemType::Wgt, wgt_half + c * p_.wgt_c_stride,
                          uint32_t(wgt_base_ + ((uint64_t(tile.o0) * p_.icb + ic0 + c) * p_.kh + ky0) * p_.kw), p_.oc_f,
                          (p_.split_kernel() ? 1 : p_.ko) * p_.kh_f * p_.kw, p_.icb * p_.kh * p_.kw));
      }
    }
    s_.dep_push(Stage::Load, Stage::Compute);
    const uint32_t gemm_bgn = kernel(p_.gemm, tile.acc_half, inp_half, wgt_half);
    s_.dep_pop(Stage::Load, Stage::Compute);
    s_.emit(conv_gemm_insn(p_, gemm_bgn));
    if (j + p_.nbuf < total_jobs_) s_.dep_push(Stage::Compute, Stage::Load);
  }

  // The epilogue on the tensor ALU, then the store of each output-channel block of the tile. (The ALU
  // kernel is still resident: GEMM kernels never evict it unless the buffer wraps, and then it is
  // reloaded.)
  void emit_epilogue_and_store(const Tile& tile) {
    if (tile.phantom) {
      s_.dep_push(Stage::Compute, Stage::Store);
      s_.dep_pop(Stage::Compute, Stage::Store);
      s_.dep_push(Stage::Store, Stage::Compute);
      return;
    }
    const uint32_t bgn = kernel(p_.alu, tile.acc_half, tile.bias_sram, 0);
    for (const Insn& i : conv_epilogue_insns(p_, layer_.epilogue, bgn)) s_.emit(i);
    s_.dep_push(Stage::Compute, Stage::Store);
    s_.dep_pop(Stage::Compute, Stage::Store);
    for (uint32_t o = 0; o < p_.oc_f; ++o) {
      const uint64_t row0 = (uint64_t(tile.nb) * p_.ocb + tile.o0 + o) * p_.oh + tile.h0;
      s_.emit(make_store(tile.acc_half + o * p_.pixels, uint32_t(out_base_ + row0 * p_.ow + tile.w0), p_.h_f, p_.w_f,
                         p_.ow));
    }
    s_.dep_push(Stage::Store, Stage::Compute);
  }

  const ConvLayer& layer_;
  const HwConfig& cfg_;
  const ConvPlan& p_;
  DramBuilder dram_;
  InsnStream s_;
  UopCache cache_;
  std::map<uint32_t, uint32_t> uop_dram_;  // kernel id -> dram_base (in micro-ops)
  std::map<std::tuple<const LoweredKernel*, uint32_t, uint32_t, uint32_t>, Encoded> encoded_;
  uint64_t inp_base_ = 0, wgt_base_ = 0, acc_base_ = 0, out_base_ = 0;
  uint64_t job_ = 0;    // reduction steps emitted, over every tile
  uint64_t steps_ = 0;  // reduction steps of groups emitted (a pair's step counts once)
  uint64_t tiles_ = 0;       // tiles emitted, phantoms included
  uint64_t total_jobs_ = 0;  // reduction steps the program will have, phantoms' included
};

}  // namespace

PackedConvData pack_conv_data(const ConvLayer& layer, const HwConfig& cfg, const ConvData& data) {
  const BlockShape bs{cfg.batch(), cfg.block_in(), cfg.block_out()};
  PackedConvData p;
  p.input = pack_activations(data.input, bs);
  p.weights = pack_weights(data.weights, bs);
  p.bias = pack_bias(data.bias, layer.shape.n, bs);
  return p;
}

PackedConvData zero_conv_data(const ConvLayer& layer, const HwConfig& cfg) {
  const ConvShape& s = layer.shape;
  const size_t nb = size_t(ceil_div(s.n, cfg.batch())), icb = size_t(ceil_div(s.ic, cfg.block_in())),
               ocb = size_t(ceil_div(s.oc, cfg.block_out()));
  PackedConvData p;
  p.zero_input = nb * icb * size_t(s.h) * size_t(s.w) * cfg.elem_bytes(MemType::Inp);
  p.zero_weights = ocb * icb * size_t(s.kh) * size_t(s.kw) * cfg.elem_bytes(MemType::Wgt);
  p.zero_bias = nb * ocb * size_t(cfg.batch()) * size_t(cfg.block_out());
  p.zero = true;
  return p;
}

CompiledConv compile_conv(const ConvLayer& layer, const HwConfig& cfg, const ConvSchedule& schedule,
                          const ConvData& data) {
  return compile_conv(layer, cfg, schedule, pack_conv_data(layer, cfg, data));
}

CompiledConv compile_conv(const ConvLayer& layer, const HwConfig& cfg, const ConvSchedule& schedule,
                          const PackedConvData& data) {
  ConvPlan plan;
  std::string why;
  if (!plan_conv(layer, cfg, schedule, plan, why)) {
    throw UserError("schedule " + schedule.describe() + " does not fit layer " + layer.name + ": " + why);
  }
  return Lowering(layer, cfg, plan).run(schedule, data);
}

Int8Tensor read_conv_output(const ProgramImage& image, uint64_t out_addr, uint64_t out_bytes, const ConvLayer& layer,
                            const HwConfig& cfg) {
  if (out_addr + out_bytes > image.dram.size()) throw std::logic_error("read_conv_output: the output lies beyond the image");
  const int8_t* blocked = reinterpret_cast<const int8_t*>(image.dram.data() + out_addr);
  const BlockShape bs{cfg.batch(), cfg.block_in(), cfg.block_out()};
  return unpack_activations(blocked, layer.shape.n, layer.shape.oc, layer.shape.out_h(), layer.shape.out_w(),
                            cfg.block_out(), bs);
}

}  // namespace vtasim
