// The GEMM operators for the run pipeline (see layer_compiler.h): convolution (grouped ones with
// block-diagonal weights) and dense layers (a 1x1 convolution of a 1x1 image); seeded data, the
// reference, schedule choice and lowering. make_layer_compiler, which picks the operator, lives here.
#include <cmath>
#include <memory>

#include "models/errors.h"
#include "models/limits.h"
#include "models/timing/cycle_bound.h"
#include "runtime/conv_lowering.h"
#include "runtime/layer_compiler.h"
#include "runtime/search_cache.h"
#include "workloads/reference_onednn.h"

namespace vtasim {

namespace {

class ConvCompiler final : public LayerCompiler {
 public:
  ConvCompiler(const ConvLayer& layer, const HwConfig& cfg, SearchCache* cache)
      : layer_(layer), cfg_(cfg), cache_(cache), cache_key_(cache ? SearchCache::layer_key(layer, cfg) : "") {}

  uint64_t macs() const override { return layer_.macs(); }

  ConvSchedule choose_schedule(uint32_t threads, const ScheduleSource& source) const override {
    return vtasim::choose_schedule(layer_, cfg_, threads, source);
  }

  std::vector<ConvSchedule> schedule_candidates(uint32_t threads, const ScheduleSource& source, size_t k) const override {
    if (source.kind != ScheduleKind::Auto) return {vtasim::choose_schedule(layer_, cfg_, threads, source)};
    try {
      return auto_candidates(layer_, cfg_, threads, k, cache_);
    } catch (const UserError&) {
      if (threads != 2) throw;
      // No tiling splits into two virtual threads (too few tiles on either axis): the layer runs with
      // one, as VTA's compiler would, and its schedule says so.
      std::vector<ConvSchedule> one = auto_candidates(layer_, cfg_, 1, k, cache_);
      for (auto& s : one) s.source = "auto (one thread: no two-thread tiling fits)";
      return one;
    }
  }

  void make_data(uint64_t seed) override {
    check_memory_budget(cfg_, memory_bytes(), "layer " + layer_.name + " (its tensors, packed copies and reference)");
    const ConvData data = make_conv_data(layer_, seed);
    reference_ = reference_convolution(layer_.shape, layer_.groups, data.input, data.weights, data.bias, layer_.epilogue);
    packed_ = pack_conv_data(layer_, cfg_, data);
  }

  void make_zero_data() override {
    check_memory_budget(cfg_, memory_bytes(), "layer " + layer_.name + " (its tensors, packed copies and reference)");
    reference_ = Int8Tensor();
    packed_ = zero_conv_data(layer_, cfg_);
  }

  CompiledLayer compile(const ConvSchedule& schedule) const override {
    // A timing-only program depends on the layer, the hardware's shape and the schedule alone.
    const std::string key = cache_ && packed_.zero ? cache_key_ + " " + SearchCache::schedule_key(schedule) : "";
    if (const CompiledLayer* known = key.empty() ? nullptr : cache_->program(key)) return *known;
    CompiledConv c = compile_conv(layer_, cfg_, schedule, packed_);
    CompiledLayer out;
    out.image = std::move(c.image);
    out.schedule = c.schedule;
    out.out_addr = c.out_addr;
    out.out_bytes = c.out_bytes;
    out.decoded = std::make_shared<const std::vector<Insn>>(std::move(c.insns));  // what decoding the image gives
    if (!key.empty()) {
      if (cfg_.params().cache_kib > 0) {  // which of its reads surely miss the cache: the same at every timing
        out.cold = std::make_shared<const ColdBursts>(*out.decoded, out.image.bases, out.image.insn_addr, cfg_);
      }
      cache_->put_program(key, out);
    }
    return out;
  }

  Int8Tensor read_output(const CompiledLayer& c) const override {
    return read_conv_output(c.image, c.out_addr, c.out_bytes, layer_, cfg_);
  }

  const Int8Tensor& reference() const override { return reference_; }

 private:
  // Bytes the layer's data takes at its peak: the tensors as generated, their packed copies (padded to
  // the GEMM core), the DRAM image, the reference output and its int32 sums.
  double memory_bytes() const {
    const ConvShape& s = layer_.shape;
    auto up = [](double x, double m) { return std::ceil(x / m) * m; };
    const double n = up(s.n, cfg_.batch()), ic = up(s.ic, cfg_.block_in()), oc = up(s.oc, cfg_.block_out());
    const double in = double(s.n) * s.ic * s.h * s.w, in_packed = n * ic * s.h * s.w;
    const double wt = double(s.oc) * s.ic * s.kh * s.kw, wt_packed = oc * ic * s.kh * s.kw;
    const double pixels = double(s.out_h()) * s.out_w();
    const double out = double(s.n) * s.oc * pixels, out_packed = n * oc * pixels;
    return in + wt + 2 * (in_packed + wt_packed) + 5 * out + 2 * out_packed;
  }

  ConvLayer layer_;
  HwConfig cfg_;
  SearchCache* cache_;     // may be null
  std::string cache_key_;  // the layer on this hardware shape, for cache_
  PackedConvData packed_;
  Int8Tensor reference_;
};

}  // namespace

std::unique_ptr<LayerCompiler> make_conv_compiler(const ConvLayer& layer, const HwConfig& cfg, SearchCache* cache) {
  return std::make_unique<ConvCompiler>(layer, cfg, cache);
}

std::unique_ptr<LayerCompiler> make_layer_compiler(const ConvLayer& layer, const HwConfig& cfg, SearchCache* cache) {
  if (layer.on_alu()) return make_alu_op_compiler(layer, cfg);
  return make_conv_compiler(layer, cfg, cache);
}

}  // namespace vtasim
