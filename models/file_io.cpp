// File reading and atomic writing (see file_io.h).
#include "models/file_io.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "models/errors.h"

namespace vtasim {

namespace {

std::string read_limited(const std::string& path, const std::string& what, uint64_t max_bytes) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    throw UserError("cannot read " + what + " '" + path + "': " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) throw UserError(what + " '" + path + "' is a directory; give a file");
  if (S_ISREG(st.st_mode) && uint64_t(st.st_size) > max_bytes) {
    throw UserError(what + " '" + path + "' has " + std::to_string(uint64_t(st.st_size)) + " bytes, more than the " +
                    std::to_string(max_bytes) + " vtasim reads for it; is it the right file?");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UserError("cannot read " + what + " '" + path + "' (permission denied?)");
  std::string out;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    const std::streamsize n = in.gcount();
    if (n <= 0) break;
    if (out.size() + uint64_t(n) > max_bytes) {
      throw UserError(what + " '" + path + "' is larger than " + std::to_string(max_bytes) +
                      " bytes, more than vtasim reads for it; is it the right file?");
    }
    out.append(buf, size_t(n));
  }
  if (in.bad()) throw UserError("reading " + what + " '" + path + "' failed");
  return out;
}

}  // namespace

std::string read_text_file(const std::string& path, const std::string& what, uint64_t max_bytes) {
  return read_limited(path, what, max_bytes);
}

std::vector<uint8_t> read_binary_file(const std::string& path, const std::string& what, uint64_t max_bytes) {
  const std::string s = read_limited(path, what, max_bytes);
  return std::vector<uint8_t>(s.begin(), s.end());
}

std::string read_text_file_or_empty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::string out;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    if (in.gcount() <= 0) break;
    out.append(buf, size_t(in.gcount()));
  }
  return out;
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

void write_file_atomic(const std::string& path, const std::string& content) {
  AtomicFileWriter out(path);
  out.write(content);
  out.commit();
}

AtomicFileWriter::AtomicFileWriter(const std::string& path)
    : path_(path), tmp_(path + ".tmp." + std::to_string(::getpid())), file_(std::fopen(tmp_.c_str(), "wb")) {
  if (!file_) throw UserError("cannot write '" + path + "' (is the directory there and writable?)");
}

AtomicFileWriter::~AtomicFileWriter() {
  if (!file_) return;  // committed
  std::fclose(file_);
  std::remove(tmp_.c_str());
}

void AtomicFileWriter::write(const char* data, size_t size) {
  if (!file_) throw std::logic_error("AtomicFileWriter::write after commit");
  if (size && std::fwrite(data, 1, size, file_) != size) throw UserError("writing '" + path_ + "' failed (disk full?)");
}

void AtomicFileWriter::commit() {
  if (!file_) throw std::logic_error("AtomicFileWriter::commit twice");
  const bool written = std::fflush(file_) == 0;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!written || !closed) {
    std::remove(tmp_.c_str());
    throw UserError("writing '" + path_ + "' failed (disk full?)");
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    std::remove(tmp_.c_str());
    throw UserError("cannot move the finished file into place at '" + path_ + "'");
  }
}

}  // namespace vtasim
