// `vtasim disasm`: decode instructions given as hex words or as a raw binary stream.
#include <fstream>
#include <iostream>
#include <iterator>

#include "app/cli.h"
#include "models/errors.h"
#include "models/file_io.h"

namespace po = boost::program_options;

namespace vtasim::cli {

int cmd_disasm(int argc, char** argv) {
  ConfigOptions copts;
  std::vector<std::string> hex;
  std::string file;
  bool as_json = false;
  po::options_description desc("vtasim disasm: decode VTA instructions");
  copts.add_to(desc);
  desc.add_options()
      ("hex", po::value<std::vector<std::string>>(&hex)->multitoken(),
       "instructions as 32 hex digits each, most significant digit first")
      ("file,f", po::value<std::string>(&file), "raw instruction stream: 16 bytes per instruction, little-endian, low word first")
      ("json", po::bool_switch(&as_json), "one JSON object per instruction per line");
  if (!parse("disasm", "[--config FILE] [--set K=V]... (--hex H... | --file F) [--json]", argc, argv, desc)) return kOk;
  if (hex.empty() == file.empty()) throw UserError("give either --hex H... or --file F (see vtasim disasm --help)");

  const HwConfig cfg = copts.load();
  print_notes(cfg);
  std::vector<InsnWord> words;
  if (!file.empty()) {
    const std::vector<uint8_t> bytes = read_binary_file(file, "instruction file", kMaxInputFileBytes);
    if (bytes.size() % 16 != 0) {
      throw UserError("instruction file '" + file + "' has " + std::to_string(bytes.size()) +
                      " bytes, not a multiple of 16 (one instruction is 16 bytes)");
    }
    for (size_t i = 0; i < bytes.size(); i += 16) words.push_back(insn_word_from_bytes(&bytes[i]));
  } else {
    for (const auto& h : hex) words.push_back(insn_word_from_hex(h));
  }
  for (size_t i = 0; i < words.size(); ++i) {
    Insn insn;
    try {
      insn = cfg.isa().decode(words[i]);
    } catch (const UserError& e) {
      throw UserError("instruction " + std::to_string(i) + " (" + insn_word_to_hex(words[i]) + "): " + e.what());
    }
    if (as_json) {
      std::cout << insn_to_json(insn) << "\n";
    } else {
      std::cout << i << ": " << disassemble(insn) << "\n";
    }
  }
  return kOk;
}

}  // namespace vtasim::cli
