// Staged, manifest-committed result directories (see staged_dir.h).
#include "models/staged_dir.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "models/errors.h"
#include "models/file_io.h"
#include "models/json_input.h"

namespace vtasim {

namespace fs = std::filesystem;

namespace {

struct Manifest {
  bool present = false;
  bool complete = false;
  std::vector<std::string> files;
};

// A manifest we cannot read counts as absent: it is ours to rewrite, and nothing it lists is trusted.
Manifest read_manifest(const std::string& dir) {
  Manifest m;
  const std::string text = read_text_file_or_empty(dir + "/" + kManifestName);
  if (text.empty()) return m;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("files") || !j["files"].is_array()) return m;
  m.present = true;
  m.complete = j.value("state", "") == "complete";
  for (const auto& f : j["files"]) {
    // Only plain names inside the directory: a manifest never makes us touch anything else.
    if (!f.is_string()) continue;
    const std::string name = f.get<std::string>();
    if (name.empty() || name == kManifestName || name.find('/') != std::string::npos || name == "." || name == "..") continue;
    m.files.push_back(name);
  }
  return m;
}

void write_manifest(const std::string& dir, const std::string& writer, const std::string& state,
                    const std::vector<std::string>& files) {
  nlohmann::ordered_json j;
  j["writer"] = writer;
  j["state"] = state;
  j["files"] = files;
  write_file_atomic(dir + "/" + kManifestName, dump_json(j, 1) + "\n");
}

}  // namespace

namespace {

// The names of the entries of `dir`, sorted.
std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

StagedDir::StagedDir(std::string dir, std::string writer, Mode mode)
    : dir_(std::move(dir)), writer_(std::move(writer)), mode_(mode) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec || !fs::is_directory(dir_)) {
    throw UserError("cannot create the directory '" + dir_ + "'" + (ec ? ": " + ec.message() : std::string(": a file is in the way")));
  }
  if (mode_ == Mode::Private) {
    staging_ = dir_;
    before_ = entries(dir_);
    return;
  }
  staging_ = dir_ + "/.staging." + std::to_string(::getpid());
  fs::remove_all(staging_, ec);
  fs::create_directory(staging_, ec);
  if (ec) throw UserError("cannot write into '" + dir_ + "': " + ec.message());
}

StagedDir::~StagedDir() {
  if (mode_ == Mode::Private) return;  // the directory is its creator's
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

void StagedDir::commit() {
  std::vector<std::string> fresh;
  if (mode_ == Mode::Private) {
    for (const auto& f : entries(dir_))
      if (f != kManifestName && !std::binary_search(before_.begin(), before_.end(), f)) fresh.push_back(f);
    write_manifest(dir_, writer_, "complete", fresh);
    return;
  }
  fresh = entries(staging_);
  const Manifest old = read_manifest(dir_);
  std::set<std::string> all(fresh.begin(), fresh.end());
  all.insert(old.files.begin(), old.files.end());
  // From here until the final manifest the directory is a mix: say so first.
  write_manifest(dir_, writer_, "writing", std::vector<std::string>(all.begin(), all.end()));
  std::error_code ec;
  for (const auto& f : old.files) {
    if (!std::binary_search(fresh.begin(), fresh.end(), f)) fs::remove_all(dir_ + "/" + f, ec);
  }
  for (const auto& f : fresh) {
    fs::remove_all(dir_ + "/" + f, ec);  // a directory of that name would block the rename
    fs::rename(staging_ + "/" + f, dir_ + "/" + f, ec);
    if (ec) throw UserError("cannot move '" + f + "' into '" + dir_ + "': " + ec.message());
  }
  write_manifest(dir_, writer_, "complete", fresh);
  fs::remove_all(staging_, ec);
}

std::vector<std::string> require_complete_dir(const std::string& dir) {
  const Manifest m = read_manifest(dir);
  if (m.present && !m.complete) {
    throw UserError("'" + dir + "' holds results whose writing was interrupted (its " + kManifestName +
                    " says \"writing\"); run the command that made them again");
  }
  return m.files;
}

}  // namespace vtasim
