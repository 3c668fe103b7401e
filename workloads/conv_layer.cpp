// Workload tables and layer data (see conv_layer.h).
#include "workloads/conv_layer.h"

#include <cctype>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "models/csv.h"
#include "models/errors.h"
#include "models/file_io.h"
#include "models/parse.h"
#include "models/simd/host_kernels.h"
#include "models/suggest.h"
#include "workload_tables.h"

namespace vtasim {

int default_shift(int ic, int kh, int kw) {
  const double k = double(ic) * kh * kw;
  return std::clamp(int(std::lround(0.5 * std::log2(k) + 6.4)), 0, 15);
}

const char* op_name(OpKind op) {
  switch (op) {
    case OpKind::Conv: return "conv";
    case OpKind::Dense: return "dense";
    case OpKind::Add: return "add";
    case OpKind::MaxPool: return "maxpool";
    case OpKind::AvgPool: return "avgpool";
  }
  return "?";
}

uint64_t ConvLayer::ops() const {
  const ConvShape& s = shape;
  switch (op) {
    case OpKind::Conv:
    case OpKind::Dense: return 2 * macs();
    case OpKind::Add: return uint64_t(s.n) * s.ic * s.h * s.w;
    case OpKind::MaxPool:
    case OpKind::AvgPool: return uint64_t(s.n) * s.ic * s.out_h() * s.out_w() * s.kh * s.kw;
  }
  return 0;
}

bool is_scalesim_topology(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return false;
  const std::string head = text.substr(first, text.find('\n', first) - first);
  return head.find("IFMAP Height") != std::string::npos;
}

std::vector<ConvLayer> parse_scalesim_topology(const std::string& text, const std::string& origin) {
  std::vector<ConvLayer> layers;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  bool header = true;
  while (std::getline(lines, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line[line.find_first_not_of(" \t")] == '#') continue;
    std::vector<std::string> f = split_csv_line(line);
    while (!f.empty() && f.back().empty()) f.pop_back();  // SCALE-Sim ends every line with a comma
    const std::string where = origin + ":" + std::to_string(number);
    if (header) {
      header = false;
      continue;
    }
    if (f.size() != 8) {
      throw UserError(where + ": a SCALE-Sim topology row has 8 fields (Layer name, IFMAP Height, IFMAP Width, Filter "
                      "Height, Filter Width, Channels, Num Filter, Strides), this one " + std::to_string(f.size()));
    }
    auto field = [&](size_t i, int lo, int hi) {
      const auto v = parse_int(f[i]);
      if (!v || *v < lo || *v > hi) {
        throw UserError(where + ", field " + std::to_string(i + 1) + ": '" + f[i] + "' must be a whole number from " +
                        std::to_string(lo) + " to " + std::to_string(hi));
      }
      return int(*v);
    };
    ConvLayer l;
    // Names become file names: anything but letters, digits and _-.+ becomes '_'.
    for (char c : f[0]) l.name += std::isalnum(static_cast<unsigned char>(c)) || std::strchr("_-.+", c) ? c : '_';
    if (const std::string why = layer_name_problem(l.name); !why.empty()) throw UserError(where + ": " + why);
    for (const auto& other : layers)
      if (other.name == l.name) throw UserError(where + ": layer name '" + l.name + "' appears twice");
    l.shape.h = field(1, 1, 65535);
    l.shape.w = field(2, 1, 65535);
    l.shape.kh = field(3, 1, 255);
    l.shape.kw = field(4, 1, 255);
    l.shape.ic = field(5, 1, 1 << 20);
    l.shape.oc = field(6, 1, 1 << 20);
    l.shape.stride = field(7, 1, 255);
    l.shape.pad = 0;  // SCALE-Sim's IFMAP sizes include any padding
    if (l.shape.h < l.shape.kh || l.shape.w < l.shape.kw) throw UserError(where + ": the filter is larger than the IFMAP");
    l.epilogue.shift = default_shift(l.shape.ic, l.shape.kh, l.shape.kw);
    l.epilogue.relu = true;
    layers.push_back(l);
  }
  if (layers.empty()) throw UserError(origin + ": no layers");
  return layers;
}

namespace {

OpKind parse_op(const std::string& text, const std::string& where) {
  for (OpKind op : {OpKind::Conv, OpKind::Dense, OpKind::Add, OpKind::MaxPool, OpKind::AvgPool})
    if (text == op_name(op)) return op;
  throw UserError(where + ": op '" + text + "' is not one of conv, dense, add, maxpool, avgpool");
}

// The rules each operator's shape must follow (beyond the columns' own ranges).
void check_op_shape(const ConvLayer& l, const std::string& where) {
  const ConvShape& s = l.shape;
  auto need = [&](bool ok, const std::string& what) {
    if (!ok) throw UserError(where + ": " + op_name(l.op) + " layer " + l.name + ": " + what);
  };
  switch (l.op) {
    case OpKind::Conv:
      need(s.ic % l.groups == 0 && s.oc % l.groups == 0,
           "groups " + std::to_string(l.groups) + " must divide IC " + std::to_string(s.ic) + " and OC " + std::to_string(s.oc));
      break;
    case OpKind::Dense:
      need(s.h == 1 && s.w == 1 && s.kh == 1 && s.kw == 1 && s.pad == 0 && s.stride == 1,
           "a dense layer has H, W, KH, KW, stride 1 and pad 0 (IC inputs, OC outputs)");
      break;
    case OpKind::Add:
      need(s.ic == s.oc && s.kh == 1 && s.kw == 1 && s.pad == 0 && s.stride == 1,
           "an add has OC = IC, KH = KW = stride = 1 and pad 0");
      break;
    case OpKind::MaxPool:
    case OpKind::AvgPool: need(s.ic == s.oc, "a pool keeps its channels: OC must equal IC"); break;
  }
  if (l.op != OpKind::Conv) need(l.groups == 1, "only convolutions take groups");
}

}  // namespace

std::vector<ConvLayer> parse_workload_csv(const std::string& text, const std::string& origin) {
  if (is_scalesim_topology(text)) return parse_scalesim_topology(text, origin);
  const std::vector<std::string> required = {"name", "H", "W", "IC", "OC", "KH", "KW", "pad", "stride", "count"};
  const std::vector<std::string> optional = {"relu", "shift", "batch", "op", "groups"};
  const CsvTable t = CsvTable::parse(text, origin);
  std::vector<std::string> known = required;
  known.insert(known.end(), optional.begin(), optional.end());
  t.allow_only(known);
  t.require_columns(required);
  std::vector<ConvLayer> layers;
  for (const CsvRow& row : t.rows()) {
    auto number = [&](const std::string& name, int lo, int hi, int fallback) {
      const int c = t.column(name);
      return c < 0 ? fallback : int(t.integer(row, size_t(c), lo, hi));
    };
    ConvLayer l;
    const size_t name_col = size_t(t.column("name"));
    l.name = row.fields[name_col];
    if (const std::string why = layer_name_problem(l.name); !why.empty()) throw UserError(t.where(row, name_col) + ": " + why);
    for (const auto& other : layers)
      if (other.name == l.name) throw UserError(t.where(row) + ": layer name '" + l.name + "' appears twice");
    if (t.column("op") >= 0) l.op = parse_op(row.fields[size_t(t.column("op"))], t.where(row, size_t(t.column("op"))));
    l.shape.h = number("H", 1, 65535, 0);
    l.shape.w = number("W", 1, 65535, 0);
    l.shape.ic = number("IC", 1, 1 << 20, 0);
    l.shape.oc = number("OC", 1, 1 << 20, 0);
    l.shape.kh = number("KH", 1, 255, 0);
    l.shape.kw = number("KW", 1, 255, 0);
    l.shape.pad = number("pad", 0, 15, 0);
    l.shape.stride = number("stride", 1, 255, 1);
    l.count = number("count", 0, 1 << 20, 1);
    l.groups = number("groups", 1, 1 << 20, 1);
    // Defaults per operator: convolutions and adds end in ReLU, pools do not; adds halve the sum.
    l.epilogue.relu = number("relu", 0, 1, l.op == OpKind::MaxPool || l.op == OpKind::AvgPool ? 0 : 1) != 0;
    // VTA's SHR takes shift amounts up to 15 (its operand is 5 bits, signed).
    const int shift_default = l.op == OpKind::Add ? 1 : l.on_alu() ? 0 : default_shift(l.shape.ic / l.groups, l.shape.kh, l.shape.kw);
    l.epilogue.shift = number("shift", 0, 15, shift_default);
    l.shape.n = number("batch", 1, 1024, 1);
    l.batch_given = t.column("batch") >= 0;
    if (l.shape.h + 2 * l.shape.pad < l.shape.kh || l.shape.w + 2 * l.shape.pad < l.shape.kw) {
      throw UserError(t.where(row) + ": the " + std::to_string(l.shape.kh) + "x" + std::to_string(l.shape.kw) +
                      " kernel is larger than the padded input");
    }
    if (l.shape.pad > 0 && (l.shape.pad >= l.shape.kh || l.shape.pad >= l.shape.kw)) {
      throw UserError(t.where(row, size_t(t.column("pad"))) + ": pad " + std::to_string(l.shape.pad) +
                      " must be smaller than the kernel (some output would see only padding)");
    }
    check_op_shape(l, t.where(row));
    layers.push_back(l);
  }
  if (layers.empty()) throw UserError(origin + ": no layers");
  return layers;
}

std::string layer_name_problem(const std::string& name) {
  if (name.empty()) return "empty layer name";
  const std::string shown = name.size() > 40 ? name.substr(0, 40) + "..." : name;
  if (name.size() > 64) return "layer name '" + shown + "' is longer than 64 characters";
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '+')) {
      return "layer name '" + shown + "' has the character '" + std::string(1, c) +
             "'; names are letters, digits, '_', '-', '.' and '+' (they name files)";
    }
  }
  return "";
}

const char* builtin_workload_csv(const std::string& name) {
  for (const auto& w : kBuiltinWorkloads)
    if (name == w.name) return w.csv;
  return nullptr;
}

std::vector<std::string> builtin_workload_names() {
  std::vector<std::string> names;
  for (const auto& w : kBuiltinWorkloads) names.push_back(w.name);
  return names;
}

std::vector<ConvLayer> load_workload(const std::string& name_or_file) {
  if (const char* csv = builtin_workload_csv(name_or_file)) return parse_workload_csv(csv, name_or_file + " (built in)");
  if (!file_exists(name_or_file)) {
    std::string names;
    for (const auto& n : builtin_workload_names()) names += (names.empty() ? "" : ", ") + n;
    throw UserError("workload '" + name_or_file + "' is neither a built-in workload (" + names + ") nor a file" +
                    did_you_mean(name_or_file, builtin_workload_names()));
  }
  return parse_workload_csv(read_text_file(name_or_file, "workload"), name_or_file);
}

void fill_int8(Int8Tensor& t, SeededRng& rng) {
  const uint64_t start = rng.skip(t.size());
  uint8_t* const out = reinterpret_cast<uint8_t*>(t.data.data());
  // uniform(-128, 127) is the output's low byte minus 128: the byte with its top bit flipped.
  static const simd::SplitMixBytesFn fast = simd::best_splitmix_bytes(simd::host_isa());
  if (fast) {
    fast(start, t.size(), 0x80, out);
    return;
  }
  SeededRng from(start);
  for (size_t k = 0; k < t.size(); ++k) out[k] = uint8_t(from.next()) ^ 0x80;
}

ConvData make_conv_data(const ConvLayer& layer, uint64_t seed) {
  uint64_t h = seed * 0x9E3779B97F4A7C15ULL;
  for (char c : layer.name) h = (h ^ uint64_t(uint8_t(c))) * 0x100000001B3ULL;
  SeededRng rng(h);
  const auto& s = layer.shape;
  ConvData d;
  d.input = Int8Tensor(s.n, s.ic, s.h, s.w);
  fill_int8(d.input, rng);
  if (layer.on_alu()) {
    if (layer.op == OpKind::Add) {
      d.input2 = Int8Tensor(s.n, s.ic, s.h, s.w);
      fill_int8(d.input2, rng);
    }
    return d;
  }
  d.weights = Int8Tensor(s.oc, s.ic, s.kh, s.kw);
  fill_int8(d.weights, rng);
  if (layer.groups > 1) {
    const int per_in = s.ic / layer.groups, per_out = s.oc / layer.groups;
    for (int o = 0; o < s.oc; ++o)
      for (int c = 0; c < s.ic; ++c)
        if (c / per_in != o / per_out)
          for (int ky = 0; ky < s.kh; ++ky)
            for (int kx = 0; kx < s.kw; ++kx) d.weights.at(o, c, ky, kx) = 0;
  }
  const int32_t span = int32_t(1) << std::min(30, layer.epilogue.shift + 3);
  d.bias.resize(size_t(s.oc));
  for (auto& b : d.bias) b = rng.uniform(-span, span);
  return d;
}

}  // namespace vtasim
