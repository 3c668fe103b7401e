// The arithmetic limit a simulator run is measured against: the twelve ResNet-18 convolutions of the
// default benchmark (batch 1, the run's data) computed by oneDNN on one core, s8 x s8 -> s32, with the
// primitives created and the operands in oneDNN's chosen layouts beforehand, so only the arithmetic
// is timed. For comparison: the same through vtasim's reference path (oneDNN plus layout changes and
// requantisation; its first pass in the fresh process timed apart, as a vtasim run pays it) and
// through the hand-written loops. Best of N passes; prints one line per variant and, for scripts,
// "onednn_path_ms", "onednn_cold_ms" and, last, "onednn_pass_ms". Usage: bench_reference [passes]
#include <dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "workloads/conv_layer.h"
#include "workloads/reference_onednn.h"
#include "workloads/reference_ops.h"

namespace {

using Clock = std::chrono::steady_clock;

double best_ms(int passes, const std::function<void()>& pass) {
  double best = 1e300;
  for (int i = 0; i < passes; ++i) {
    const auto t0 = Clock::now();
    pass();
    best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  return best;
}

// One layer, ready to run: primitive and operands in the layouts the primitive chose.
struct Ready {
  dnnl::convolution_forward conv;
  dnnl::memory src, wgt, dst;
};

Ready prepare(const vtasim::ConvLayer& l, const vtasim::ConvData& d, dnnl::engine& eng, dnnl::stream& strm) {
  using dnnl::memory;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  const vtasim::ConvShape& s = l.shape;
  const memory::dims src_dims{s.n, s.ic, s.h, s.w}, wei_dims{s.oc, s.ic, s.kh, s.kw},
      dst_dims{s.n, s.oc, s.out_h(), s.out_w()};
  const dnnl::convolution_forward::desc desc(
      dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, memory::desc(src_dims, dt::s8, tag::any),
      memory::desc(wei_dims, dt::s8, tag::any), memory::desc(dst_dims, dt::s32, tag::any), {s.stride, s.stride},
      {s.pad, s.pad}, {s.pad, s.pad});
  const dnnl::convolution_forward::primitive_desc pd(desc, eng);
  Ready r{dnnl::convolution_forward(pd), memory(pd.src_desc(), eng), memory(pd.weights_desc(), eng),
          memory(pd.dst_desc(), eng)};
  memory user_src({src_dims, dt::s8, tag::nchw}, eng, const_cast<int8_t*>(d.input.data.data()));
  memory user_wgt({wei_dims, dt::s8, tag::oihw}, eng, const_cast<int8_t*>(d.weights.data.data()));
  dnnl::reorder(user_src, r.src).execute(strm, user_src, r.src);
  dnnl::reorder(user_wgt, r.wgt).execute(strm, user_wgt, r.wgt);
  strm.wait();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const int passes = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
  std::vector<vtasim::ConvLayer> layers = vtasim::load_workload("resnet18_convs");
  std::vector<vtasim::ConvData> data;
  uint64_t macs = 0;
  for (auto& l : layers) {
    l.shape.n = 1;
    data.push_back(vtasim::make_conv_data(l, 1));
    macs += l.macs();
  }
  const auto path_pass = [&] {
    for (size_t i = 0; i < layers.size(); ++i)
      vtasim::try_onednn_conv2d(layers[i].shape, 1, data[i].input, data[i].weights, data[i].bias, layers[i].epilogue);
  };
  // First, as in a fresh vtasim run: the reference path's first pass, with the plug-in loaded, oneDNN
  // set up and every primitive made (JIT-compiled) on the way; nothing before it touched oneDNN.
  const auto cold_start = Clock::now();
  const vtasim::ReferenceChoice& choice = vtasim::reference_choice();  // loads the plug-in; oneDNN on one core
  if (choice.onednn) path_pass();
  const double cold = std::chrono::duration<double, std::milli>(Clock::now() - cold_start).count();
  std::printf("reference used by vtasim here: %s\n", choice.reason.c_str());
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  std::vector<Ready> ready;
  for (size_t i = 0; i < layers.size(); ++i) ready.push_back(prepare(layers[i], data[i], eng, strm));

  const double dnn = best_ms(passes, [&] {
    for (auto& r : ready)
      r.conv.execute(strm, {{DNNL_ARG_SRC, r.src}, {DNNL_ARG_WEIGHTS, r.wgt}, {DNNL_ARG_DST, r.dst}});
    strm.wait();
  });
  std::printf("oneDNN, %zu convolutions (%.2f GMAC), primitives ready: %.2f ms per pass (%.1f GMAC/s), best of %d\n",
              layers.size(), macs / 1e9, dnn, macs / dnn / 1e6, passes);
  if (choice.onednn) {
    const double path = best_ms(passes, path_pass);
    std::printf("vtasim's oneDNN reference path (convolution primitives made once per shape and kept, operands "
                "reordered per call, requantisation): %.2f ms per pass; its first pass in a fresh process (plug-in "
                "loaded, oneDNN set up, primitives made): %.2f ms\n",
                path, cold);
    std::printf("onednn_path_ms %.4f\n", path);
    std::printf("onednn_cold_ms %.4f\n", cold);
  }
  const double loops = best_ms(std::max(1, passes / 10), [&] {
    for (size_t i = 0; i < layers.size(); ++i)
      vtasim::reference_conv2d(layers[i].shape, data[i].input, data[i].weights, data[i].bias, layers[i].epilogue);
  });
  std::printf("hand-written loops: %.2f ms per pass\n", loops);
  std::printf("onednn_pass_ms %.4f\n", dnn);
  return 0;
}
