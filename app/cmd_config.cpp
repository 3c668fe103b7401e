// `vtasim config`: print the resolved configuration and everything derived from it.
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli.h"
#include "models/json_input.h"

namespace po = boost::program_options;

namespace vtasim::cli {

namespace {

nlohmann::json derived_json(const HwConfig& c) {
  const auto& p = c.params();
  nlohmann::json j;
  j["target"] = p.target;
  j["hw_ver"] = p.hw_ver;
  j["batch"] = c.batch();
  j["block_in"] = c.block_in();
  j["block_out"] = c.block_out();
  j["inp_bits"] = c.inp_bits();
  j["wgt_bits"] = c.wgt_bits();
  j["acc_bits"] = c.acc_bits();
  j["out_bits"] = c.out_bits();
  for (MemType t : {MemType::Uop, MemType::Inp, MemType::Wgt, MemType::Acc, MemType::Out}) {
    std::string n = mem_type_name(t);
    for (auto& ch : n) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    j[n + "_depth"] = c.depth(t);
    j[n + "_elem_bytes"] = c.elem_bytes(t);
  }
  j["clock_mhz"] = p.clock_mhz;
  j["port_bits"] = p.port_bits;
  j["port_bytes_per_cycle"] = c.port_bytes_per_cycle();
  j["macs_per_cycle"] = c.macs_per_cycle();
  j["peak_gops"] = c.peak_gops();
  j["port_gbps"] = c.port_gbps();
  j["mem_gbps"] = c.mem_gbps();
  j["ridge_ops_per_byte"] = c.ridge_ops_per_byte();
  nlohmann::json layout;
  const auto& isa = c.isa();
  for (Opcode op : {Opcode::Load, Opcode::Gemm, Opcode::Alu}) {
    nlohmann::json fields;
    for (const auto& s : isa.layout_for(op)) fields[field_name(s.field)] = {s.lsb, s.lsb + s.width - 1};
    layout[op == Opcode::Load ? "memory" : opcode_name(op)] = fields;
  }
  layout["uop"] = {{"dst_idx", {0, isa.uop_dst_bits() - 1}},
                   {"src_idx", {isa.uop_dst_bits(), isa.uop_dst_bits() + isa.uop_src_bits() - 1}},
                   {"wgt_idx",
                    {isa.uop_dst_bits() + isa.uop_src_bits(),
                     isa.uop_dst_bits() + isa.uop_src_bits() + isa.uop_wgt_bits() - 1}}};
  j["isa_layout"] = layout;
  j["parameters"] = nlohmann::json::parse(c.to_config_json());
  return j;
}

void print_human(const HwConfig& c, std::ostream& os) {
  const auto& p = c.params();
  os << "configuration: " << c.origin() << "\n\nparameters:\n";
  for (const auto& d : param_table()) {
    const std::string name = d.name;
    if (name == "LOG_BLOCK") continue;
    std::ostringstream v;
    switch (d.kind) {
      case ParamKind::Text: v << p.*d.text_member; break;
      case ParamKind::Int: v << p.*d.int_member; break;
      case ParamKind::Real: v << p.*d.real_member; break;
    }
    os << "  " << std::left << std::setw(20) << name << std::setw(13) << v.str() << ' ' << std::setw(12) << d.unit
       << std::setw(9) << param_source_name(c.source(name)) << d.doc << "\n";
  }
  os << "\nderived:\n";
  os << "  GEMM core            " << c.batch() << " x " << c.block_in() << " x " << c.block_out() << " (BATCH x BLOCK_IN x BLOCK_OUT), "
     << c.macs_per_cycle() << " int8 MACs per cycle\n";
  os << "  buffers              (entries x bytes per element)\n";
  for (MemType t : {MemType::Uop, MemType::Inp, MemType::Wgt, MemType::Acc, MemType::Out}) {
    os << "    " << std::setw(18) << mem_type_name(t) << c.depth(t) << " x " << c.elem_bytes(t) << " B\n";
  }
  os << std::fixed << std::setprecision(2);
  os << "  peak                 " << c.peak_gops() << " GOPS\n";
  os << "  memory port          " << c.port_bytes_per_cycle() << " B/cycle = " << c.port_gbps() << " GB/s";
  if (c.mem_gbps() < c.port_gbps()) os << " (DRAM cap " << c.mem_gbps() << " GB/s)";
  os << "\n  ridge point          " << c.ridge_ops_per_byte() << " ops/byte\n";
  os << "  ISA index widths     uop " << c.isa().depths().uop << ", inp " << c.isa().depths().inp << ", wgt "
     << c.isa().depths().wgt << ", acc " << c.isa().depths().acc << " bits\n";
}

}  // namespace

int cmd_config(int argc, char** argv) {
  ConfigOptions copts;
  bool as_json = false;
  po::options_description desc("vtasim config: print the resolved configuration and derived values");
  copts.add_to(desc);
  desc.add_options()("json", po::bool_switch(&as_json), "one JSON object on stdout");
  if (!parse("config", "[--config FILE] [--set K=V]... [--json]", argc, argv, desc)) return kOk;
  const HwConfig cfg = copts.load();
  print_notes(cfg);
  if (as_json) {
    std::cout << dump_json(derived_json(cfg)) << "\n";
  } else {
    print_human(cfg, std::cout);
  }
  return kOk;
}

}  // namespace vtasim::cli
