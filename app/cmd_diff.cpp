// `vtasim diff A B`: two runs (layer by layer) or two sweeps (point by point) side by side.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>

#include "app/cli.h"
#include "models/csv.h"
#include "models/errors.h"
#include "models/file_io.h"
#include "models/json_input.h"
#include "models/staged_dir.h"
#include "plots/diff.h"
#include "sweeps/sweep_spec.h"
#include "plots/render.h"

namespace po = boost::program_options;

namespace vtasim::cli {

namespace {

bool is_sweep(const std::string& dir) { return file_exists(dir + "/sweep.json"); }

// Per point (by its swept values) the network latency with 1 and 2 threads, from points.csv.
std::map<std::string, std::pair<std::string, std::string>> sweep_latencies(const std::string& dir, std::string& axes) {
  const std::string path = dir + "/points.csv";
  const CsvTable t = CsvTable::parse(read_text_file(path, "sweep points table"), path);
  const int status = t.column("status"), l1 = t.column("latency_ms_t1"), l2 = t.column("latency_ms_t2");
  if (status < 1 || l1 < 0 || l2 < 0) throw UserError(path + " is not a vtasim points.csv (run vtasim merge " + dir + ")");
  axes.clear();
  for (int c = 1; c < status; ++c) axes += (axes.empty() ? "" : ",") + t.header()[size_t(c)];
  std::map<std::string, std::pair<std::string, std::string>> out;
  for (const auto& row : t.rows()) {
    std::string key;
    for (int c = 1; c < status; ++c) key += (key.empty() ? "" : ",") + row.fields[size_t(c)];
    out[key] = {row.fields[size_t(l1)], row.fields[size_t(l2)]};
  }
  return out;
}

int diff_sweeps(const std::string& a, const std::string& b) {
  for (const char* key : {"workload", "layers", "threads"}) {
    const auto ja = parse_json_input(read_text_file(a + "/sweep.json", "sweep description", kMaxSweepFileBytes), a + "/sweep.json");
    const auto jb = parse_json_input(read_text_file(b + "/sweep.json", "sweep description", kMaxSweepFileBytes), b + "/sweep.json");
    if (ja.value(key, nlohmann::ordered_json()) != jb.value(key, nlohmann::ordered_json())) {
      throw UserError(std::string("the sweeps run different ") + key + ": " + dump_json(ja.value(key, nlohmann::ordered_json())) +
                      " in " + a + ", " + dump_json(jb.value(key, nlohmann::ordered_json())) + " in " + b);
    }
  }
  std::string axes_a, axes_b;
  const auto pa = sweep_latencies(a, axes_a), pb = sweep_latencies(b, axes_b);
  if (axes_a != axes_b) throw UserError("the sweeps have different axes: " + axes_a + " in " + a + ", " + axes_b + " in " + b);
  std::cout << std::left << std::setw(28) << axes_a << std::right << std::setw(12) << "A 1t (ms)" << std::setw(12)
            << "B 1t (ms)" << std::setw(12) << "A 2t (ms)" << std::setw(12) << "B 2t (ms)" << "\n";
  size_t common = 0;
  for (const auto& [key, la] : pa) {
    const auto it = pb.find(key);
    if (it == pb.end()) continue;
    ++common;
    std::cout << std::left << std::setw(28) << key << std::right << std::setw(12) << la.first << std::setw(12)
              << it->second.first << std::setw(12) << la.second << std::setw(12) << it->second.second << "\n";
  }
  if (common == 0) throw UserError("the sweeps share no design point (no common axis values)");
  return kOk;
}

}  // namespace

int cmd_diff(int argc, char** argv) {
  std::string a, b, out;
  po::options_description desc("vtasim diff: compare two results directories (runs or sweeps)");
  desc.add_options()
      ("a", po::value<std::string>(&a)->required(), "the baseline results directory")
      ("b", po::value<std::string>(&b)->required(), "the results directory compared with it")
      ("out,o", po::value<std::string>(&out), "runs: also write diff.md and the speedup figure here");
  po::positional_options_description pos;
  pos.add("a", 1).add("b", 1);
  if (!parse("diff", "A B [--out DIR]", argc, argv, desc, &pos)) return kOk;
  if (is_sweep(a) != is_sweep(b)) throw UserError("cannot compare a sweep with a run: " + a + " and " + b);
  if (is_sweep(a)) return diff_sweeps(a, b);
  const ResultsDir ra = read_results_dir(a), rb = read_results_dir(b);
  const RunDiff d = diff_runs(ra, rb, a, b);
  std::cout << "speedup = time of A / time of B (above 1: B is faster)\n" << run_diff_text(d);
  if (!out.empty()) {
    StagedDir staged(out, "vtasim diff");
    write_file_atomic(staged.path() + "/diff.md", run_diff_markdown(d, a, b));
    const RenderOutcome r = render_figure(run_diff_figure(d, a, b), staged.path());
    if (!r.warning.empty()) std::cerr << "vtasim: warning: " << r.warning << "\n";
    staged.commit();
    std::cout << "written: " << out << "/diff.md and diff_speedup figure\n";
  }
  return kOk;
}

}  // namespace vtasim::cli
