// Whole-file reading and atomic writing (temporary file + rename, so no half-written result ever
// survives), shared by every layer that touches files.
#pragma once

#include <string>

namespace vtasim {

// Throws UserError "cannot read <what> '<path>'" if the file cannot be read.
std::string read_text_file(const std::string& path, const std::string& what = "file");
// The file's contents, or "" if it does not exist or cannot be read.
std::string read_text_file_or_empty(const std::string& path);
// Throws UserError naming the path if the file cannot be written or moved into place.
void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace vtasim
