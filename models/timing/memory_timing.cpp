// Memory-system timing (see memory_timing.h).
#include "models/timing/memory_timing.h"

#include <algorithm>

#include "models/checked.h"

namespace vtasim {

DmaPolicy dma_policy(const HwConfig& cfg, MemType t) {
  const HwParams& p = cfg.params();
  const std::string& name = t == MemType::Inp ? p.inp_dma
                            : t == MemType::Wgt ? p.wgt_dma
                            : t == MemType::Out ? p.store_dma
                                                : p.compute_dma;
  return name == "row_serial" ? DmaPolicy::RowSerial : DmaPolicy::Pipelined;
}

DramRows dram_rows(const Insn& insn, const MemBases& bases, const HwConfig& cfg) {
  const uint64_t elem = cfg.elem_bytes(insn.memory_type);
  DramRows r;
  const auto addr = checked_add(bases.of(insn.memory_type), uint64_t(insn.dram_base) * elem);
  r.wraps = !addr;
  r.addr = addr.value_or(0);
  if (insn.x_size == 0) return r;
  if (insn.memory_type == MemType::Uop) {  // 1-D: x_size micro-ops
    r.rows = 1;
    r.row_bytes = uint32_t(insn.x_size * elem);
    r.stride_bytes = r.row_bytes;
    return r;
  }
  r.rows = insn.y_size;
  r.row_bytes = uint32_t(insn.x_size * elem);
  r.stride_bytes = uint64_t(insn.x_stride) * elem;
  return r;
}

void split_rows_into_bursts(uint64_t addr, uint64_t stride, uint32_t rows, uint32_t row_bytes,
                            uint32_t max_burst_bytes, std::vector<Burst>& out) {
  for (uint32_t r = 0; r < rows; ++r) {
    const uint64_t row_addr = addr + uint64_t(r) * stride;
    for (uint32_t off = 0; off < row_bytes; off += max_burst_bytes) {
      const uint32_t n = std::min(max_burst_bytes, row_bytes - off);
      out.push_back({row_addr + off, n, uint64_t(r) * row_bytes + off});
    }
  }
}

}  // namespace vtasim
