// Instruction stream with dependency folding (see insn_stream.h).
#include "runtime/insn_stream.h"

#include <cassert>
#include <utility>

namespace vtasim {

Insn InsnStream::noop_for(Stage s) {
  Insn i;
  switch (s) {
    case Stage::Load:
      i.opcode = Opcode::Load;
      i.memory_type = MemType::Inp;
      break;
    case Stage::Compute:
      i.opcode = Opcode::Load;
      i.memory_type = MemType::Uop;
      break;
    case Stage::Store:
      i.opcode = Opcode::Store;
      i.memory_type = MemType::Out;
      break;
  }
  return i;
}

size_t InsnStream::emit(Insn insn) {
  const Stage s = stage_of(insn, insns_.size());
  const int k = int(s);
  if (pending_prev_[k]) insn.pop_prev_dep = true;
  if (pending_next_[k]) insn.pop_next_dep = true;
  pending_prev_[k] = pending_next_[k] = false;
  insns_.push_back(insn);
  last_of_stage_[k] = int64_t(insns_.size() - 1);
  return insns_.size() - 1;
}

void InsnStream::dep_push(Stage from, Stage to) {
  assert(from != to);
  const bool next = int(from) < int(to);
  const int64_t last = last_of_stage_[int(from)];
  if (last >= 0) {
    Insn& i = insns_[size_t(last)];
    bool& flag = next ? i.push_next_dep : i.push_prev_dep;
    if (!flag && i.opcode != Opcode::Finish) {
      flag = true;
      return;
    }
  }
  Insn n = noop_for(from);
  (next ? n.push_next_dep : n.push_prev_dep) = true;
  emit(n);
}

void InsnStream::flush_pending(Stage s) {
  if (pending_prev_[int(s)] || pending_next_[int(s)]) emit(noop_for(s));
}

void InsnStream::dep_pop(Stage from, Stage to) {
  assert(from != to);
  bool& pending = int(from) < int(to) ? pending_prev_[int(to)] : pending_next_[int(to)];
  if (pending) flush_pending(to);  // the earlier pop (and any other pending one) goes on a no-op
  pending = true;
}

void InsnStream::synchronise() {
  flush_pending(Stage::Load);
  flush_pending(Stage::Store);
  flush_pending(Stage::Compute);
  Insn f;
  f.opcode = Opcode::Finish;
  emit(f);
}

ProgramImage finish_image(DramBuilder& dram, const InsnStream& stream, const Isa& isa) {
  const uint64_t insn_addr = dram.alloc_stored(uint64_t(stream.size()) * kInsnBytes, kInsnBytes);
  for (size_t k = 0; k < stream.size(); ++k)
    insn_word_to_bytes(isa.encode(stream.insns()[k]), dram.at(insn_addr + k * kInsnBytes));
  ProgramImage image;
  image.dram_floor = dram.floor();
  image.dram = std::move(dram.bytes());
  image.insn_addr = insn_addr;
  image.insn_count = uint32_t(stream.size());
  return image;
}

}  // namespace vtasim
