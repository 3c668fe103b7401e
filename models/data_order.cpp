// Recorded data order and its replay (see data_order.h).
#include "models/data_order.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <string>

#include "models/checked.h"
#include "models/limits.h"
#include "models/timing/memory_timing.h"
#include "models/vta_core.h"

namespace vtasim {

namespace {

bool same_bases(const MemBases& a, const MemBases& b) {
  return a.uop == b.uop && a.inp == b.inp && a.wgt == b.wgt && a.acc == b.acc && a.out == b.out;
}

// The image's instruction bytes, or null where the image does not hold them all.
const uint8_t* insn_bytes(const ProgramImage& image) {
  const uint64_t bytes = uint64_t(image.insn_count) * kInsnBytes;
  if (image.insn_addr < image.dram_floor || image.insn_addr - image.dram_floor > image.dram.size() ||
      bytes > image.dram.size() - (image.insn_addr - image.dram_floor))
    return nullptr;
  return image.dram.data() + (image.insn_addr - image.dram_floor);
}

[[noreturn]] void foreign(const std::string& what) {
  throw std::logic_error("replay_data_order: " + what + " (the order was not recorded from this program)");
}

}  // namespace

void DataOrder::start(const ProgramImage& image) {
  events_.clear();
  out_of_order_ = false;
  const uint8_t* bytes = insn_bytes(image);
  if (bytes) insn_bytes_.assign(bytes, bytes + uint64_t(image.insn_count) * kInsnBytes);
  else insn_bytes_.clear();  // such a program does not run; nothing will match it
  insn_addr_ = image.insn_addr;
  dram_size_ = bytes ? image.dram_size() : 0;
  bases_ = image.bases;
}

bool DataOrder::recorded_for(const ProgramImage& image) const {
  const uint8_t* bytes = insn_bytes(image);
  return bytes && !out_of_order_ && dram_size_ != 0 && image.insn_addr == insn_addr_ && image.dram_size() == dram_size_ &&
         same_bases(image.bases, bases_) && uint64_t(image.insn_count) * kInsnBytes == insn_bytes_.size() &&
         std::memcmp(bytes, insn_bytes_.data(), insn_bytes_.size()) == 0;
}

bool replay_data_order(const HwConfig& cfg, ProgramImage& image, const std::vector<Insn>& program,
                       const DataOrder& order) {
  if (image.dram_floor != 0) throw std::logic_error("replay_data_order: the image must hold the whole DRAM");
  if (program.size() != image.insn_count || !order.recorded_for(image)) return false;
  // A store over the instructions: a run with data would fetch what it wrote.
  const uint64_t code_lo = image.insn_addr, code_hi = image.insn_addr + uint64_t(image.insn_count) * kInsnBytes;
  for (const DataOrder::Event& e : order.events()) {
    if (e.kind != DataOrder::Kind::Begin || e.insn >= program.size() || program[e.insn].opcode != Opcode::Store) continue;
    const DramRows r = dram_rows(program[e.insn], image.bases, cfg);  // its extent, first row to last
    const auto last = r.rows ? checked_mul_add(uint64_t(r.rows) - 1, r.stride_bytes, r.addr) : std::nullopt;
    const auto end = last ? checked_add(*last, r.row_bytes) : std::nullopt;
    if (r.rows && (r.wraps || !end || (r.addr < code_hi && code_lo < *end))) return false;
  }

  VtaCore core(cfg);
  WorkBudget budget(cfg);
  core.set_budget(&budget);
  // Each stage's transfer in flight: its instruction, rows, staging buffer and how far it has got.
  struct Transfer {
    uint32_t insn = 0;
    bool open = false;
    DramRows rows;
    std::vector<uint8_t> staging;
    uint64_t moved = 0;
  };
  std::array<Transfer, kStageCount> transfer;
  const auto insn_at = [&](uint32_t i, bool memory) -> const Insn& {
    if (i >= program.size()) foreign("instruction " + std::to_string(i) + " is beyond the program");
    const Insn& insn = program[i];
    if (insn.is_memory() != memory) foreign("instruction " + std::to_string(i) + " is of another kind");
    return insn;
  };
  for (const DataOrder::Event& e : order.events()) {
    Transfer& t = transfer[size_t(e.stage)];
    switch (e.kind) {
      case DataOrder::Kind::Begin: {
        const Insn& insn = insn_at(e.insn, true);
        core.check_memory(insn, e.insn, image.dram_size(), image.bases);
        t.insn = e.insn, t.open = true, t.moved = 0;
        t.rows = core.dram_rows(insn, image.bases);
        t.staging.resize(t.rows.total_bytes());
        if (insn.opcode == Opcode::Store) core.store(insn, t.staging.data(), t.rows.row_bytes);
        break;
      }
      case DataOrder::Kind::Moved: {
        if (!t.open || e.moved < t.moved || e.moved > t.staging.size()) foreign("bytes moved outside a transfer");
        const bool write = program[t.insn].opcode == Opcode::Store;
        // Staging byte p is byte p % row_bytes of row p / row_bytes (check_memory vouched for the rows).
        for (uint64_t p = t.moved; p < e.moved;) {
          const uint64_t row = p / t.rows.row_bytes, in_row = p % t.rows.row_bytes;
          const uint64_t n = std::min<uint64_t>(t.rows.row_bytes - in_row, e.moved - p);
          uint8_t* dram = image.dram.data() + t.rows.addr + row * t.rows.stride_bytes + in_row;
          if (write) std::memcpy(dram, t.staging.data() + p, n);
          else std::memcpy(t.staging.data() + p, dram, n);
          p += n;
        }
        t.moved = e.moved;
        break;
      }
      case DataOrder::Kind::LoadEnd: {
        const Insn& insn = insn_at(e.insn, true);
        if (!t.open || t.insn != e.insn || insn.opcode != Opcode::Load) foreign("a load that did not begin");
        core.load(insn, t.staging.data(), t.rows.row_bytes);
        t.open = false;
        break;
      }
      case DataOrder::Kind::Execute: {
        const Insn& insn = insn_at(e.insn, false);
        if (insn.opcode == Opcode::Gemm) core.gemm(insn, e.insn);
        else if (insn.opcode == Opcode::Alu) core.alu(insn, e.insn);
        else foreign("instruction " + std::to_string(e.insn) + " does not compute");
        break;
      }
    }
  }
  return true;
}

}  // namespace vtasim
