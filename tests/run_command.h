// Runs a shell command and captures its exit code, stdout and stderr (for command-line tests).
#pragma once

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "test_dir.h"

namespace vtasim::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline CommandResult run_command(const std::string& cmd) {
  static int counter = 0;
  const std::string err_file = test_dir() + "/test_err_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  CommandResult r;
  FILE* pipe = ::popen((cmd + " 2>" + err_file).c_str(), "r");
  if (!pipe) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.err = slurp(err_file);
  std::remove(err_file.c_str());
  return r;
}

// vtasim with arguments, run from the source tree so relative config paths work.
inline CommandResult run_vtasim(const std::string& args) {
  return run_command(std::string("cd '") + VTASIM_SOURCE_DIR + "' && '" + VTASIM_BIN + "' " + args);
}

}  // namespace vtasim::test
