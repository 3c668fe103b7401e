// `vtasim sweep` and `vtasim merge` end to end: dry runs, failure isolation, SIGKILL and --resume,
// merge header checks, the GNU parallel back-end and the Slurm scripts.
#include <dirent.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "models/csv.h"
#include "run_command.h"

using vtasim::CsvTable;
using vtasim::test::run_command;
using vtasim::test::run_vtasim;
using vtasim::test::test_dir;
using vtasim::test::slurp;

namespace {

std::string write_spec(const std::string& name, const std::string& json) {
  const std::string path = test_dir() + "/sweep_" + name + ".json";
  std::ofstream(path) << json;
  return path;
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      const std::string n = e->d_name;
      if (n != "." && n != "..") out.push_back(n);
    }
    ::closedir(d);
  }
  return out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l))
    if (!l.empty()) out.push_back(l);
  return out;
}

// A few fast points: two small layers, timing only.
const char* kSmallSpec = R"({"axes": {"dram.latency": [8, 16, 32], "LOG_BLOCK": [4, 5]},
  "layers": ["C8", "C11"], "threads": [1, 2], "engine": "timing"})";

}  // namespace

TEST_CASE("sweep --dry-run lists validated points and runs nothing", "[cli][sweep]") {
  const std::string spec = write_spec("dry", kSmallSpec);
  const std::string out = test_dir() + "/sweep_dry_out";
  run_command("rm -rf " + out);
  const auto r = run_vtasim("sweep " + spec + " --out " + out + " --dry-run");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(lines(r.out).size() == 1 + 6 + 1);
  CHECK(r.out.find("6 points (product of 2 axes)") != std::string::npos);
  CHECK(entries(out).empty());
  const auto bad = run_vtasim("sweep " + write_spec("bad", R"({"axes": {"LOG_BLOCK": [4, 12]}})") + " --out " + out + " --dry-run");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("LOG_BLOCK=12") != std::string::npos);
  const auto layer = run_vtasim("sweep " + write_spec("badlayer", R"({"axes": {"LOG_BLOCK": [4]}, "layers": ["C99"]})") +
                                " --out " + out + " --dry-run");
  CHECK(layer.exit_code == 2);
  CHECK(layer.err.find("C99") != std::string::npos);
}

TEST_CASE("a local sweep runs every point, isolates a failing one and merges", "[cli][sweep]") {
  // A 64-entry weight buffer cannot hold C7's 2018 schedule: that point fails, the other finishes.
  const std::string spec = write_spec("fail", R"({"axes": {"LOG_WGT_BUFF_SIZE": [14, 18]}, "layers": ["C7"],
    "threads": [1], "schedule": "vta2018", "engine": "timing"})");
  const std::string out = test_dir() + "/sweep_fail_out";
  run_command("rm -rf " + out);
  const auto r = run_vtasim("sweep " + spec + " --out " + out + " --jobs 2 --no-plots");
  INFO(r.err);
  CHECK(r.exit_code == 2);  // a point failed on a user's choice (a schedule that does not fit)
  CHECK(r.err.find("failed: the vta2018 schedule") != std::string::npos);
  CHECK(entries(out + "/points").size() == 1);
  const auto failed = entries(out + "/failed");
  REQUIRE(failed.size() == 1);
  const std::string record = slurp(out + "/failed/" + failed[0]);
  CHECK(record.find("exit status 2") != std::string::npos);
  CHECK(record.find("does not fit") != std::string::npos);
  const auto pts = lines(slurp(out + "/points.csv"));
  REQUIRE(pts.size() == 3);
  CHECK(pts[0].rfind("point_id,LOG_WGT_BUFF_SIZE,status", 0) == 0);
  CHECK(slurp(out + "/points.csv").find(",14,failed,the vta2018 schedule") != std::string::npos);
  const std::string summary = slurp(out + "/summary.md");
  CHECK(summary.find("## Failed (1)") != std::string::npos);
  CHECK(summary.find("does not fit") != std::string::npos);
  CHECK(slurp(out + "/points.csv").find(",18,ok,") != std::string::npos);
  const auto rows = lines(slurp(out + "/sweep.csv"));
  REQUIRE(rows.size() == 2);  // header + C7 x 1 thread of the finished point
  CHECK(rows[0].rfind("point_id,LOG_WGT_BUFF_SIZE,layer,threads", 0) == 0);
  // Running again without --resume refuses to mix sweeps.
  CHECK(run_vtasim("sweep " + spec + " --out " + out).exit_code == 2);
}

// A worker runs the points it is given one after another, each in a child of its own: the failing one
// is recorded, the one after it still finishes, a finished one is skipped, an unknown id is refused
// before anything runs.
TEST_CASE("a sweep worker runs several points and a failing one fails alone", "[cli][sweep]") {
  const std::string spec = write_spec("worker", R"({"axes": {"LOG_WGT_BUFF_SIZE": [14, 18, 17]}, "layers": ["C7"],
    "threads": [1], "schedule": "vta2018", "engine": "timing"})");
  const std::string out = test_dir() + "/sweep_worker_out";
  run_command("rm -rf " + out);
  REQUIRE(run_vtasim("sweep " + spec + " --out " + out + " --dry-run").exit_code == 0);
  REQUIRE(run_vtasim("sweep " + spec + " --out " + out + " --jobs 1 --no-plots").exit_code == 2);
  const auto ok = entries(out + "/points");
  const auto bad = entries(out + "/failed");
  REQUIRE(ok.size() == 2);
  REQUIRE(bad.size() == 1);
  const std::string failing = bad[0].substr(0, bad[0].size() - 5);  // <id>.json
  run_command("rm -rf " + out + "/points/" + ok[1] + " " + out + "/failed/*");
  CHECK(run_vtasim("sweep-point " + out + " nosuchpoint " + ok[1]).exit_code == 2);
  // An id that leads elsewhere, here to a real request file, is no point (its results would land outside points/).
  CHECK(run_vtasim("sweep-point " + out + " ../requests/" + ok[1]).exit_code == 2);
  CHECK(entries(out + "/points").size() == 1);
  const auto r = run_vtasim("sweep-point " + out + " " + failing + " " + ok[1] + " " + ok[0]);
  CHECK(r.exit_code == 1);
  CHECK(entries(out + "/points").size() == 2);
  CHECK(entries(out + "/failed").size() == 1);
  CHECK(entries(out + "/tmp").empty());
}

// A worker's points run in a point server; when the server dies in the middle of a point (here
// killed from outside), that point is recorded as failed with the signal and the worker's next
// points run in a fresh server.
TEST_CASE("a point server that dies fails only the point it was running", "[cli][sweep]") {
  const std::string spec = write_spec("server", R"({"axes": {"dram.latency": [8, 9, 10]}, "layers": ["C1", "C2"],
    "threads": [1, 2], "engine": "timed"})");
  const std::string out = test_dir() + "/sweep_server_out";
  run_command("rm -rf " + out);
  REQUIRE(run_vtasim("sweep " + spec + " --out " + out + " --backend slurm").exit_code == 0);  // prepares only
  const auto ids = lines(slurp(out + "/points.tsv"));
  REQUIRE(ids.size() == 4);  // header + 3 points
  std::string args;
  for (size_t i = 1; i < ids.size(); ++i) args += " " + ids[i].substr(0, ids[i].find('\t'));
  // The worker starts its server at once; the kill lands as soon as it exists (polled every 10 ms),
  // during the first point (about 60 ms of work, more in a sanitizer build).
  const std::string bin = VTASIM_BIN;
  run_command("(" + bin + " sweep-point " + out + args + " > /dev/null 2>&1 & w=$!; "
              "for i in $(seq 500); do pkill -KILL -P $w && break; sleep 0.01; done; wait $w; echo $? > " + out +
              "/worker_status)");
  CHECK(slurp(out + "/worker_status") == "1\n");
  const auto failed = entries(out + "/failed");
  REQUIRE(failed.size() == 1);
  CHECK(slurp(out + "/failed/" + failed[0]).find("killed by signal 9") != std::string::npos);
  CHECK(entries(out + "/points").size() == 2);
  CHECK(entries(out + "/tmp").empty());
}

TEST_CASE("a sweep killed with SIGKILL and resumed ends with every point exactly once", "[cli][sweep]") {
  // Ten points (two large layers, timed with data), two at a time, killed as soon as the first point
  // is in: the kill lands in the middle however fast a point is.
  const std::string spec = write_spec("kill", R"({"axes": {"dram.latency": [8, 10, 12, 14, 16, 18, 20, 22, 24, 26]},
    "layers": ["C1", "C2"], "threads": [1, 2], "engine": "timed"})");
  const std::string out = test_dir() + "/sweep_kill_out";
  run_command("rm -rf " + out);
  const std::string bin = VTASIM_BIN;
  run_command("(" + bin + " sweep " + spec + " --out " + out + " --jobs 2 --no-plots > /dev/null 2>&1 & pid=$!; "
              "for i in $(seq 2000); do [ -n \"$(ls " + out + "/points 2>/dev/null)\" ] && break; sleep 0.005; done; "
              "kill -9 $pid; wait $pid) 2>/dev/null");
  const size_t before = entries(out + "/points").size();
  INFO("finished before the kill: " << before);
  CHECK(before >= 1);
  CHECK(before < 10);
  const auto r = run_vtasim("sweep " + spec + " --out " + out + " --jobs 2 --resume --no-plots");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto pts = entries(out + "/points");
  CHECK(pts.size() == 10);
  CHECK(entries(out + "/tmp").empty());
  const auto rows = lines(slurp(out + "/sweep.csv"));
  REQUIRE(rows.size() == 1 + 10 * 2 * 2);
  std::multiset<std::string> keys;
  for (size_t i = 1; i < rows.size(); ++i) {
    std::istringstream f(rows[i]);
    std::string id, lat, layer, threads;
    std::getline(f, id, ',');
    std::getline(f, lat, ',');
    std::getline(f, layer, ',');
    std::getline(f, threads, ',');
    keys.insert(id + "/" + layer + "/" + threads);
  }
  for (const auto& k : keys) CHECK(keys.count(k) == 1);
  // Resuming a finished sweep runs nothing.
  const auto again = run_vtasim("sweep " + spec + " --out " + out + " --resume --no-plots");
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("10 of 10 points already done") != std::string::npos);
}

TEST_CASE("merge checks that the points' headers match", "[cli][sweep]") {
  const std::string spec = write_spec("merge", R"({"axes": {"dram.latency": [8, 16]}, "layers": ["C11"],
    "threads": [1], "engine": "timing"})");
  const std::string out = test_dir() + "/sweep_merge_out";
  run_command("rm -rf " + out);
  REQUIRE(run_vtasim("sweep " + spec + " --out " + out + " --no-plots").exit_code == 0);
  CHECK(run_vtasim("merge " + out + " --no-plots").exit_code == 0);
  const auto pts = entries(out + "/points");
  REQUIRE(pts.size() == 2);
  const std::string victim = out + "/points/" + pts[1] + "/layers.csv";
  run_command("sed -i '1s/^layer,/layer_name,/' " + victim);
  const auto r = run_vtasim("merge " + out + " --no-plots");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("header") != std::string::npos);
  CHECK(r.err.find(pts[1]) != std::string::npos);
}

TEST_CASE("the GNU parallel back-end runs the same points", "[cli][sweep][parallel]") {
  if (run_command("command -v parallel").exit_code != 0) {
    WARN("GNU parallel is not installed (apt-get install parallel): back-end not checked");
    return;
  }
  const std::string spec = write_spec("parallel", R"({"axes": {"dram.latency": [8, 16, 32]}, "layers": ["C11"],
    "threads": [1, 2], "engine": "timing"})");
  const std::string out = test_dir() + "/sweep_parallel_out";
  run_command("rm -rf " + out);
  const auto r = run_vtasim("sweep " + spec + " --out " + out + " --backend parallel --jobs 2");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(entries(out + "/points").size() == 3);
  CHECK(lines(slurp(out + "/parallel/joblog.tsv")).size() == 1 + 3);
  CHECK(lines(slurp(out + "/sweep.csv")).size() == 1 + 3 * 2);
  CHECK_FALSE(slurp(out + "/sweep_pareto.gp").empty());
}

TEST_CASE("the Slurm back-end writes array, merge and submit scripts", "[cli][sweep][slurm]") {
  const std::string spec = write_spec("slurm", R"({"axes": {"dram.latency": [8, 16]}, "layers": ["C11"],
    "threads": [1], "engine": "timing"})");
  const std::string out = test_dir() + "/sweep_slurm_out";
  run_command("rm -rf " + out);
  const auto r = run_vtasim("sweep " + spec + " --out " + out + " --backend slurm");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string array = slurp(out + "/slurm/array.sbatch");
  CHECK(array.find("#SBATCH --array=0-1") != std::string::npos);
  CHECK(array.find("sweep-point . \"$id\"") != std::string::npos);
  CHECK(slurp(out + "/slurm/merge.sbatch").find("merge .") != std::string::npos);
  CHECK(slurp(out + "/slurm/submit.sh").find("--dependency=afterany:") != std::string::npos);
  CHECK(lines(slurp(out + "/slurm/ids.txt")).size() == 2);
  // What an array task runs works from inside the directory, as on a cluster.
  const auto ids = lines(slurp(out + "/slurm/ids.txt"));
  const auto task = run_command("cd " + out + " && " + VTASIM_BIN + " sweep-point . " + ids[0]);
  CHECK(task.exit_code == 0);
  CHECK(entries(out + "/points").size() == 1);
}

TEST_CASE("a sweep where every point fails still merges and reports the failures", "[cli][sweep]") {
  const std::string spec = write_spec("allfail", R"({"axes": {"LOG_WGT_BUFF_SIZE": [13, 14]}, "layers": ["C7"],
    "threads": [1], "schedule": "vta2018", "engine": "timing"})");
  const std::string out = test_dir() + "/sweep_allfail_out";
  run_command("rm -rf " + out);
  const auto r = run_vtasim("sweep " + spec + " --out " + out);
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no point finished") != std::string::npos);
  CHECK(entries(out + "/failed").size() == 2);
  CHECK(lines(slurp(out + "/points.csv")).size() == 3);
}

TEST_CASE("the fit constraint keeps a design that does not fit out of best, and invalid points can be skipped",
          "[cli][sweep]") {
  // 32x32 (LOG_BLOCK 5) needs 512 DSPs, more than the xc7z020's 220, and is faster; 8x8 with default
  // buffers is rejected (micro-op fields); 16x16 fits.
  const std::string spec = write_spec("fit", R"({"axes": {"LOG_BLOCK": [3, 4, 5]}, "layers": ["C11"], "threads": [1],
    "engine": "timing", "constraints": {"fits": true}})");
  const auto refused = run_vtasim("sweep " + spec + " --dry-run");
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("skip_invalid") != std::string::npos);
  CHECK(refused.err.find("a configuration that passes") != std::string::npos);
  const std::string out = test_dir() + "/sweep_fit_out";
  run_command("rm -rf " + out);
  const auto r = run_vtasim("sweep " + spec + " --out " + out + " --skip-invalid --no-plots");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string md = slurp(out + "/summary.md");
  INFO(md);
  // The best design that fits is 16x16, though 32x32 is faster.
  const auto best = md.find("| network latency | ");
  REQUIRE(best != std::string::npos);
  CHECK(md.substr(best, md.find('\n', best) - best).find("(16x16)") != std::string::npos);
  CHECK(md.find("does not fit: it needs 512 DSP") != std::string::npos);
  CHECK(md.find("## Skipped: the model rejects the configuration (1)") != std::string::npos);
  CHECK(md.find("micro-op index fields") != std::string::npos);
  CHECK(slurp(out + "/points.csv").find(",3,skipped,") != std::string::npos);
}

TEST_CASE("depth and batch axes: a product over BLOCK at constant depth, and batch per point", "[cli][sweep]") {
  const std::string spec = write_spec("depth", R"({"axes": {"LOG_BLOCK": [3, 4], "batch": [1, 2]},
    "base": {"set": {"inp_depth": 2048, "wgt_depth": 1024, "acc_depth": 2048}},
    "layers": ["C11"], "threads": [1], "engine": "timing"})");
  const std::string out = test_dir() + "/sweep_depth_out";
  run_command("rm -rf " + out);
  const auto r = run_vtasim("sweep " + spec + " --out " + out + " --no-plots");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto rows = lines(slurp(out + "/sweep.csv"));
  REQUIRE(rows.size() == 5);
  // Batch 2 computes twice the images (the "images" column), at either block size.
  size_t batch2 = 0;
  for (const auto& row : rows) batch2 += row.find(",2,C11,1,") != std::string::npos;
  CHECK(batch2 == 2);
}

TEST_CASE("a sweep point's energy columns agree with its layers", "[cli][sweep][energy]") {
  const std::string spec = write_spec("energy", R"({"axes": {"dram.latency": [16, 64]}, "layers": ["C11", "C12"],
    "threads": [1], "engine": "timing"})");
  const std::string out = test_dir() + "/sweep_energy_out";
  run_command("rm -rf " + out);
  const auto r = run_vtasim("sweep " + spec + " --out " + out + " --no-plots");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const CsvTable points = CsvTable::parse(slurp(out + "/points.csv"), "points.csv");
  const CsvTable layers = CsvTable::parse(slurp(out + "/sweep.csv"), "sweep.csv");
  const int id = layers.column("point_id"), count = layers.column("count"), images = layers.column("images"),
            energy = layers.column("energy_pj");
  REQUIRE(energy >= 0);
  for (const auto& p : points.rows()) {
    double expected = 0;  // sum of count x energy / images, in uJ
    for (const auto& l : layers.rows()) {
      if (l.fields[size_t(id)] != p.fields[0]) continue;
      double components = 0;
      for (const char* c : {"mac", "alu", "uop", "inp", "wgt", "acc", "out", "dram", "static"}) {
        components += std::stod(l.fields[size_t(layers.column(std::string("energy_") + c + "_pj"))]);
      }
      const double total = std::stod(l.fields[size_t(energy)]);
      CHECK(total == Approx(components));
      expected += std::stod(l.fields[size_t(count)]) * total * 1e-6 / std::stod(l.fields[size_t(images)]);
    }
    CHECK(expected > 0);
    CHECK(std::stod(p.fields[size_t(points.column("uj_per_image_t1"))]) == Approx(expected));
  }
}

TEST_CASE("workload is a sweep axis", "[cli][sweep][operators]") {
  const std::string dir = test_dir() + "/sweep_workloads";
  run_command("mkdir -p " + dir);
  std::ofstream(dir + "/net_a.csv") << "name,op,H,W,IC,OC,KH,KW,pad,stride,count\nc,conv,8,8,16,32,3,3,1,1,1\np,maxpool,8,8,32,32,2,2,0,2,1\n";
  std::ofstream(dir + "/net_b.csv") << "name,op,H,W,IC,OC,KH,KW,pad,stride,count\nc,conv,8,8,16,32,1,1,0,1,1\nr,add,8,8,32,32,1,1,0,1,1\n";
  std::ofstream(dir + "/spec.json") << R"({"axes": {"workload": ["net_a.csv", "net_b.csv"]}, "threads": [1], "engine": "timing"})";
  const auto r = run_vtasim("sweep " + dir + "/spec.json --out " + dir + "/out --no-plots");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string points = slurp(dir + "/out/points.csv");
  CHECK(points.find(",net_a.csv,ok,") != std::string::npos);
  CHECK(points.find(",net_b.csv,ok,") != std::string::npos);
  const std::string rows = slurp(dir + "/out/sweep.csv");
  CHECK(rows.find(",maxpool") != std::string::npos);
  CHECK(rows.find(",add") != std::string::npos);
}
