// Common command-line plumbing.
#include "app/cli.h"

#include <iostream>

#include "models/errors.h"

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

bool parse(const std::string& command, const std::string& usage, int argc, char** argv,
           po::options_description& desc, po::positional_options_description* positional) {
  desc.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    auto parser = po::command_line_parser(argc, argv).options(desc);
    if (positional) parser.positional(*positional);
    po::store(parser.run(), vm);
    if (vm.count("help")) {
      std::cout << "usage: vtasim " << command << " " << usage << "\n\n" << desc << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UserError(std::string(e.what()) + " (see vtasim " + command + " --help)");
  }
  return true;
}

void print_notes(const HwConfig& cfg) {
  for (const auto& n : cfg.notes()) std::cerr << "vtasim: note: " << n << "\n";
}

}  // namespace vtasim::cli
