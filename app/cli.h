// Shared pieces of the command-line app: exit codes, common options, argument parsing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "models/hw_config.h"

namespace vtasim::cli {

enum ExitCode : int { kOk = 0, kInternal = 1, kUsage = 2 };

// --config FILE and repeatable --set KEY=VALUE, shared by every subcommand that needs hardware.
struct ConfigOptions {
  std::optional<std::string> file;
  std::vector<std::string> overrides;

  void add_to(boost::program_options::options_description& desc);
  // Without --config: the built-in defaults, which are the Pynq design of configs/vta_config.json
  // (a test keeps the two identical).
  HwConfig load() const;
};

// Parses argv of a subcommand; prints help and returns false when --help was given.
bool parse(const std::string& command, const std::string& usage, int argc, char** argv,
           boost::program_options::options_description& desc,
           boost::program_options::positional_options_description* positional = nullptr);

// A whole number option (decimal or 0x hex) within [lo, hi]; UserError naming the option and text.
uint64_t option_uint(const std::string& option, const std::string& text, uint64_t lo, uint64_t hi);

// Notes from configuration loading go to stderr so stdout stays machine-readable.
void print_notes(const HwConfig& cfg);


int cmd_config(int argc, char** argv);
int cmd_diff(int argc, char** argv);
int cmd_disasm(int argc, char** argv);
int cmd_exec(int argc, char** argv);
int cmd_run(int argc, char** argv);
int cmd_calibrate(int argc, char** argv);
int cmd_plot(int argc, char** argv);
int cmd_sweep(int argc, char** argv);
int cmd_sweep_point(int argc, char** argv);
int cmd_merge(int argc, char** argv);

}  // namespace vtasim::cli
