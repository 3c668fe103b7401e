// What the run pipeline needs from a layer operator: seeded data and the operator's own reference
// result, a schedule, a compiled VTA program with the region its output lands in, and the output read
// back from a run. One implementation per operator (conv_compiler.cpp, ...); make_layer_compiler picks
// it by the layer's operator, so a new operator is one new file plus one line there.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "models/hw_config.h"
#include "models/program_image.h"
#include "runtime/conv_plan.h"
#include "runtime/conv_schedule.h"
#include "workloads/conv_layer.h"

namespace vtasim {

class ColdBursts;
class SearchCache;

struct CompiledLayer {
  ProgramImage image;
  ConvSchedule schedule;
  uint64_t out_addr = 0;  // byte address of the output in image.dram
  uint64_t out_bytes = 0;
  // The image's instructions decoded, when a compiler keeps them (a cached program); else decode.
  std::shared_ptr<const std::vector<Insn>> decoded;
  // Which of its reads surely miss the cache (for the cycle bound), kept likewise.
  std::shared_ptr<const ColdBursts> cold;
};

class LayerCompiler {
 public:
  virtual ~LayerCompiler() = default;
  // MACs of the layer as defined (padding channels and lanes excluded): what ops are counted from.
  virtual uint64_t macs() const = 0;
  // Operations counted for throughput: 2 per MAC, or the operator's element operations.
  virtual uint64_t ops() const { return 2 * macs(); }
  // The schedule for `threads` virtual threads; UserError naming the layer and why none fits.
  virtual ConvSchedule choose_schedule(uint32_t threads, const ScheduleSource& source) const = 0;
  // The schedules worth simulating: the `k` best estimates for `auto`, the one schedule otherwise.
  virtual std::vector<ConvSchedule> schedule_candidates(uint32_t threads, const ScheduleSource& source, size_t k) const = 0;
  // Seeded inputs, packed for the configuration, and the expected output from the operator's own
  // reference implementation (independent of the simulator's kernels).
  virtual void make_data(uint64_t seed) = 0;
  // Inputs of the right sizes, all zero, and no reference: for runs that never look at values.
  virtual void make_zero_data() = 0;
  // A program over the current data. Throws UserError if the schedule does not fit.
  virtual CompiledLayer compile(const ConvSchedule& schedule) const = 0;
  // The output of a run of `compiled`, unpacked to the reference's layout.
  virtual Int8Tensor read_output(const CompiledLayer& compiled) const = 0;
  virtual const Int8Tensor& reference() const = 0;
};

// `cache` (optional): what searches on this hardware shape keep across runs (runtime/search_cache.h).
std::unique_ptr<LayerCompiler> make_layer_compiler(const ConvLayer& layer, const HwConfig& cfg,
                                                   SearchCache* cache = nullptr);
// The implementations make_layer_compiler chooses between.
std::unique_ptr<LayerCompiler> make_conv_compiler(const ConvLayer& layer, const HwConfig& cfg,
                                                  SearchCache* cache = nullptr);  // conv, dense
std::unique_ptr<LayerCompiler> make_alu_op_compiler(const ConvLayer& layer, const HwConfig& cfg);  // add, pools

}  // namespace vtasim
