// Convolution workloads: layer tables (ResNet-18 built in, or any CSV in the same format) and the
// seeded data a layer runs on.
//
// CSV columns: name,H,W,IC,OC,KH,KW,pad,stride,count and optionally relu (0/1, default 1),
// shift (default: chosen so random data neither vanishes nor saturates), batch (default 1).
// Lines starting with '#' and blank lines are ignored; the header line is required.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/reference_conv.h"
#include "workloads/tensor.h"

namespace vtasim {

struct ConvLayer {
  std::string name;
  ConvShape shape;
  int count = 1;  // occurrences in the network (weights for network totals)
  bool batch_given = false;  // the workload set shape.n; otherwise the run chooses it (the core's BATCH)
  Epilogue epilogue;
  uint64_t macs() const { return shape.macs(); }
};

// Why `name` cannot name a layer (empty, over 64 characters, or a character other than letters,
// digits, '_', '-', '.', '+': names become file names), or "" when it can.
std::string layer_name_problem(const std::string& name);

// "resnet18" (the built-in table, identical to workloads/resnet18.csv) or a CSV file path. Bad rows
// are UserErrors naming the file, line and column.
std::vector<ConvLayer> load_workload(const std::string& name_or_file);
std::vector<ConvLayer> parse_workload_csv(const std::string& text, const std::string& origin);

// The default right shift for a layer: about half the bits of the reduction's spread, so random
// int8 data gives outputs spread over the int8 range.
int default_shift(int ic, int kh, int kw);

struct ConvData {
  Int8Tensor input;    // (n, ic, h, w)
  Int8Tensor weights;  // (oc, ic, kh, kw)
  std::vector<int32_t> bias;  // (oc)
};

// Deterministic data for a layer from a seed (and the layer's name, so layers differ).
ConvData make_conv_data(const ConvLayer& layer, uint64_t seed);

}  // namespace vtasim
