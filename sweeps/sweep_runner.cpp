// Sweep runner, back-ends and merge (see sweep_runner.h).
#include "sweeps/sweep_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "models/errors.h"
#include "models/file_io.h"
#include "models/json_input.h"
#include "plots/figure.h"
#include "runtime/layer_results.h"
#include "models/resource_model.h"
#include "plots/sweep_figures.h"

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

namespace vtasim {

namespace {

// Runs body(i) for every i in [0, n) on up to `threads` threads, each a contiguous share in order;
// after all have finished, the exception of the first share that threw (its first failing i: so the
// first failing i overall) is rethrown, as a loop in order would have thrown it.
template <class Body>
void for_each_index(size_t n, unsigned threads, const Body& body) {
  threads = unsigned(std::min<size_t>(std::max(threads, 1u), n));
  if (threads <= 1) {
    for (size_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      try {
        for (size_t i = n * t / threads; i < n * (t + 1) / threads; ++i) body(i);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  for (auto& th : pool) th.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

// Threads for the sweep's own file work (writing requests, reading results).
unsigned file_threads() { return std::max(1u, std::min(8u, std::thread::hardware_concurrency())); }

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// Starts `argv` as a child that dies with its parent; stdout/stderr to files ("" keeps them).
pid_t spawn(const std::vector<std::string>& argv, const std::string& out, const std::string& err) {
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent is already gone
    if (!out.empty()) {
      const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) ::dup2(fd, 1);
    }
    if (!err.empty()) {
      const int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) ::dup2(fd, 2);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

std::string tail_lines(const std::string& text, size_t n) {
  size_t pos = text.size();
  for (size_t k = 0; k <= n && pos > 0; ++k) {
    const size_t p = text.rfind('\n', pos - 1);
    if (p == std::string::npos) return text;
    if (k < n) pos = p;
  }
  return text.substr(pos == text.size() ? 0 : pos + 1);
}

// The message of the last error line a failed point printed, or its exit status.
std::string failure_reason(const std::string& err, const std::string& status) {
  std::istringstream lines(err);
  std::string reason;
  for (std::string line; std::getline(lines, line);) {
    const auto at = line.find("error: ");
    if (at != std::string::npos) reason = line.substr(at + 7);
  }
  return reason.empty() ? status : reason;
}

struct SweepFile {
  struct Point {
    std::string id;
    std::vector<std::string> values;
    std::string skipped;  // why the model rejected its configuration ("" if it runs)
  };
  ojson doc;
  std::vector<std::string> axes;
  std::vector<Point> points;
  bool fit_only = false;
};

SweepFile load_sweep_file(const std::string& dir) {
  SweepFile f;
  const std::string path = dir + "/sweep.json";
  f.doc = parse_json_input(read_text_file(path, "sweep description", kMaxSweepFileBytes), path);
  try {
    for (const auto& a : f.doc.at("axes")) f.axes.push_back(a.get<std::string>());
    for (const auto& p : f.doc.at("points")) {
      f.points.push_back({p.at("id").get<std::string>(), p.at("values").get<std::vector<std::string>>(),
                          p.value("skipped", std::string())});
    }
    f.fit_only = f.doc.value("fit_only", false);
    if (f.points.empty() && !f.doc.at("points").is_array()) {
      throw UserError(path + " is not a vtasim sweep description: 'points' is not a list");
    }
  } catch (const nlohmann::json::exception& e) {
    throw UserError(path + " is not a vtasim sweep description: " + e.what());
  }
  return f;
}

bool point_done(const std::string& dir, const std::string& id) { return fs::exists(dir + "/points/" + id + "/layers.csv"); }

// Writes sweep.json, points.tsv, and each point's request and configuration.
void prepare_dir(const SweepSpec& spec, const std::vector<SweepPoint>& points, const std::string& dir) {
  for (const char* sub : {"", "/requests", "/configs", "/points", "/failed", "/tmp"}) fs::create_directories(dir + sub);
  ojson doc;
  doc["spec"] = spec.origin;
  doc["axes"] = ojson::array();
  for (const auto& a : spec.axes) doc["axes"].push_back(a.name);
  doc["combine"] = spec.combine;
  doc["workload"] = spec.base.workload.name;
  doc["layers"] = spec.base.layer_names;
  doc["threads"] = spec.base.threads;
  doc["schedule"] = spec.base.schedule.name();
  doc["engine"] = engine_kind_name(spec.base.engine);
  doc["fit_only"] = spec.fit_only;
  doc["points"] = ojson::array();
  std::ostringstream tsv;
  tsv << "id";
  for (const auto& a : spec.axes) tsv << "\t" << a.name;
  tsv << "\n";
  // Each point's request and configuration, written by a few threads (two files a point).
  for_each_index(points.size(), file_threads(), [&](size_t i) {
    const SweepPoint& p = points[i];
    if (!p.skipped.empty()) return;
    write_file_atomic(dir + "/requests/" + p.id + ".json", p.request.to_json());
    write_file_atomic(dir + "/configs/" + p.id + ".json", p.request.config.to_config_json() + "\n");
  });
  for (const auto& p : points) {
    ojson entry = {{"id", p.id}, {"values", p.labels}};
    if (!p.skipped.empty()) entry["skipped"] = p.skipped;
    doc["points"].push_back(entry);
    tsv << p.id;
    for (const auto& v : p.labels) tsv << "\t" << v;
    tsv << "\n";
  }
  write_file_atomic(dir + "/sweep.json", dump_json(doc, 2) + "\n");
  write_file_atomic(dir + "/points.tsv", tsv.str());
}

class Progress {
 public:
  explicit Progress(size_t total) : total_(total), tty_(::isatty(2)), start_(clock::now()) {}
  void update(size_t done, size_t failed) {
    if (!tty_) return;
    const double elapsed = std::chrono::duration<double>(clock::now() - start_).count();
    const double eta = done ? elapsed / double(done) * double(total_ - done) : 0;
    std::fprintf(stderr, "\rsweep: %zu/%zu points done, %zu failed, ETA %.0f s   ", done, total_, failed, eta);
    if (done == total_) std::fprintf(stderr, "\n");
  }

 private:
  using clock = std::chrono::steady_clock;
  size_t total_;
  bool tty_;
  clock::time_point start_;
};

// Points per worker process: start-up and the sweep file are paid once per worker, while chunks stay
// small enough to balance the jobs and show progress.
size_t worker_chunk(size_t points, unsigned jobs) {
  return std::clamp<size_t>(points / (size_t(std::max(jobs, 1u)) * 8), 1, 128);
}

int run_local(const std::string& dir, const std::vector<std::string>& ids, unsigned jobs,
              const std::vector<std::string>& command) {
  Progress progress(ids.size());
  std::map<pid_t, std::vector<std::string>> running;  // worker -> its points
  const size_t chunk = worker_chunk(ids.size(), jobs);
  size_t next = 0, done = 0, failed = 0;
  progress.update(0, 0);
  while (next < ids.size() || !running.empty()) {
    while (running.size() < jobs && next < ids.size()) {
      std::vector<std::string> argv = command;
      argv.push_back(dir);
      std::vector<std::string> mine(ids.begin() + int64_t(next), ids.begin() + int64_t(std::min(ids.size(), next + chunk)));
      next += mine.size();
      argv.insert(argv.end(), mine.begin(), mine.end());
      running[spawn(argv, "", "")] = std::move(mine);
    }
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) break;
    auto it = running.find(pid);
    if (it == running.end()) continue;
    done += it->second.size();
    for (const auto& id : it->second) {
      if (!point_done(dir, id)) ++failed;  // recorded in failed/, or the worker died before it
    }
    running.erase(it);
    progress.update(done, failed);
  }
  return failed ? 1 : 0;
}

int run_parallel(const std::string& dir, const std::vector<std::string>& ids, unsigned jobs,
                 const std::vector<std::string>& command, bool resume) {
  fs::create_directories(dir + "/parallel");
  write_file_atomic(dir + "/parallel/ids.txt", join(ids, "\n") + (ids.empty() ? "" : "\n"));
  // Each job is one worker with up to `chunk` points, appended to its command line (-n).
  std::vector<std::string> argv = {"/usr/bin/env", "parallel", "--will-cite", "--halt", "never", "--jobs",
                                   std::to_string(jobs), "-n", std::to_string(worker_chunk(ids.size(), jobs)),
                                   "--joblog", dir + "/parallel/joblog.tsv"};
  if (resume) argv.push_back("--resume-failed");
  for (const auto& a : command) argv.push_back(a);
  argv.push_back(dir);
  argv.push_back("::::");
  argv.push_back(dir + "/parallel/ids.txt");
  const pid_t pid = spawn(argv, dir + "/parallel/stdout.txt", dir + "/parallel/stderr.txt");
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    throw UserError("GNU parallel did not run (is it installed? apt-get install parallel); see " + dir +
                    "/parallel/stderr.txt");
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

// A command line for a shell script: the executable may be overridden by $VTASIM, the rest quoted.
std::string script_command(const std::vector<std::string>& command, const std::string& rest) {
  std::string line = "\"$VTASIM\"";
  for (size_t i = 1; i < command.size(); ++i) {
    const bool plain = command[i].find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_./") == std::string::npos;
    line += plain ? " " + command[i] : " '" + command[i] + "'";
  }
  return line + " " + rest;
}

void write_slurm(const std::string& dir, const std::vector<std::string>& ids, const std::vector<std::string>& command,
                 const std::vector<std::string>& merge_command) {
  const std::string& self = command.front();
  fs::create_directories(dir + "/slurm/logs");
  write_file_atomic(dir + "/slurm/ids.txt", join(ids, "\n") + "\n");
  std::ostringstream array;
  array << "#!/bin/bash\n"
        << "# One Slurm array task per sweep point (written by vtasim sweep). Submit with submit.sh, which\n"
        << "# also queues the merge after the array. VTASIM overrides the vtasim executable on the cluster.\n"
        << "#SBATCH --job-name=vtasim-sweep\n"
        << "#SBATCH --array=0-" << (ids.empty() ? 0 : ids.size() - 1) << "\n"
        << "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n"
        << "#SBATCH --output=logs/point_%A_%a.out\n"
        << "set -eu\n"
        << "cd \"${SLURM_SUBMIT_DIR}/..\"\n"
        << "VTASIM=\"${VTASIM:-" << self << "}\"\n"
        << "id=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" slurm/ids.txt)\n"
        << "exec " << script_command(command, ". \"$id\"") << "\n";
  std::ostringstream merge;
  merge << "#!/bin/bash\n"
        << "# Merges the sweep's points once the array has finished (written by vtasim sweep).\n"
        << "#SBATCH --job-name=vtasim-merge\n#SBATCH --ntasks=1\n#SBATCH --output=logs/merge_%j.out\n"
        << "set -eu\n"
        << "cd \"${SLURM_SUBMIT_DIR}/..\"\n"
        << "VTASIM=\"${VTASIM:-" << self << "}\"\n"
        << "exec " << script_command(merge_command, ".") << "\n";
  std::ostringstream submit;
  submit << "#!/bin/bash\n"
         << "# Submits the sweep's array job and its merge (afterany: the merge runs even if points fail).\n"
         << "set -eu\n"
         << "cd \"$(dirname \"$0\")\"\n"
         << "mkdir -p logs\n"
         << "array=$(sbatch --parsable array.sbatch)\n"
         << "merge=$(sbatch --parsable --dependency=afterany:${array%%;*} merge.sbatch)\n"
         << "echo \"submitted array job ${array%%;*} (" << ids.size() << " points) and merge job ${merge%%;*}\"\n";
  write_file_atomic(dir + "/slurm/array.sbatch", array.str());
  write_file_atomic(dir + "/slurm/merge.sbatch", merge.str());
  write_file_atomic(dir + "/slurm/submit.sh", submit.str());
  fs::permissions(dir + "/slurm/submit.sh", fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
}

}  // namespace

std::string self_executable() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw std::runtime_error("cannot find the vtasim executable (/proc/self/exe)");
  return std::string(buf, size_t(n));
}

int run_sweep(const SweepSpec& spec, const std::vector<SweepPoint>& points, const SweepOptions& o) {
  if (o.backend != "local" && o.backend != "parallel" && o.backend != "slurm") {
    throw UserError("--backend '" + o.backend + "' is not known; use local, parallel or slurm");
  }
  if (o.dry_run) {
    std::cout << "id\t";
    for (const auto& a : spec.axes) std::cout << a.name << "\t";
    std::cout << "\n";
    size_t skipped = 0;
    for (const auto& p : points) {
      std::cout << p.id << "\t" << join(p.labels, "\t") << (p.skipped.empty() ? "" : "\tskipped: " + p.skipped) << "\n";
      skipped += !p.skipped.empty();
    }
    if (skipped) std::cout << skipped << " of the points would be skipped (the model rejects their configuration)\n";
    std::cout << points.size() << " points (" << spec.combine << " of " << spec.axes.size() << " axes), engine "
              << engine_kind_name(spec.base.engine) << ", nothing run (--dry-run)\n";
    return 0;
  }
  const std::string& dir = o.out_dir;
  if (fs::exists(dir + "/sweep.json")) {
    const SweepFile existing = load_sweep_file(dir);
    std::vector<std::string> old_ids, new_ids;
    for (const auto& p : existing.points) old_ids.push_back(p.id);
    for (const auto& p : points) new_ids.push_back(p.id);
    if (old_ids != new_ids) {
      throw UserError(dir + " holds a different sweep; choose another --out or remove it");
    }
    if (!o.resume) throw UserError(dir + " already holds this sweep; pass --resume to continue it, or choose another --out");
  }
  prepare_dir(spec, points, dir);
  // Leftovers of interrupted attempts are never results.
  for (const auto& e : fs::directory_iterator(dir + "/tmp")) fs::remove_all(e.path());
  std::vector<std::string> pending;
  size_t invalid = 0;
  for (const auto& p : points) {
    if (!p.skipped.empty()) {
      ++invalid;
    } else if (!point_done(dir, p.id)) {
      pending.push_back(p.id);
    }
  }
  const size_t done_before = points.size() - invalid - pending.size();
  if (done_before) std::cerr << "vtasim sweep: " << done_before << " of " << points.size() << " points already done\n";
  if (invalid) {
    std::cerr << "vtasim sweep: " << invalid << " point(s) skipped: the model rejects their configuration (see "
              << dir << "/summary.md)\n";
  }
  const unsigned jobs = o.jobs ? o.jobs : std::max(1u, std::thread::hardware_concurrency());

  if (o.backend == "slurm") {
    write_slurm(dir, pending, o.point_command, o.merge_command);
    if (o.submit) {
      if (std::system("command -v sbatch > /dev/null 2>&1") != 0) {
        throw UserError("--submit needs sbatch on the PATH; copy " + dir + " to a login node and run slurm/submit.sh there");
      }
      const int rc = std::system(("bash '" + dir + "/slurm/submit.sh'").c_str());
      if (rc != 0) throw UserError("submitting the Slurm jobs failed (" + dir + "/slurm/submit.sh)");
    } else {
      std::cout << "wrote " << dir << "/slurm/{array.sbatch,merge.sbatch,submit.sh} for " << pending.size()
                << " points; on the cluster run " << dir << "/slurm/submit.sh (VTASIM=<path to vtasim> to override)\n";
    }
    return 0;
  }
  const int rc = o.backend == "parallel" ? run_parallel(dir, pending, jobs, o.point_command, o.resume)
                                         : run_local(dir, pending, jobs, o.point_command);
  (void)rc;  // the merge reads every point's outcome from the directory
  const MergeOutcome m = merge_sweep(dir, o.plots);
  std::cout << "sweep: " << m.finished << " of " << points.size() << " points finished";
  if (m.skipped) std::cout << ", " << m.skipped << " skipped";
  if (m.user_failures + m.other_failures) std::cout << ", " << m.user_failures + m.other_failures << " failed";
  std::cout << "; " << dir << "/summary.md, sweep.csv, points.csv\n";
  return m.exit_code();
}

namespace {

// Files a point's outcome: its results moved into place, or a failure record. `status` is a wait
// status (exit code or signal). Returns 0 for a finished point, 1 for a failed one.
int file_point(const std::string& dir, const std::string& id, const std::string& tmp, int status) {
  const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (ok) {
    std::error_code ec;
    fs::rename(tmp, dir + "/points/" + id, ec);
    if (ec) fs::remove_all(tmp);  // another attempt finished first: keep that one
    fs::remove(dir + "/failed/" + id + ".json", ec);
    return 0;
  }
  ojson f;
  f["id"] = id;
  f["status"] = describe_status(status);
  f["exit_status"] = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  f["signal"] = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  const std::string err = read_text_file_or_empty(tmp + "/log.txt");
  f["stderr_tail"] = tail_lines(err, 20);
  f["reason"] = failure_reason(err, describe_status(status));
  write_file_atomic(dir + "/failed/" + id + ".json", dump_json(f, 2) + "\n");
  fs::remove_all(tmp);
  return 1;
}

std::string point_tmp(const std::string& dir, const std::string& id, pid_t server) {
  return dir + "/tmp/" + id + "." + std::to_string(server);
}

// Runs one point inside the point server, its output (both streams) going to the point's log.txt.
// Returns its exit code (kPointRestart: not run, this process cannot run it).
int serve_point(const std::string& dir, const std::string& id, const PointRunner& runner) {
  const std::string tmp = point_tmp(dir, id, ::getpid());
  const int f = ::open((tmp + "/log.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (f >= 0) {
    ::dup2(f, 1);
    ::dup2(f, 2);
    ::close(f);
  }
  int code = 1;
  try {
    const std::string request_path = dir + "/requests/" + id + ".json";
    const RunRequest request = RunRequest::from_json(read_text_file(request_path, "point request"), request_path);
    code = runner(request, tmp);
  } catch (const UserError& e) {
    std::cerr << "vtasim sweep-point: error: " << e.what() << "\n";
    code = 2;
  } catch (const std::exception& e) {
    std::cerr << "vtasim sweep-point: internal error: " << e.what() << "\n";
    code = 1;
  }
  std::cout.flush();
  std::cerr.flush();
  return code;
}

// The point server: a child of the worker that runs the points the worker sends it (one id per
// line on `in`), answering each with its exit code (one byte on `out`), so what the runner keeps
// between points (the elaborated engine) is reused. It ends after a point that did not finish (an
// engine may be unusable after an error) and when the worker closes `in`.
[[noreturn]] void point_server(const std::string& dir, const PointRunner& runner, int in, int out) {
  std::string id;
  char c;
  for (;;) {
    const ssize_t n = ::read(in, &c, 1);
    if (n <= 0) ::_exit(0);
    if (c != '\n') {
      id += c;
      continue;
    }
    const int code = serve_point(dir, id, runner);
    const unsigned char reply = static_cast<unsigned char>(code);
    if (::write(out, &reply, 1) != 1 || code != 0) ::_exit(0);
    id.clear();
  }
}

// The worker's side of a point server.
class PointServer {
 public:
  PointServer(const std::string& dir, const PointRunner& runner) : dir_(dir), runner_(runner) {}
  ~PointServer() { stop(); }

  // Runs `id` in the server (started if needed); returns its wait status as if it had been a
  // process of its own: exit code, or the signal that ended the server while it ran the point.
  int run(const std::string& id) {
    for (int attempt = 0;; ++attempt) {
      if (pid_ <= 0) start();
      const std::string tmp = point_tmp(dir_, id, pid_);
      fs::create_directories(tmp);
      const std::string line = id + "\n";
      unsigned char reply = 0;
      const bool sent = ::write(to_, line.data(), line.size()) == ssize_t(line.size());
      if (sent && ::read(from_, &reply, 1) == 1) {
        if (reply != kPointRestart || attempt > 0) {
          last_tmp_ = tmp;
          if (reply != 0) stop();  // the server ends after a point that did not finish
          return W_EXITCODE(reply, 0);
        }
        fs::remove_all(tmp);
        stop();  // this server cannot run the point: a fresh one can
        continue;
      }
      last_tmp_ = tmp;
      return stop();  // the server died running the point
    }
  }
  const std::string& last_tmp() const { return last_tmp_; }

 private:
  void start() {
    int down[2], up[2];
    if (::pipe(down) != 0 || ::pipe(up) != 0) throw std::runtime_error("pipe failed");
    std::cout.flush();
    std::cerr.flush();
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      ::close(down[1]);
      ::close(up[0]);
      point_server(dir_, runner_, down[0], up[1]);
    }
    ::close(down[0]);
    ::close(up[1]);
    pid_ = pid;
    to_ = down[1];
    from_ = up[0];
  }
  // Ends the server (closing its input ends its loop) and returns its wait status.
  int stop() {
    if (pid_ <= 0) return 0;
    ::close(to_);
    ::close(from_);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

  const std::string& dir_;
  const PointRunner& runner_;
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  std::string last_tmp_;
};

}  // namespace

int run_sweep_points(const std::string& dir, const std::vector<std::string>& ids, const PointRunner& runner) {
  // A worker checks its points against their request files, not sweep.json: every worker reading the
  // whole description would cost each a parse of the sweep (0.2 s and 70 MB at 100,000 points).
  if (!file_exists(dir + "/sweep.json")) {
    throw UserError(dir + " is not a prepared sweep directory (it has no sweep.json); `vtasim sweep` prepares one");
  }
  for (const auto& id : ids) {
    // Point ids name files: anything but letters, digits, '-' and '_' is no point of any sweep.
    const bool plain = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
    if (!plain || !file_exists(dir + "/requests/" + id + ".json")) {
      throw UserError("point '" + id + "' is not a point of " + dir + " that runs (no requests/" + id +
                      ".json: not in its sweep.json, or skipped)");
    }
  }
  // The points run in a server process (so a crash only fails the point it happened in), which keeps
  // what the runner reuses between points.
  ::signal(SIGPIPE, SIG_IGN);  // a server that died is noticed by its closed pipe, not a signal
  PointServer server(dir, runner);
  int failed = 0;
  for (const auto& id : ids) {
    if (point_done(dir, id)) continue;
    const int status = server.run(id);
    failed += file_point(dir, id, server.last_tmp(), status);
  }
  return failed ? 1 : 0;
}

namespace {

// One point as the merge sees it: its summary, its layer rows and its configuration.
struct MergedPoint {
  SweepPointSummary summary;
  std::vector<LayerResult> rows;
  HwConfig cfg = HwConfig::defaults();
  std::string csv;  // its layers.csv text ("" if it did not finish)
};

MergedPoint load_point(const std::string& dir, const SweepFile::Point& p) {
  MergedPoint m;
  SweepPointSummary& s = m.summary;
  s.id = p.id;
  s.values = p.values;
  if (!p.skipped.empty()) {
    s.status = "skipped";
    s.failure = p.skipped;
    s.fits = false;
    return m;
  }
  m.cfg = HwConfig::load(dir + "/configs/" + p.id + ".json", std::vector<std::string>{});
  const ResourceEstimate res = estimate_resources(m.cfg);
  s.dsp = res.dsp;
  s.bram36 = res.bram36;
  s.luts = res.luts;
  s.ffs = res.ffs;
  s.part = res.part.name;
  s.part_dsp = res.part.dsp;
  s.part_bram36 = res.part.bram36;
  s.fits = res.fits;
  s.limiting = res.limiting;
  s.peak_gops = m.cfg.peak_gops();
  if (!point_done(dir, p.id)) {
    const std::string failed = dir + "/failed/" + p.id + ".json";
    s.status = fs::exists(failed) ? "failed" : "missing";
    if (s.status == "failed") {
      const ojson f = parse_json_input(read_text_file(failed), failed);
      s.failure = f.value("reason", f.value("status", std::string("failed")));
      s.user_error = f.value("exit_status", 0) == 2;
    }
    return m;
  }
  const std::string path = dir + "/points/" + p.id + "/layers.csv";
  m.csv = read_text_file(path, "point results");
  m.rows = layers_from_csv(m.csv, path);
  s.status = "ok";
  for (const auto& t : network_totals(m.rows)) {
    const int k = t.threads == 2 ? 1 : 0;
    s.has[k] = t.time_us > 0;
    s.cycles[k] = t.cycles;
    s.latency_ms[k] = t.time_us / 1000.0;
    s.gops[k] = t.gops;
    s.dram_mb[k] = t.dram_bytes / 1e6;
    s.images_per_s[k] = t.images_per_s;
    s.uj_per_image[k] = t.uj_per_image;
    s.edp_uj_ms[k] = t.edp_uj_ms;
  }
  return m;
}

}  // namespace

int MergeOutcome::exit_code() const {
  if (other_failures || missing) return 1;
  return user_failures ? 2 : 0;
}

MergeOutcome merge_sweep(const std::string& dir, bool plots) {
  const SweepFile sweep = load_sweep_file(dir);
  std::string header, header_from;
  // sweep.csv is written as the points are read (a large sweep's table is never held whole); only the
  // points' summaries stay, and afterwards the few points the report looks into are read again.
  AtomicFileWriter sweep_csv(dir + "/sweep.csv");
  SweepResults results;
  results.axes = sweep.axes;
  results.fit_only = sweep.fit_only;
  MergeOutcome out;
  // The points are read and parsed by a few threads, a bounded batch at a time, and merged in order.
  constexpr size_t kBatch = 256;
  std::vector<MergedPoint> batch;
  std::string chunk;
  for (size_t i = 0; i < sweep.points.size(); ++i) {
    if (i % kBatch == 0) {
      const size_t n = std::min(kBatch, sweep.points.size() - i);
      batch.assign(n, MergedPoint{});
      for_each_index(n, file_threads(), [&](size_t k) { batch[k] = load_point(dir, sweep.points[i + k]); });
    }
    const SweepFile::Point& point = sweep.points[i];
    MergedPoint m = std::move(batch[i % kBatch]);
    const std::string& status = m.summary.status;
    if (status == "ok") ++out.finished;
    if (status == "skipped") ++out.skipped;
    if (status == "missing") ++out.missing;
    if (status == "failed") ++(m.summary.user_error ? out.user_failures : out.other_failures);
    if (status == "failed") std::cerr << "vtasim: point " << point.id << " failed: " << m.summary.failure << "\n";
    if (!m.csv.empty()) {
      // Every point's table must have the same columns, or the merged table would lie.
      const std::string h = m.csv.substr(0, m.csv.find('\n'));
      if (header.empty()) {
        header = h;
        header_from = point.id;
        std::string head = "point_id";
        for (const auto& a : sweep.axes) head += "," + a;
        sweep_csv.write(head + "," + header + "\n");
      } else if (h != header) {
        throw UserError("cannot merge: the columns of point " + point.id + " differ from those of point " + header_from +
                        " (points run by different vtasim versions or engines); rerun them or merge them apart");
      }
      std::string prefix = point.id;
      for (const auto& v : point.values) prefix += "," + v;
      prefix += ",";
      chunk.clear();
      std::istringstream lines(m.csv);
      std::string line;
      std::getline(lines, line);
      while (std::getline(lines, line)) {
        if (line.empty()) continue;
        chunk += prefix;
        chunk += line;
        chunk += '\n';
      }
      sweep_csv.write(chunk);
    }
    m.summary.layer_rows = m.rows.size();
    results.points.push_back(std::move(m.summary));
  }
  sweep_csv.commit();
  write_file_atomic(dir + "/points.csv", points_csv(sweep.axes, results.points));
  for (size_t i : detail_points(results)) {
    MergedPoint m = load_point(dir, sweep.points[i]);
    results.rows[i] = std::move(m.rows);
    results.cfgs.emplace(i, std::move(m.cfg));
  }
  std::vector<std::string> figures;
  if (plots && out.finished == 0) std::cerr << "vtasim: no point finished, so there are no sweep figures\n";
  if (plots && out.finished > 0) {
    bool warned = false;
    for (const Figure& f : sweep_figures(results)) {
      const RenderOutcome r = render_figure(f, dir);
      if (!r.warning.empty() && !warned) {
        std::cerr << "vtasim: warning: " << r.warning << "\n";
        warned = true;
      }
      figures.push_back(f.name + (r.rendered ? ".png" : ".gp"));
    }
  }
  write_file_atomic(dir + "/summary.md", sweep_summary_markdown(results, sweep.doc.value("spec", std::string()), figures));
  return out;
}

}  // namespace vtasim
