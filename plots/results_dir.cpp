// Results directories (see results_dir.h).
#include "plots/results_dir.h"

#include <unistd.h>

#include <ctime>

#include <nlohmann/json.hpp>

#include "models/errors.h"
#include "models/file_io.h"
#include "models/json_input.h"
#include "models/simd/host_kernels.h"
#include "models/staged_dir.h"
#include "workloads/reference_onednn.h"

namespace vtasim {

namespace {

std::string iso_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string host_name() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

}  // namespace

std::string trace_path(const std::string& dir, const std::string& layer, uint32_t threads) {
  return dir + "/trace_" + layer + "_t" + std::to_string(threads) + ".json";
}

void write_results_dir(const std::string& dir, const RunRequest& req, const RunOutcome& outcome, const Provenance& who) {
  const double mhz = req.config.params().clock_mhz;
  for (const auto& t : outcome.traces) {
    write_file_atomic(trace_path(dir, t.layer, t.threads),
                      t.trace.to_json(mhz, t.layer + ", " + std::to_string(t.threads) + " thread(s)"));
  }
  write_file_atomic(dir + "/layers.csv", layers_to_csv(outcome.rows, mhz));
  nlohmann::ordered_json meta;
  meta["vtasim_version"] = who.vtasim_version;
  meta["git_commit"] = who.git_commit;
  meta["systemc_version"] = who.systemc_version;
  meta["date"] = iso_now();
  meta["host"] = host_name();
  meta["command_line"] = who.command_line;
  meta["engine"] = engine_kind_name(req.engine);
  // How the host computed (never what it computed: every level gives the same bits).
  const HwConfig& c = req.config;
  meta["host_gemm_kernel"] = simd::isa_name(simd::best_gemm_kernel(simd::host_isa(), c.batch(), c.block_in(), c.block_out()).isa);
  // A run that verifies nothing computes no reference (and does not load oneDNN to say which it would).
  meta["reference"] = engine_moves_data(req.engine) ? reference_choice().reason : "none: the timing engine verifies nothing";
  meta["workload"] = req.workload.name;
  meta["schedule"] = req.schedule.name();
  meta["seed"] = req.seed;
  meta["timeline_layer"] = req.trace_layer;
  meta["configuration_origin"] = req.config.origin();
  meta["configuration"] = nlohmann::json::parse(req.config.to_config_json());
  write_file_atomic(dir + "/run.json", dump_json(meta, 2) + "\n");
}

ResultsDir read_results_dir(const std::string& dir) {
  ResultsDir r;
  require_complete_dir(dir);
  const std::string csv_path = dir + "/layers.csv", meta_path = dir + "/run.json";
  r.rows = layers_from_csv(read_text_file(csv_path, "results table"), csv_path);
  if (r.rows.empty()) throw UserError(csv_path + " has no rows: the run that wrote it ran no layer; run it again");
  const nlohmann::ordered_json meta = parse_json_input(read_text_file(meta_path, "run description"), meta_path);
  try {
    r.config = HwConfig::from_json_text(dump_json(meta.at("configuration")), meta_path);
    r.info.workload = meta.value("workload", "resnet18_convs");
    r.info.schedule = meta.value("schedule", "auto");
    r.info.version = meta.value("vtasim_version", "");
    r.timeline_layer = meta.value("timeline_layer", "");
  } catch (const nlohmann::json::exception& e) {
    throw UserError(meta_path + " is not a vtasim run description: " + std::string(e.what()));
  }
  return r;
}

}  // namespace vtasim
