// Workload tables and layer data (see conv_layer.h).
#include "workloads/conv_layer.h"

#include <cctype>

#include <algorithm>
#include <cmath>

#include "models/csv.h"
#include "models/errors.h"
#include "models/file_io.h"
#include "resnet18_table.h"

namespace vtasim {

int default_shift(int ic, int kh, int kw) {
  const double k = double(ic) * kh * kw;
  return std::clamp(int(std::lround(0.5 * std::log2(k) + 6.4)), 0, 15);
}

std::vector<ConvLayer> parse_workload_csv(const std::string& text, const std::string& origin) {
  const std::vector<std::string> required = {"name", "H", "W", "IC", "OC", "KH", "KW", "pad", "stride", "count"};
  const std::vector<std::string> optional = {"relu", "shift", "batch"};
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
    l.shape.h = number("H", 1, 65535, 0);
    l.shape.w = number("W", 1, 65535, 0);
    l.shape.ic = number("IC", 1, 1 << 20, 0);
    l.shape.oc = number("OC", 1, 1 << 20, 0);
    l.shape.kh = number("KH", 1, 255, 0);
    l.shape.kw = number("KW", 1, 255, 0);
    l.shape.pad = number("pad", 0, 15, 0);
    l.shape.stride = number("stride", 1, 255, 1);
    l.count = number("count", 0, 1 << 20, 1);
    l.epilogue.relu = number("relu", 0, 1, 1) != 0;
    // VTA's SHR takes shift amounts up to 15 (its operand is 5 bits, signed).
    l.epilogue.shift = number("shift", 0, 15, default_shift(l.shape.ic, l.shape.kh, l.shape.kw));
    l.shape.n = number("batch", 1, 1024, 1);
    l.batch_given = t.column("batch") >= 0;
    if (l.shape.h + 2 * l.shape.pad < l.shape.kh || l.shape.w + 2 * l.shape.pad < l.shape.kw) {
      throw UserError(t.where(row) + ": the " + std::to_string(l.shape.kh) + "x" + std::to_string(l.shape.kw) +
                      " kernel is larger than the padded input");
    }
    if (l.shape.pad >= l.shape.kh || l.shape.pad >= l.shape.kw) {
      throw UserError(t.where(row, size_t(t.column("pad"))) + ": pad " + std::to_string(l.shape.pad) +
                      " must be smaller than the kernel (some output would see only padding)");
    }
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

std::vector<ConvLayer> load_workload(const std::string& name_or_file) {
  if (name_or_file == "resnet18") return parse_workload_csv(kResnet18Csv, "resnet18 (built in)");
  if (!file_exists(name_or_file)) {
    throw UserError("workload '" + name_or_file + "' is neither a built-in workload (resnet18) nor a file");
  }
  return parse_workload_csv(read_text_file(name_or_file, "workload"), name_or_file);
}

ConvData make_conv_data(const ConvLayer& layer, uint64_t seed) {
  uint64_t h = seed * 0x9E3779B97F4A7C15ULL;
  for (char c : layer.name) h = (h ^ uint64_t(uint8_t(c))) * 0x100000001B3ULL;
  SeededRng rng(h);
  const auto& s = layer.shape;
  ConvData d;
  d.input = Int8Tensor(s.n, s.ic, s.h, s.w);
  d.weights = Int8Tensor(s.oc, s.ic, s.kh, s.kw);
  fill_uniform(d.input, rng, -128, 127);
  fill_uniform(d.weights, rng, -128, 127);
  const int32_t span = int32_t(1) << std::min(30, layer.epilogue.shift + 3);
  d.bias.resize(size_t(s.oc));
  for (auto& b : d.bias) b = rng.uniform(-span, span);
  return d;
}

}  // namespace vtasim
