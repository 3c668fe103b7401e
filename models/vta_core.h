// The architectural state of one VTA (its on-chip buffers) and the functional meaning of each
// instruction: bounds and flag checks, then the data movement or arithmetic through the HLS kernels.
// Both engines (untimed and timed) execute instructions through this class; they differ only in how
// they order instructions and account time.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/counters.h"
#include "models/hls/compute_kernel.h"
#include "models/hw_config.h"
#include "models/isa.h"
#include "models/limits.h"
#include "models/pipeline.h"
#include "models/program_image.h"
#include "models/simd/host_kernels.h"
#include "models/timing/memory_timing.h"

namespace vtasim {

class VtaCore {
 public:
  // Throws UserError if the simulator has no kernels for the configuration's GEMM shape.
  // `with_buffers` false: no SRAM is allocated (timing-only runs count instructions but move no data;
  // load, store, gemm and alu are then internal errors).
  explicit VtaCore(const HwConfig& cfg, bool with_buffers = true);

  const HwConfig& config() const { return cfg_; }

  DramRows dram_rows(const Insn& insn, const MemBases& bases) const { return vtasim::dram_rows(insn, bases, cfg_); }
  // Every SRAM index and DRAM byte a LOAD/STORE touches, against the buffer depth and dram_size.
  void check_memory(const Insn& insn, size_t index, uint64_t dram_size, const MemBases& bases) const;

  // LOAD (any memory type): DRAM row y of the instruction is at src + y * src_stride_bytes.
  void load(const Insn& insn, const uint8_t* src, uint64_t src_stride_bytes);
  // STORE: writes row y to dst + y * dst_stride_bytes.
  void store(const Insn& insn, uint8_t* dst, uint64_t dst_stride_bytes);
  // GEMM / ALU: checks every index the micro-op loops reach, then executes.
  void gemm(const Insn& insn, size_t index);
  void alu(const Insn& insn, size_t index);
  // Updates the counters for an instruction without executing it (FINISH, no-ops, and every
  // instruction of a timing-only run). The executing methods above call it themselves.
  void account(const Insn& insn);
  void count_load_accesses(const Insn& insn);

  // The work budget whose wall-clock limit long instructions check (none: unchecked).
  void set_budget(const WorkBudget* budget) { budget_ = budget; }

  // The instruction set of the host GEMM kernel in use (portable: the HLS kernel itself).
  const char* gemm_kernel() const { return simd::isa_name(gemm_isa_); }

  const ExecCounters& counters() const { return counters_; }
  void reset_counters() { counters_ = ExecCounters{}; }

  // Buffer views, element-major (for tests and debugging).
  const std::vector<uint32_t>& uop_mem() const { return uop_; }
  const std::vector<int8_t>& inp_mem() const { return inp_; }
  const std::vector<int8_t>& wgt_mem() const { return wgt_; }
  const std::vector<int32_t>& acc_mem() const { return acc_; }
  const std::vector<int8_t>& out_mem() const { return out_; }

 private:
  void require_buffers() const;
  uint8_t* sram_bytes(MemType t);
  void check_loop_indices(const Insn& insn, size_t index) const;
  template <typename Run>
  void by_slices(const Insn& insn, size_t index, Run&& run);


  HwConfig cfg_;
  std::vector<uint32_t> uop_;
  std::vector<int8_t> inp_, wgt_, out_;
  std::vector<int32_t> acc_;
  ExecCounters counters_;
  hls::UopFormat uop_format_{};
  simd::GemmInsnFn gemm_fn_ = nullptr;  // the HLS kernel or a SIMD kernel of the same arithmetic
  simd::AluInsnFn alu_fn_ = nullptr;
  simd::Isa gemm_isa_ = simd::Isa::Portable;
  const WorkBudget* budget_ = nullptr;
};

}  // namespace vtasim
