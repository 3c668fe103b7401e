// Figures and report of a results directory (see render.h).
#include "plots/render.h"

#include <algorithm>
#include <iostream>

#include "models/errors.h"
#include "models/file_io.h"
#include "plots/analysis.h"
#include "plots/calibration_report.h"
#include "plots/figure.h"
#include "plots/report.h"
#include "plots/results_dir.h"

namespace vtasim {

Which parse_which(const std::string& s) {
  if (s == "roofline") return Which::Roofline;
  if (s == "latency") return Which::Latency;
  if (s == "timeline") return Which::Timeline;
  if (s == "all") return Which::All;
  throw UserError("unknown figure '" + s + "'; use roofline, latency, timeline or all");
}

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
  if (which == Which::All && !rows.empty()) figs.push_back(energy_figure(rows, cfg, info));
  std::vector<MeasuredPoint> measured;
  for (const auto& r : rows)
    if (r.timed && r.measured_gops > 0) measured.push_back({r.layer, r.threads, r.measured_gops, r.gops, 0});
  if (!measured.empty() && which == Which::All) {
    figs.push_back(model_vs_measured_figure("model_vs_measured", "Model against measured: " + info.workload + " (" +
                                                                     std::to_string(measured.size()) + " layer runs)",
                                            measured));
  }
  if ((which == Which::Timeline || which == Which::All) && !timeline_layer.empty()) {
    std::vector<TimelineTrace> traces;
    for (uint32_t t : {1u, 2u}) {
      const std::string path = trace_path(dir, timeline_layer, t);
      if (file_exists(path)) traces.push_back(read_timeline_trace(path, t));
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

void render_results_dir(const std::string& dir, Which which) {
  const ResultsDir r = read_results_dir(dir);
  render_outputs(dir, r.rows, r.config, r.info, r.timeline_layer, which);
}

}  // namespace vtasim
