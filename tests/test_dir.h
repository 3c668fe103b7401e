// Every test process gets its own scratch directory (ctest runs each test case in its own process, so
// tests never share files, even under ctest -j or two suites at once); it is removed at exit.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

namespace vtasim::test {

inline const std::string& test_dir() {
  static const struct Dir {
    std::string path;
    Dir() {
      const std::string pattern = (std::filesystem::temp_directory_path() / "vtasim-test-XXXXXX").string();
      std::vector<char> buf(pattern.begin(), pattern.end());
      buf.push_back('\0');
      if (::mkdtemp(buf.data()) == nullptr) throw std::runtime_error("cannot create a test directory");
      path = buf.data();
    }
    ~Dir() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
  } dir;
  return dir.path;
}

}  // namespace vtasim::test
