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

// The operators a layer can be. conv and dense run on the GEMM core (dense is a 1x1 convolution of a
// 1x1 image); add, maxpool and avgpool run on the tensor ALU.
enum class OpKind : uint8_t { Conv, Dense, Add, MaxPool, AvgPool };
const char* op_name(OpKind op);

struct ConvLayer {
  std::string name;
  OpKind op = OpKind::Conv;
  ConvShape shape;           // for add and pools: ic = oc channels; pools: kh x kw window, stride, pad
  int groups = 1;            // conv: grouped (ic and oc split into this many independent groups)
  int count = 1;  // occurrences in the network (weights for network totals)
  bool batch_given = false;  // the workload set shape.n; otherwise the run chooses it (the core's BATCH)
  Epilogue epilogue;         // conv, dense: shift and ReLU of the requantisation; add: shift and ReLU
  // MACs of the layer as defined (grouped: each output sees ic / groups inputs); 0 for ALU operators.
  uint64_t macs() const {
    if (op != OpKind::Conv && op != OpKind::Dense) return 0;
    return shape.macs() / uint64_t(groups);
  }
  // Operations counted for throughput: 2 per MAC; pools one per window element per output; add one
  // per element.
  uint64_t ops() const;
  bool on_alu() const { return op == OpKind::Add || op == OpKind::MaxPool || op == OpKind::AvgPool; }
};

// Why `name` cannot name a layer (empty, over 64 characters, or a character other than letters,
// digits, '_', '-', '.', '+': names become file names), or "" when it can.
std::string layer_name_problem(const std::string& name);

// A built-in workload (workloads/NAME.csv, compiled in: resnet18_convs, resnet18, ...) or a CSV file path. Bad rows
// are UserErrors naming the file, line and column.
std::vector<ConvLayer> load_workload(const std::string& name_or_file);
// The workloads compiled in (every workloads/*.csv by its name), and the text of one (nullptr if none).
std::vector<std::string> builtin_workload_names();
const char* builtin_workload_csv(const std::string& name);
// SCALE-Sim topology files (header "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
// Channels, Num Filter, Strides,") load unchanged as convolutions (no padding: SCALE-Sim's IFMAP sizes
// include it); parse_workload_csv recognises them by the header.
bool is_scalesim_topology(const std::string& text);
std::vector<ConvLayer> parse_scalesim_topology(const std::string& text, const std::string& origin);
std::vector<ConvLayer> parse_workload_csv(const std::string& text, const std::string& origin);

// The default right shift for a layer: about half the bits of the reduction's spread, so random
// int8 data gives outputs spread over the int8 range.
int default_shift(int ic, int kh, int kw);

struct ConvData {
  Int8Tensor input;    // (n, ic, h, w)
  Int8Tensor input2;   // add: the second input, same shape
  Int8Tensor weights;  // (oc, ic, kh, kw)
  std::vector<int32_t> bias;  // (oc)
};

// Deterministic data for a layer from a seed (and the layer's name, so layers differ). Grouped
// convolutions get zero weights outside their groups; ALU operators get no weights.
ConvData make_conv_data(const ConvLayer& layer, uint64_t seed);

}  // namespace vtasim
