// Common command-line plumbing.
#include "app/cli.h"

#include <iostream>

#include "models/errors.h"
#include "models/parse.h"

namespace po = boost::program_options;

namespace vtasim::cli {

void ConfigOptions::add_to(po::options_description& desc) {
  desc.add_options()
      ("config,c", po::value<std::string>()->notifier([this](const std::string& f) { file = f; }),
       "hardware configuration (VTA's vta_config.json format, model keys under \"vtasim\"); "
       "default: the Pynq design")
      ("set,s", po::value<std::vector<std::string>>()->composing()->notifier(
                    [this](const std::vector<std::string>& v) { overrides = v; }),
       "override a parameter, KEY=VALUE (repeatable), e.g. --set LOG_BLOCK=5 --set dram.latency=40");
}

HwConfig ConfigOptions::load() const { return HwConfig::load(file, overrides); }

uint64_t option_uint(const std::string& option, const std::string& text, uint64_t lo, uint64_t hi) {
  const auto v = parse_uint(text);
  if (!v || *v < lo || *v > hi) {
    throw UserError(option + " '" + text + "' must be a whole number from " + std::to_string(lo) + " to " +
                    std::to_string(hi));
  }
  return *v;
}

namespace {

// The first word on the command line beyond what the positional description takes (for messages).
std::string stray_word(int argc, char** argv, const po::options_description& desc,
                       const po::positional_options_description* positional) {
  const unsigned allowed = positional ? positional->max_total_count() : 0;
  unsigned seen = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.size() > 1 && word[0] == '-') {
      if (word.find('=') != std::string::npos) continue;
      const std::string name = word.substr(word.find_first_not_of('-'));
      const auto* option = desc.find_nothrow(name, false);
      if (option && option->semantic()->max_tokens() > 0) ++i;  // its value
      continue;
    }
    if (++seen > allowed) return word;
  }
  return "?";
}

}  // namespace

bool parse(const std::string& command, const std::string& usage, int argc, char** argv,
           po::options_description& desc, po::positional_options_description* positional) {
  desc.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    // Unknown options and stray words are collected, not dropped, and reported by name below.
    const po::positional_options_description none;
    const auto parsed = po::command_line_parser(argc, argv)
                            .options(desc)
                            .positional(positional ? *positional : none)
                            .allow_unregistered()
                            .run();
    po::store(parsed, vm);
    if (vm.count("help")) {
      std::cout << "usage: vtasim " << command << " " << usage << "\n\n" << desc << "\n";
      return false;
    }
    for (const auto& option : parsed.options) {
      if (!option.unregistered) continue;
      const std::string word = option.original_tokens.empty() ? option.string_key : option.original_tokens.front();
      if (word.rfind("-", 0) == 0) {
        throw UserError("unknown option '" + word + "' (vtasim " + command + " --help lists the options)");
      }
      throw UserError("unexpected argument '" + word + "' (vtasim " + command + " takes " +
                      (positional ? "fewer words" : "options only") + "; see --help)");
    }
    po::notify(vm);
  } catch (const po::too_many_positional_options_error&) {
    throw UserError("unexpected argument '" + stray_word(argc, argv, desc, positional) + "' (vtasim " + command +
                    " --help shows what it takes)");
  } catch (const po::error& e) {
    throw UserError(std::string(e.what()) + " (see vtasim " + command + " --help)");
  }
  return true;
}

void print_notes(const HwConfig& cfg) {
  for (const auto& n : cfg.notes()) std::cerr << "vtasim: note: " << n << "\n";
}

}  // namespace vtasim::cli
