// The oneDNN part of the reference convolution, built as a plug-in (libvtasim_onednn.so) that
// reference_onednn.cpp loads on first use: processes that never compute a reference (timing-only
// design points) do not load oneDNN at all. A C interface, so no exception or C++ type crosses it.
#include <dnnl.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#ifdef VTASIM_HAVE_OPENMP
#include <omp.h>
#endif

namespace {

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

const char* isa_label(dnnl::cpu_isa isa) {
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

void conv_s32(const int* v, const int8_t* input, const int8_t* weights, int32_t* sums) {
  using dnnl::memory;
  using tag = memory::format_tag;
  using dt = memory::data_type;
  const int n = v[0], ic = v[1], h = v[2], w = v[3], oc = v[4], kh = v[5], kw = v[6], pad = v[7], stride = v[8],
            groups = v[9], oh = v[10], ow = v[11];
  OneDnn& d = onednn();
  const memory::dims src_dims{n, ic, h, w}, dst_dims{n, oc, oh, ow}, strides{stride, stride}, pads{pad, pad};
  const memory::dims wei_dims = groups == 1 ? memory::dims{oc, ic, kh, kw}
                                            : memory::dims{groups, oc / groups, ic / groups, kh, kw};
  const std::vector<int> key(v, v + 12);
  auto known = d.prepared.find(key);
  if (known == d.prepared.end()) {
    if (d.prepared.size() >= 64) d.prepared.clear();  // bounded: a process rarely sees that many shapes
    const dnnl::convolution_forward::desc desc(
        dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, memory::desc(src_dims, dt::s8, tag::any),
        memory::desc(wei_dims, dt::s8, tag::any), memory::desc(dst_dims, dt::s32, tag::any), strides, pads, pads);
    dnnl::convolution_forward::primitive_desc pd(desc, d.engine);
    dnnl::convolution_forward conv(pd);
    known = d.prepared.emplace(key, Prepared{std::move(pd), std::move(conv)}).first;
  }
  const auto& pd = known->second.pd;
  // Plain user buffers, reordered into the layouts the primitive chose where they differ.
  const auto as_chosen = [&](const memory::desc& chosen, memory user) {
    if (chosen == user.get_desc()) return user;
    memory m(chosen, d.engine);
    dnnl::reorder(user, m).execute(d.stream, user, m);
    return m;
  };
  memory src = as_chosen(pd.src_desc(), memory({src_dims, dt::s8, tag::nchw}, d.engine, const_cast<int8_t*>(input)));
  memory wgt = as_chosen(pd.weights_desc(), memory({wei_dims, dt::s8, groups == 1 ? tag::oihw : tag::goihw}, d.engine,
                                                   const_cast<int8_t*>(weights)));
  memory user_dst({dst_dims, dt::s32, tag::nchw}, d.engine, sums);
  memory dst = pd.dst_desc() == user_dst.get_desc() ? user_dst : memory(pd.dst_desc(), d.engine);
  known->second.conv.execute(d.stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wgt}, {DNNL_ARG_DST, dst}});
  if (dst != user_dst) dnnl::reorder(dst, user_dst).execute(d.stream, dst, user_dst);
  d.stream.wait();
}

}  // namespace

extern "C" {

// Writes a description ("oneDNN 2.6.3, avx512_core_amx") into text (NUL-terminated, at most size
// bytes) and returns 1 when oneDNN's int8 convolutions are exact on this CPU, 0 otherwise. Puts
// oneDNN on one core.
__attribute__((visibility("default"))) int vtasim_onednn_describe(char* text, int size) {
  try {
    const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
    const dnnl_version_t* v = dnnl::version();
    const std::string name = "oneDNN " + std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
                             std::to_string(v->patch) + ", " + isa_label(isa);
    if (size > 0) {
      const size_t n = std::min(name.size(), size_t(size - 1));
      name.copy(text, n);
      text[n] = '\0';
    }
#ifdef VTASIM_HAVE_OPENMP
    omp_set_num_threads(1);  // one core per process; sweeps run processes side by side
#endif
    return exact_int8(isa) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

// The int32 sums of a convolution (no bias), NCHW. dims: n, ic, h, w, oc, kh, kw, pad, stride, groups,
// out_h, out_w (the caller's ConvShape decides the output size);
// weights OIHW, or GOIHW (only the in-group entries) when groups > 1. Returns 0 on success, 1 when
// oneDNN declines the shape or fails.
__attribute__((visibility("default"))) int vtasim_onednn_conv_s32(const int* dims, const int8_t* input,
                                                                  const int8_t* weights, int32_t* sums) {
  try {
    conv_s32(dims, input, weights, sums);
    return 0;
  } catch (...) {
    return 1;
  }
}

}  // extern "C"
