// vtasim: the one command-line tool. Dispatches to subcommands and maps errors to exit codes.
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

#include <systemc>

#include "app/cli.h"
#include "models/errors.h"
#include "models/suggest.h"
#include "vtasim_version.h"

namespace {

// SystemC prints its banner to stderr when the kernel starts; vtasim's users see the SystemC version
// in --version instead. Runs before SystemC's own main().
const bool kQuietBanner = [] {
  ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return true;
}();

struct Command {
  const char* name;
  const char* summary;
  int (*run)(int, char**);
};

const Command kCommands[] = {
    {"config", "print the resolved hardware configuration and derived values", vtasim::cli::cmd_config},
    {"disasm", "decode VTA instructions (hex words or a binary stream)", vtasim::cli::cmd_disasm},
    {"exec", "run a program image (DRAM file + instruction stream) on an engine", vtasim::cli::cmd_exec},
    {"run", "compile, simulate and verify a workload's convolution layers (ResNet-18 by default)", vtasim::cli::cmd_run},
    {"diff", "compare two results directories (runs layer by layer, sweeps point by point)", vtasim::cli::cmd_diff},
    {"plot", "redraw the figures and report of a results directory", vtasim::cli::cmd_plot},
    {"calibrate", "fit timing parameters to measured layers (see workloads/measurements/)", vtasim::cli::cmd_calibrate},
    {"sweep", "run a design-space sweep (local pool, GNU parallel or Slurm)", vtasim::cli::cmd_sweep},
    {"merge", "merge a sweep's finished points into sweep.csv and points.csv", vtasim::cli::cmd_merge},
    {"sweep-point", "run one point of a prepared sweep (used by the back-ends)", vtasim::cli::cmd_sweep_point},
};

void print_usage(std::ostream& os) {
  os << "vtasim " << VTASIM_VERSION << ": a SystemC/TLM-2.0 model of the VTA deep-learning accelerator\n\n"
     << "usage: vtasim <command> [options]   (vtasim <command> --help for its options)\n\ncommands:\n";
  for (const auto& c : kCommands) os << "  " << c.name << std::string(13 - std::strlen(c.name), ' ') << c.summary << "\n";
  os << "\noptions:\n  --help       this text\n  --version    version, git commit and SystemC version\n";
}

}  // namespace

int sc_main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return vtasim::cli::kUsage;
  }
  const std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    print_usage(std::cout);
    return vtasim::cli::kOk;
  }
  if (cmd == "--version") {
    std::cout << "vtasim " << VTASIM_VERSION << " (commit " << VTASIM_GIT_COMMIT << ")\nSystemC "
              << sc_core::sc_release() << "\n";
    return vtasim::cli::kOk;
  }
  for (const auto& c : kCommands) {
    if (cmd != c.name) continue;
    try {
      return c.run(argc - 1, argv + 1);
    } catch (const vtasim::UserError& e) {
      std::cerr << "vtasim " << cmd << ": error: " << e.what() << "\n";
      return vtasim::cli::kUsage;
    } catch (const std::filesystem::filesystem_error& e) {
      // A path the user named or chose cannot be read or written: theirs to fix (the text names it).
      std::cerr << "vtasim " << cmd << ": error: " << e.what() << "\n";
      return vtasim::cli::kUsage;
    } catch (const std::exception& e) {
      std::cerr << "vtasim " << cmd << ": internal error: " << e.what() << "\n";
      return vtasim::cli::kInternal;
    }
  }
  std::vector<std::string> names;
  for (const auto& c : kCommands) names.push_back(c.name);
  std::cerr << "vtasim: unknown command '" << cmd << "'" << vtasim::did_you_mean(cmd, names) << "\n\n";
  print_usage(std::cerr);
  return vtasim::cli::kUsage;
}
