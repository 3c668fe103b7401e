// Figures and report of a results directory; `vtasim plot`.
#include "render.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis.h"
#include "cli.h"
#include "errors.h"
#include "figure.h"
#include "report.h"

namespace po = boost::program_options;

namespace vtasim::cli {

Which parse_which(const std::string& s) {
  if (s == "roofline") return Which::Roofline;
  if (s == "latency") return Which::Latency;
  if (s == "timeline") return Which::Timeline;
  if (s == "all") return Which::All;
  throw UserError("unknown figure '" + s + "'; use roofline, latency, timeline or all");
}

namespace {

bool exists(const std::string& path) { return std::ifstream(path).good(); }

}  // namespace

void render_outputs(const std::string& dir, const std::vector<LayerResult>& rows, const HwConfig& cfg,
                    const RunInfo& info, const std::string& timeline_layer, Which which) {
  const auto problems = consistency_problems(rows, cfg);
  if (!problems.empty()) {
    std::string msg = "inconsistent results:";
    for (const auto& p : problems) msg += "\n  " + p;
    throw std::runtime_error(msg);
  }
  std::vector<Figure> figs;
  const bool timed = std::any_of(rows.begin(), rows.end(), [](const LayerResult& r) { return r.timed; });
  if (!timed && which != Which::All) {
    throw UserError("the results in " + dir + " have no cycles (functional engine): nothing to draw");
  }
  if (timed && (which == Which::Roofline || which == Which::All)) figs.push_back(roofline_figure(rows, cfg, info));
  if (timed && (which == Which::Latency || which == Which::All)) figs.push_back(latency_figure(rows, cfg, info));
  if ((which == Which::Timeline || which == Which::All) && !timeline_layer.empty()) {
    std::vector<TimelineTrace> traces;
    for (uint32_t t : {1u, 2u}) {
      const std::string path = dir + "/trace_" + timeline_layer + "_t" + std::to_string(t) + ".json";
      if (exists(path)) traces.push_back(read_timeline_trace(path, t));
    }
    if (traces.empty()) {
      if (which == Which::Timeline) {
        throw UserError("no trace of layer " + timeline_layer + " in " + dir + " (run with --trace-layer " + timeline_layer + ")");
      }
    } else {
      figs.push_back(timeline_figure(timeline_layer, traces, cfg, info));
    }
  } else if (which == Which::Timeline) {
    throw UserError("the results in " + dir + " have no timeline layer (run with --trace-layer NAME)");
  }
  std::vector<std::string> images;
  bool warned = false;
  for (const auto& f : figs) {
    const RenderOutcome r = render_figure(f, dir);
    if (!r.warning.empty() && !warned) {
      std::cerr << "vtasim: warning: " << r.warning << "\n";
      warned = true;
    }
    images.push_back(f.name + (r.rendered ? ".png" : ".gp"));
  }
  if (which == Which::All) {
    write_file_atomic(dir + "/summary.md", summary_markdown(rows, cfg, info, images));
  }
}

int cmd_plot(int argc, char** argv) {
  std::string which_text = "all", dir;
  po::options_description desc("vtasim plot: redraw the figures of a results directory without simulating");
  desc.add_options()
      ("which", po::value<std::string>(&which_text), "roofline, latency, timeline or all (default)")
      ("in,i", po::value<std::string>(&dir)->required(), "results directory written by vtasim run");
  po::positional_options_description pos;
  pos.add("which", 1);
  if (!parse("plot", "roofline|latency|timeline|all --in DIR", argc, argv, desc, &pos)) return kOk;
  const Which which = parse_which(which_text);
  const auto rows = layers_from_csv(read_text_file(dir + "/layers.csv", "results table"), dir + "/layers.csv");
  nlohmann::json meta;
  try {
    meta = nlohmann::json::parse(read_text_file(dir + "/run.json", "run description"));
  } catch (const nlohmann::json::exception& e) {
    throw UserError(dir + "/run.json is not valid JSON: " + std::string(e.what()));
  }
  const HwConfig cfg = HwConfig::from_json_text(meta.at("configuration").dump(), dir + "/run.json");
  RunInfo info;
  info.workload = meta.value("workload", "resnet18");
  info.schedule = meta.value("schedule", "auto");
  info.version = meta.value("vtasim_version", "");
  render_outputs(dir, rows, cfg, info, meta.value("timeline_layer", ""), which);
  std::cout << "figures written to " << dir << "\n";
  return kOk;
}

}  // namespace vtasim::cli
