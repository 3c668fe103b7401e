// Execution counters (see counters.h).
#include "models/counters.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "models/json_input.h"

namespace vtasim {

const char* byte_kind_name(ByteKind k) {
  switch (k) {
    case ByteKind::Insn: return "insn";
    case ByteKind::Uop: return "uop";
    case ByteKind::Inp: return "inp";
    case ByteKind::Wgt: return "wgt";
    case ByteKind::Acc: return "acc";
    case ByteKind::Out: return "out";
  }
  return "?";
}

ByteKind byte_kind_of(MemType t) {
  switch (t) {
    case MemType::Uop: return ByteKind::Uop;
    case MemType::Inp: return ByteKind::Inp;
    case MemType::Wgt: return ByteKind::Wgt;
    case MemType::Acc:
    case MemType::Acc8: return ByteKind::Acc;
    case MemType::Out: break;
  }
  return ByteKind::Out;
}

bool ExecCounters::operator==(const ExecCounters& o) const {
  return inp_load_nbytes == o.inp_load_nbytes && wgt_load_nbytes == o.wgt_load_nbytes &&
         acc_load_nbytes == o.acc_load_nbytes && uop_load_nbytes == o.uop_load_nbytes &&
         out_store_nbytes == o.out_store_nbytes && gemm_counter == o.gemm_counter && alu_counter == o.alu_counter &&
         std::equal(std::begin(insn_by_opcode), std::end(insn_by_opcode), std::begin(o.insn_by_opcode)) &&
         noop_count == o.noop_count && access == o.access;
}

const char* buffer_name(Buffer b) {
  static const char* names[kBufferCount] = {"uop", "inp", "wgt", "acc", "out"};
  return names[int(b)];
}

bool AccessCounts::operator==(const AccessCounts& o) const {
  return std::equal(std::begin(reads), std::end(reads), std::begin(o.reads)) &&
         std::equal(std::begin(writes), std::end(writes), std::begin(o.writes)) && macs == o.macs &&
         std::equal(std::begin(alu_lane_ops), std::end(alu_lane_ops), std::begin(o.alu_lane_ops));
}

uint64_t AccessCounts::alu_ops() const {
  uint64_t n = 0;
  for (auto v : alu_lane_ops) n += v;
  return n;
}

uint64_t ExecCounters::instructions() const {
  uint64_t n = 0;
  for (auto c : insn_by_opcode) n += c;
  return n;
}

std::vector<std::pair<const char*, uint64_t>> ExecCounters::vta_named() const {
  return {{"inp_load_nbytes", inp_load_nbytes}, {"wgt_load_nbytes", wgt_load_nbytes},
          {"acc_load_nbytes", acc_load_nbytes}, {"uop_load_nbytes", uop_load_nbytes},
          {"out_store_nbytes", out_store_nbytes}, {"gemm_counter", gemm_counter},
          {"alu_counter", alu_counter}};
}

uint64_t ExecCounters::bytes(ByteKind k, uint64_t insn_bytes) const {
  switch (k) {
    case ByteKind::Insn: return insn_bytes;
    case ByteKind::Uop: return uop_load_nbytes;
    case ByteKind::Inp: return inp_load_nbytes;
    case ByteKind::Wgt: return wgt_load_nbytes;
    case ByteKind::Acc: return acc_load_nbytes;
    case ByteKind::Out: return out_store_nbytes;
  }
  return 0;
}

std::string ExecCounters::to_json() const {
  nlohmann::ordered_json j;
  for (const auto& [name, value] : vta_named()) j[name] = value;
  for (Opcode op : {Opcode::Load, Opcode::Store, Opcode::Gemm, Opcode::Finish, Opcode::Alu}) {
    std::string name = opcode_name(op);
    for (auto& ch : name) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    j["insn_" + name] = insn_by_opcode[static_cast<int>(op)];
  }
  j["insn_noop"] = noop_count;
  auto& acc = j["access"];
  for (int b = 0; b < kBufferCount; ++b) {
    acc[std::string(buffer_name(Buffer(b))) + "_reads"] = access.reads[b];
    acc[std::string(buffer_name(Buffer(b))) + "_writes"] = access.writes[b];
  }
  acc["macs_executed"] = access.macs;
  for (int op = 0; op < kAluOpCount; ++op) {
    std::string name = alu_op_name(AluOp(op));
    for (auto& ch : name) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    acc["alu_" + name + "_lane_ops"] = access.alu_lane_ops[op];
  }
  return dump_json(j);
}

}  // namespace vtasim
