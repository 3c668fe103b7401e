// Compiles one convolution layer into a VTA program: the DRAM image (packed inputs, weights, biases,
// micro-op kernels, instructions) and where the output will be.
#pragma once

#include <cstdint>

#include "workloads/conv_layer.h"
#include "runtime/conv_plan.h"
#include "models/hw_config.h"
#include "models/program_image.h"

namespace vtasim {

struct CompiledConv {
  ProgramImage image;
  // The instructions as emitted, which the image holds encoded (encoding checked that every field
  // fits its width, so decoding the image gives these back: tested), for those that would decode it.
  std::vector<Insn> insns;
  ConvPlan plan;
  ConvSchedule schedule;
  uint64_t out_addr = 0;   // byte address of the blocked output
  uint64_t out_bytes = 0;
  // Runtime statistics of the compilation.
  uint64_t uop_cache_hits = 0, uop_cache_misses = 0;
};

// A layer's data in VTA's blocked layouts; independent of the schedule, so it is packed once per
// layer and configuration.
struct PackedConvData {
  std::vector<int8_t> input;
  std::vector<int8_t> weights;
  std::vector<int32_t> bias;
  // zero_conv_data: every value 0, and none stored: only how many there are. The program's DRAM
  // image then leaves them out (ProgramImage::dram_floor).
  bool zero = false;
  size_t zero_input = 0, zero_weights = 0, zero_bias = 0;

  size_t input_count() const { return zero ? zero_input : input.size(); }
  size_t weight_count() const { return zero ? zero_weights : weights.size(); }
  size_t bias_count() const { return zero ? zero_bias : bias.size(); }
};
PackedConvData pack_conv_data(const ConvLayer& layer, const HwConfig& cfg, const ConvData& data);
// The same sizes, all zero and not stored: for timing-only runs, which never look at the data.
PackedConvData zero_conv_data(const ConvLayer& layer, const HwConfig& cfg);

// Throws UserError if the schedule does not fit (with the reason).
CompiledConv compile_conv(const ConvLayer& layer, const HwConfig& cfg, const ConvSchedule& schedule,
                          const PackedConvData& data);
CompiledConv compile_conv(const ConvLayer& layer, const HwConfig& cfg, const ConvSchedule& schedule,
                          const ConvData& data);

// The layer's output unpacked from a DRAM image written by a run of a compiled program whose output
// region is out_bytes at out_addr.
Int8Tensor read_conv_output(const ProgramImage& image, uint64_t out_addr, uint64_t out_bytes, const ConvLayer& layer,
                            const HwConfig& cfg);
inline Int8Tensor read_conv_output(const CompiledConv& c, const ConvLayer& layer, const HwConfig& cfg) {
  return read_conv_output(c.image, c.out_addr, c.out_bytes, layer, cfg);
}

}  // namespace vtasim
