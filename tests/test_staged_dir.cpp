// Staged result directories: nothing changes before commit, commit replaces only the files the
// previous writer owned, an interrupted commit is refused by readers.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "models/errors.h"
#include "models/file_io.h"
#include "models/staged_dir.h"
#include "test_dir.h"

using namespace vtasim;
using vtasim::test::test_dir;
namespace fs = std::filesystem;

namespace {

void put(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("a staged directory commits its files and removes only the files it owned before", "[files]") {
  const std::string dir = test_dir() + "/staged";
  fs::remove_all(dir);
  {
    StagedDir first(dir, "test");
    put(first.path() + "/a.txt", "first a");
    put(first.path() + "/old_figure.png", "first figure");
    first.commit();
  }
  put(dir + "/notes.txt", "the user's own file");
  CHECK(read_text_file(dir + "/a.txt") == "first a");
  CHECK(require_complete_dir(dir) == std::vector<std::string>{"a.txt", "old_figure.png"});
  {
    StagedDir second(dir, "test");
    put(second.path() + "/a.txt", "second a");
    put(second.path() + "/b.txt", "second b");
    // Before commit the first run's files stand.
    CHECK(read_text_file(dir + "/a.txt") == "first a");
    CHECK_FALSE(fs::exists(dir + "/b.txt"));
    second.commit();
  }
  CHECK(read_text_file(dir + "/a.txt") == "second a");
  CHECK(read_text_file(dir + "/b.txt") == "second b");
  CHECK_FALSE(fs::exists(dir + "/old_figure.png"));             // owned by the first run, stale now
  CHECK(read_text_file(dir + "/notes.txt") == "the user's own file");  // never ours
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir)) entries += e.path().filename().string().rfind(".staging", 0) == 0 ? 100 : 1;
  CHECK(entries == 4);  // a, b, notes, manifest: no staging directory left
}

TEST_CASE("an uncommitted staged directory leaves the previous results untouched", "[files]") {
  const std::string dir = test_dir() + "/staged_abort";
  fs::remove_all(dir);
  {
    StagedDir first(dir, "test");
    put(first.path() + "/a.txt", "first");
    first.commit();
  }
  {
    StagedDir failing(dir, "test");
    put(failing.path() + "/a.txt", "half");
    // ... the run fails here, before commit
  }
  CHECK(read_text_file(dir + "/a.txt") == "first");
  CHECK(require_complete_dir(dir) == std::vector<std::string>{"a.txt"});
}

TEST_CASE("a manifest left in the writing state is refused, and a manifest cannot reach outside", "[files]") {
  const std::string dir = test_dir() + "/staged_broken";
  fs::create_directories(dir);
  put(dir + "/manifest.json", R"({"writer": "test", "state": "writing", "files": ["a.txt"]})");
  CHECK_THROWS_AS(require_complete_dir(dir), UserError);
  put(test_dir() + "/outside.txt", "keep");
  put(dir + "/manifest.json", R"({"writer": "test", "state": "complete", "files": ["../outside.txt", "/etc/passwd", 7]})");
  CHECK(require_complete_dir(dir).empty());
  {
    StagedDir s(dir, "test");
    put(s.path() + "/x.txt", "x");
    s.commit();
  }
  CHECK(read_text_file(test_dir() + "/outside.txt") == "keep");
}

// A private directory (a sweep point's, moved into place whole by its creator): files go straight in,
// the manifest lists only what was written after the StagedDir was made, and nothing is removed
// when it is not committed.
TEST_CASE("a private staged directory is written in place and lists only its own files", "[files]") {
  const std::string dir = test_dir() + "/private";
  fs::remove_all(dir);
  fs::create_directories(dir);
  put(dir + "/stdout.txt", "captured output");
  {
    StagedDir s(dir, "test", StagedDir::Mode::Private);
    CHECK(s.path() == dir);
    put(s.path() + "/layers.csv", "rows");
    put(s.path() + "/run.json", "{}");
    s.commit();
  }
  CHECK(read_text_file(dir + "/layers.csv") == "rows");
  CHECK(require_complete_dir(dir) == std::vector<std::string>{"layers.csv", "run.json"});
  {
    StagedDir failing(dir, "test", StagedDir::Mode::Private);
    put(failing.path() + "/partial.csv", "half");
  }  // not committed: the directory and what is in it stay (its creator removes it)
  CHECK(fs::exists(dir + "/partial.csv"));
  CHECK(require_complete_dir(dir) == std::vector<std::string>{"layers.csv", "run.json"});
}

TEST_CASE("a file written piece by piece appears whole at commit, and not at all without one", "[files]") {
  const std::string dir = test_dir() + "/pieces";
  fs::create_directories(dir);
  const std::string path = dir + "/table.csv";
  put(path, "the previous table\n");
  const auto listing = [&] {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  };
  {
    AtomicFileWriter w(path);
    w.write("a,b\n");
    w.write(std::string(100000, 'x'));
    CHECK(read_text_file(path) == "the previous table\n");  // nothing changes before the commit
    // Abandoned (an error while writing): the previous table stays and no temporary file is left.
  }
  CHECK(read_text_file(path) == "the previous table\n");
  CHECK(listing() == std::vector<std::string>{"table.csv"});
  {
    AtomicFileWriter w(path);
    w.write("a,b\n");
    w.write("1,2\n");
    w.commit();
    CHECK_THROWS_AS(w.write("3,4\n"), std::logic_error);
  }
  CHECK(read_text_file(path) == "a,b\n1,2\n");
  CHECK(listing() == std::vector<std::string>{"table.csv"});
  CHECK_THROWS_AS(AtomicFileWriter(dir + "/no/such/dir/t.csv"), UserError);
}
