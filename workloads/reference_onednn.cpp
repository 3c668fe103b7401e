// oneDNN reference convolution (see reference_onednn.h). oneDNN itself lives in a plug-in
// (onednn_plugin.cpp) loaded on first use.
#include "workloads/reference_onednn.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "models/errors.h"
#include "workloads/reference_ops.h"

#ifdef VTASIM_ONEDNN_LINKED
// The plug-in's interface (onednn_plugin.cpp), linked directly in sanitizer builds.
extern "C" int vtasim_onednn_describe(char* text, int size);
extern "C" int vtasim_onednn_conv_s32(const int* dims, const int8_t* input, const int8_t* weights, int32_t* sums);
#endif

namespace vtasim {

namespace {

using DescribeFn = int (*)(char*, int);
using ConvFn = int (*)(const int*, const int8_t*, const int8_t*, int32_t*);

struct Plugin {
  ConvFn conv = nullptr;
  ReferenceChoice choice;
};

#ifndef VTASIM_ONEDNN_LINKED
// Where the plug-in may be: where the build put it, then beside the executable.
std::vector<std::string> plugin_paths() {
  std::vector<std::string> paths;
#ifdef VTASIM_ONEDNN_PLUGIN
  paths.push_back(VTASIM_ONEDNN_PLUGIN);
#endif
  char exe[4096];
  const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    const std::string self(exe, size_t(n));
    paths.push_back(self.substr(0, self.rfind('/') + 1) + "libvtasim_onednn.so");
  }
  return paths;
}
#endif

Plugin load() {
  const char* env = std::getenv("VTASIM_REFERENCE");
  const std::string want = env ? env : "";
  if (!want.empty() && want != "onednn" && want != "loops")
    throw UserError("VTASIM_REFERENCE = '" + want + "' is not a reference; use onednn or loops (or unset it)");
  Plugin p;
  if (want == "loops") {
    p.choice = {false, "hand-written loops (VTASIM_REFERENCE=loops)"};
    return p;
  }
#ifndef VTASIM_ONEDNN_PLUGIN
  p.choice = {false, "hand-written loops (built without oneDNN)"};
  return p;
#else
#ifdef VTASIM_ONEDNN_LINKED
  DescribeFn describe = &vtasim_onednn_describe;
  p.conv = &vtasim_onednn_conv_s32;
#else
  void* handle = nullptr;
  std::string why;
  for (const std::string& path : plugin_paths()) {
    handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle) break;
    const char* e = ::dlerror();
    why = e ? e : path + " did not load";
  }
  const auto describe = handle ? reinterpret_cast<DescribeFn>(::dlsym(handle, "vtasim_onednn_describe")) : nullptr;
  p.conv = handle ? reinterpret_cast<ConvFn>(::dlsym(handle, "vtasim_onednn_conv_s32")) : nullptr;
  if (!describe || !p.conv) {
    p.conv = nullptr;
    p.choice = {false, "hand-written loops (the oneDNN plug-in is not usable: " + (handle ? "symbols missing" : why) + ")"};
    return p;
  }
#endif
  char text[160] = {};
  if (describe(text, int(sizeof text)) != 1) {
    p.conv = nullptr;
    p.choice = {false, std::string("hand-written loops (") + text +
                           " is not exact for int8 x int8 on this CPU: no VNNI, so it sums pairs of products in "
                           "saturating 16-bit arithmetic)"};
    return p;
  }
  p.choice = {true, text};
  return p;
#endif
}

const Plugin& plugin() {
  static const Plugin p = load();
  return p;
}

}  // namespace

const ReferenceChoice& reference_choice() { return plugin().choice; }

std::optional<Int8Tensor> try_onednn_conv2d(const ConvShape& s, int groups, const Int8Tensor& input,
                                            const Int8Tensor& weights, const std::vector<int32_t>& bias,
                                            const Epilogue& ep) {
  const Plugin& p = plugin();
  if (!p.conv) return std::nullopt;
  const int oh = s.out_h(), ow = s.out_w(), per_in = s.ic / groups, per_out = s.oc / groups;
  std::vector<int8_t> grouped;  // oneDNN's goihw: only the in-group entries
  if (groups > 1) {
    grouped.reserve(size_t(s.oc) * per_in * s.kh * s.kw);
    for (int o = 0; o < s.oc; ++o)
      for (int c = 0; c < per_in; ++c)
        for (int ky = 0; ky < s.kh; ++ky)
          for (int kx = 0; kx < s.kw; ++kx) grouped.push_back(weights.at(o, (o / per_out) * per_in + c, ky, kx));
  }
  const int dims[12] = {s.n, s.ic, s.h, s.w, s.oc, s.kh, s.kw, s.pad, s.stride, groups, oh, ow};
  std::vector<int32_t> sums(size_t(s.n) * s.oc * oh * ow);
  if (p.conv(dims, input.data.data(), groups > 1 ? grouped.data() : weights.data.data(), sums.data()) != 0)
    return std::nullopt;
  Int8Tensor out(s.n, s.oc, oh, ow);
  const size_t plane = size_t(oh) * ow;
  for (size_t c = 0; c < size_t(s.n) * s.oc; ++c) {  // one (image, channel) plane at a time
    const uint32_t b = bias.empty() ? 0u : uint32_t(bias[c % size_t(s.oc)]);
    const int32_t* in_plane = sums.data() + c * plane;
    int8_t* out_plane = out.data.data() + c * plane;
    for (size_t i = 0; i < plane; ++i) out_plane[i] = requantize(int32_t(uint32_t(in_plane[i]) + b), ep);  // wrapping add
  }
  return out;
}

Int8Tensor reference_convolution(const ConvShape& s, int groups, const Int8Tensor& input, const Int8Tensor& weights,
                                 const std::vector<int32_t>& bias, const Epilogue& ep) {
  if (std::optional<Int8Tensor> r = try_onednn_conv2d(s, groups, input, weights, bias, ep)) return std::move(*r);
  // oneDNN not in use, or a shape it declines: the loops compute the same result.
  return groups > 1 ? reference_grouped_conv2d(s, groups, input, weights, bias, ep)
                    : reference_conv2d(s, input, weights, bias, ep);
}

}  // namespace vtasim
