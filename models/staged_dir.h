// Writing a directory's results as one step. The files a command owns in a directory (for `vtasim
// run`: layers.csv, run.json, traces, figures, summary.md) are written into a staging directory inside
// it; commit() then removes the files the previous writer listed in the directory's manifest (and no
// others: files the user put there stay), moves the new ones in, and writes the manifest last. Until
// commit, the previous results stand untouched; a writer killed during commit leaves the manifest
// marked "writing", which readers refuse, so a mix of two runs is never taken for results.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vtasim {

inline constexpr const char* kManifestName = "manifest.json";

class StagedDir {
 public:
  // Staged: the files go to a staging directory inside `dir`, moved in by commit() (above).
  // Private: `dir` is new and no reader looks at it until its creator moves it into place whole (a
  // sweep point's directory), so the files go straight into it and commit() only writes the
  // manifest, listing the files that were not there when this object was made.
  enum class Mode : uint8_t { Staged, Private };
  // Creates `dir` if needed and (staged) a fresh staging directory inside it; UserError naming the
  // path if either cannot be made. `writer` names the command in the manifest.
  StagedDir(std::string dir, std::string writer, Mode mode = Mode::Staged);
  ~StagedDir();  // an uncommitted staging directory is removed with everything in it
  StagedDir(const StagedDir&) = delete;
  StagedDir& operator=(const StagedDir&) = delete;

  const std::string& path() const { return staging_; }  // write the new files here
  const std::string& dir() const { return dir_; }
  void commit();

 private:
  std::string dir_, writer_, staging_;
  Mode mode_;
  std::vector<std::string> before_;  // private: the files already in dir
};

// The files the manifest of `dir` lists (empty without a manifest). UserError if the manifest says a
// writer was interrupted, naming the directory and the fix.
std::vector<std::string> require_complete_dir(const std::string& dir);

}  // namespace vtasim
