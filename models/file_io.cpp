// File reading and atomic writing (see file_io.h).
#include "file_io.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "errors.h"

namespace vtasim {

std::string read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError("cannot read " + what + " '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string read_text_file_or_empty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file_atomic(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw UserError("cannot write '" + path + "' (is the directory there and writable?)");
    out.write(content.data(), std::streamsize(content.size()));
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw UserError("writing '" + path + "' failed (disk full?)");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw UserError("cannot move the finished file into place at '" + path + "'");
  }
}

}  // namespace vtasim
