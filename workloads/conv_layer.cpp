// Workload tables and layer data (see conv_layer.h).
#include "conv_layer.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "errors.h"
#include "resnet18_table.h"

namespace vtasim {

namespace {

std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(cur);
  for (auto& f : out) {
    const auto b = f.find_first_not_of(" \t");
    const auto e = f.find_last_not_of(" \t");
    f = b == std::string::npos ? "" : f.substr(b, e - b + 1);
  }
  return out;
}

}  // namespace

int default_shift(int ic, int kh, int kw) {
  const double k = double(ic) * kh * kw;
  return std::max(0, int(std::lround(0.5 * std::log2(k) + 6.4)));
}

std::vector<ConvLayer> parse_workload_csv(const std::string& text, const std::string& origin) {
  const std::vector<std::string> required = {"name", "H", "W", "IC", "OC", "KH", "KW", "pad", "stride", "count"};
  const std::vector<std::string> optional = {"relu", "shift", "batch"};
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  std::map<std::string, size_t> col;
  std::vector<ConvLayer> layers;
  while (std::getline(in, line)) {
    ++line_no;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto fields = split_csv(line);
    const std::string where = origin + ":" + std::to_string(line_no);
    if (col.empty()) {
      for (size_t i = 0; i < fields.size(); ++i) {
        bool known = false;
        for (const auto& r : required) known |= fields[i] == r;
        for (const auto& o : optional) known |= fields[i] == o;
        if (!known) {
          throw UserError(where + ": unknown column '" + fields[i] + "' (columns: name,H,W,IC,OC,KH,KW,pad,stride,count "
                          "and optionally relu,shift,batch)");
        }
        col[fields[i]] = i;
      }
      for (const auto& r : required)
        if (!col.count(r)) throw UserError(where + ": the header lacks the column '" + r + "'");
      continue;
    }
    if (fields.size() != col.size()) {
      throw UserError(where + ": " + std::to_string(fields.size()) + " fields, the header has " +
                      std::to_string(col.size()));
    }
    auto number = [&](const std::string& name, int lo, int hi, int fallback) {
      const auto it = col.find(name);
      if (it == col.end()) return fallback;
      const std::string& f = fields[it->second];
      int v = 0;
      const auto r = std::from_chars(f.data(), f.data() + f.size(), v);
      if (f.empty() || r.ec != std::errc() || r.ptr != f.data() + f.size()) {
        throw UserError(where + ", column " + std::to_string(it->second + 1) + " (" + name + "): '" + f +
                        "' is not an integer");
      }
      if (v < lo || v > hi) {
        throw UserError(where + ", column " + std::to_string(it->second + 1) + " (" + name + "): " + f +
                        " is out of range " + std::to_string(lo) + ".." + std::to_string(hi));
      }
      return v;
    };
    ConvLayer l;
    l.name = fields[col["name"]];
    if (l.name.empty()) throw UserError(where + ", column " + std::to_string(col["name"] + 1) + " (name): empty name");
    for (const auto& other : layers)
      if (other.name == l.name) throw UserError(where + ": layer name '" + l.name + "' appears twice");
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
    l.epilogue.shift = number("shift", 0, 31, default_shift(l.shape.ic, l.shape.kh, l.shape.kw));
    l.shape.n = number("batch", 1, 1024, 1);
    if (l.shape.h + 2 * l.shape.pad < l.shape.kh || l.shape.w + 2 * l.shape.pad < l.shape.kw) {
      throw UserError(where + ": the " + std::to_string(l.shape.kh) + "x" + std::to_string(l.shape.kw) +
                      " kernel is larger than the padded input");
    }
    if (l.shape.pad >= l.shape.kh || l.shape.pad >= l.shape.kw) {
      throw UserError(where + ", column " + std::to_string(col["pad"] + 1) + " (pad): pad " + std::to_string(l.shape.pad) +
                      " must be smaller than the kernel (some output would see only padding)");
    }
    layers.push_back(l);
  }
  if (col.empty()) throw UserError(origin + ": no header line (name,H,W,IC,OC,KH,KW,pad,stride,count)");
  if (layers.empty()) throw UserError(origin + ": no layers");
  return layers;
}

std::vector<ConvLayer> load_workload(const std::string& name_or_file) {
  if (name_or_file == "resnet18") return parse_workload_csv(kResnet18Csv, "resnet18 (built in)");
  std::ifstream in(name_or_file);
  if (!in) throw UserError("workload '" + name_or_file + "' is neither a built-in workload (resnet18) nor a readable file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_workload_csv(ss.str(), name_or_file);
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
