// Whole-file reading with a size limit, and atomic writing (temporary file + rename, so no
// half-written result ever survives), shared by every layer that touches files.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace vtasim {

// The largest input file vtasim reads unless told otherwise: configurations, workloads, schedules,
// sweep specifications and results tables are all far smaller.
constexpr uint64_t kMaxInputFileBytes = uint64_t(16) << 20;

// Throws UserError naming `what` and the path if the file is missing, a directory, unreadable or
// larger than max_bytes (devices such as /dev/zero included: reading stops at the limit).
std::string read_text_file(const std::string& path, const std::string& what = "file",
                           uint64_t max_bytes = kMaxInputFileBytes);
std::vector<uint8_t> read_binary_file(const std::string& path, const std::string& what, uint64_t max_bytes);
// The file's contents, or "" if it does not exist or cannot be read (for optional files we wrote).
std::string read_text_file_or_empty(const std::string& path);
bool file_exists(const std::string& path);
// Throws UserError naming the path if the file cannot be written or moved into place.
void write_file_atomic(const std::string& path, const std::string& content);

// The same for a file written piece by piece (a table too large to hold whole): the pieces go to a
// temporary file beside `path`, which commit() moves into place; a writer destroyed before its
// commit (an error, an exception) removes it, so `path` keeps whatever it held before.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(const std::string& path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  void write(const char* data, size_t size);
  void write(const std::string& s) { write(s.data(), s.size()); }
  void commit();

 private:
  std::string path_, tmp_;
  std::FILE* file_ = nullptr;
};

}  // namespace vtasim
