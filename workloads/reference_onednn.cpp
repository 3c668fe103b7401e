// oneDNN reference convolution (see reference_onednn.h).
#include "workloads/reference_onednn.h"

#include <cstdlib>
#include <map>
#include <stdexcept>

#include "models/errors.h"
#include "workloads/reference_ops.h"

#ifdef VTASIM_HAVE_ONEDNN
#include <dnnl.hpp>
#ifdef VTASIM_HAVE_OPENMP
#include <omp.h>
#endif
#endif

namespace vtasim {

namespace {

#ifdef VTASIM_HAVE_ONEDNN
// The CPU levels whose int8 convolutions multiply-accumulate bytes exactly into int32 (VNNI).
bool exact_int8(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::avx2_vnni:
    case dnnl::cpu_isa::avx512_core_vnni:
    case dnnl::cpu_isa::avx512_core_bf16:
    case dnnl::cpu_isa::avx512_core_amx: return true;
    default: return false;
  }
}

std::string isa_label(dnnl::cpu_isa isa) {
  switch (isa) {
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx2: return "avx2";
    default: return "an older instruction set";
  }
}

// A convolution primitive and its descriptor, made once per shape in a process (a network repeats
// shapes; making one costs far more than running it).
struct Prepared {
  dnnl::convolution_forward::primitive_desc pd;
  dnnl::convolution_forward conv;
};

struct OneDnn {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  std::map<std::vector<int>, Prepared> prepared;
};

OneDnn& onednn() {
  static OneDnn instance;
  return instance;
}
#endif

ReferenceChoice decide() {
  const char* env = std::getenv("VTASIM_REFERENCE");
  const std::string want = env ? env : "";
  if (!want.empty() && want != "onednn" && want != "loops")
    throw UserError("VTASIM_REFERENCE = '" + want + "' is not a reference; use onednn or loops (or unset it)");
  if (want == "loops") return {false, "hand-written loops (VTASIM_REFERENCE=loops)"};
#ifdef VTASIM_HAVE_ONEDNN
  const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
  const dnnl_version_t* v = dnnl::version();
  const std::string name = "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                           std::to_string(v->patch);
  if (!exact_int8(isa))
    return {false, "hand-written loops (" + name + " on " + isa_label(isa) +
                       " is not exact for int8 x int8: no VNNI on this CPU)"};
#ifdef VTASIM_HAVE_OPENMP
  omp_set_num_threads(1);  // one core per process; sweeps run processes side by side
#endif
  return {true, name + ", " + isa_label(isa)};
#else
  return {false, "hand-written loops (built without oneDNN)"};
#endif
}

}  // namespace

const ReferenceChoice& reference_choice() {
  static const ReferenceChoice choice = decide();
  return choice;
}

Int8Tensor onednn_conv2d(const ConvShape& s, int groups, const Int8Tensor& input, const Int8Tensor& weights,
                         const std::vector<int32_t>& bias, const Epilogue& ep) {
#ifdef VTASIM_HAVE_ONEDNN
  using dnnl::memory;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  OneDnn& d = onednn();
  const int oh = s.out_h(), ow = s.out_w();
  const memory::dims src_dims{s.n, s.ic, s.h, s.w}, dst_dims{s.n, s.oc, oh, ow};
  const memory::dims strides{s.stride, s.stride}, pad{s.pad, s.pad};
  const int per_in = s.ic / groups, per_out = s.oc / groups;
  memory::dims wei_dims;
  std::vector<int8_t> wei;  // oneDNN's plain layout: oihw, or goihw with only the in-group entries
  if (groups == 1) {
    wei_dims = {s.oc, s.ic, s.kh, s.kw};
  } else {
    wei_dims = {groups, per_out, per_in, s.kh, s.kw};
    wei.reserve(size_t(s.oc) * per_in * s.kh * s.kw);
    for (int o = 0; o < s.oc; ++o)
      for (int c = 0; c < per_in; ++c)
        for (int ky = 0; ky < s.kh; ++ky)
          for (int kx = 0; kx < s.kw; ++kx) wei.push_back(weights.at(o, (o / per_out) * per_in + c, ky, kx));
  }
  const std::vector<int> key{s.n, s.ic, s.h, s.w, s.oc, s.kh, s.kw, s.pad, s.stride, groups};
  auto known = d.prepared.find(key);
  if (known == d.prepared.end()) {
    if (d.prepared.size() >= 64) d.prepared.clear();  // bounded: a process rarely sees that many shapes
    const memory::desc any_src(src_dims, dt::s8, tag::any), any_wei(wei_dims, dt::s8, tag::any),
        any_dst(dst_dims, dt::s32, tag::any);
    const dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                               dnnl::algorithm::convolution_direct, any_src, any_wei, any_dst, strides,
                                               pad, pad);
    dnnl::convolution_forward::primitive_desc pd(desc, d.engine);
    dnnl::convolution_forward conv(pd);
    known = d.prepared.emplace(key, Prepared{std::move(pd), std::move(conv)}).first;
  }
  const dnnl::convolution_forward::primitive_desc& pd = known->second.pd;

  // Plain user buffers, reordered into the layouts the primitive chose where they differ.
  const auto as_chosen = [&](const memory::desc& chosen, memory user) {
    if (chosen == user.get_desc()) return user;
    memory m(chosen, d.engine);
    dnnl::reorder(user, m).execute(d.stream, user, m);
    return m;
  };
  memory src = as_chosen(pd.src_desc(), memory({src_dims, dt::s8, tag::nchw}, d.engine,
                                               const_cast<int8_t*>(input.data.data())));
  memory wgt = as_chosen(pd.weights_desc(),
                         memory({wei_dims, dt::s8, groups == 1 ? tag::oihw : tag::goihw}, d.engine,
                                groups == 1 ? const_cast<int8_t*>(weights.data.data()) : wei.data()));
  std::vector<int32_t> sums(size_t(s.n) * s.oc * oh * ow);
  memory user_dst({dst_dims, dt::s32, tag::nchw}, d.engine, sums.data());
  memory dst = pd.dst_desc() == user_dst.get_desc() ? user_dst : memory(pd.dst_desc(), d.engine);
  known->second.conv.execute(d.stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wgt}, {DNNL_ARG_DST, dst}});
  if (dst != user_dst) dnnl::reorder(dst, user_dst).execute(d.stream, dst, user_dst);
  d.stream.wait();

  Int8Tensor out(s.n, s.oc, oh, ow);
  const size_t plane = size_t(oh) * ow;
  for (size_t p = 0; p < size_t(s.n) * s.oc; ++p) {  // one (image, channel) plane at a time
    const uint32_t b = bias.empty() ? 0u : uint32_t(bias[p % size_t(s.oc)]);
    const int32_t* in_plane = sums.data() + p * plane;
    int8_t* out_plane = out.data.data() + p * plane;
    for (size_t i = 0; i < plane; ++i) out_plane[i] = requantize(int32_t(uint32_t(in_plane[i]) + b), ep);  // wrapping add
  }
  return out;
#else
  (void)s, (void)groups, (void)input, (void)weights, (void)bias, (void)ep;
  throw std::logic_error("onednn_conv2d called in a build without oneDNN");
#endif
}

Int8Tensor reference_convolution(const ConvShape& s, int groups, const Int8Tensor& input, const Int8Tensor& weights,
                                 const std::vector<int32_t>& bias, const Epilogue& ep) {
  if (reference_choice().onednn) {
#ifdef VTASIM_HAVE_ONEDNN
    try {
      return onednn_conv2d(s, groups, input, weights, bias, ep);
    } catch (const dnnl::error&) {
      // A shape oneDNN declines: the loops compute the same result.
    }
#endif
  }
  return groups > 1 ? reference_grouped_conv2d(s, groups, input, weights, bias, ep)
                    : reference_conv2d(s, input, weights, bias, ep);
}

}  // namespace vtasim
