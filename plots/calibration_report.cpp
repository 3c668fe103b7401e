// Calibration outputs (see calibration_report.h).
#include "plots/calibration_report.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "models/parse.h"

namespace vtasim {

namespace {

std::string pct(double fraction) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(1) << 100.0 * fraction << "%";
  return os.str();
}

std::string num(double v) { return csv_number(v); }

}  // namespace

std::string calibration_csv(const CalibrationOutcome& out, const std::vector<Measurement>& m) {
  std::ostringstream os;
  os << "layer,threads,schedule,metric,measured,measured_gops,model_before_gops,model_after_gops,rel_err_before,"
        "rel_err_after,loo_gops,loo_rel_err\n";
  const auto eb = relative_errors(out.model_before, out.measured), ea = relative_errors(out.model_after, out.measured),
             el = relative_errors(out.loo_prediction, out.measured);
  for (size_t i = 0; i < m.size(); ++i) {
    os << m[i].layer << "," << m[i].threads << "," << m[i].schedule.name() << "," << metric_name(m[i].metric) << ","
       << num(m[i].value) << "," << num(out.measured[i]) << "," << num(out.model_before[i]) << ","
       << num(out.model_after[i]) << "," << num(eb[i]) << "," << num(ea[i]) << "," << num(out.loo_prediction[i]) << ","
       << num(el[i]) << "\n";
  }
  return os.str();
}

std::string calibration_markdown(const CalibrationOutcome& out, const std::vector<Measurement>& m,
                                 const std::string& measurements_file, const std::vector<std::string>& figures) {
  std::ostringstream md;
  md << "# vtasim calibration\n\n"
     << "Measurements: `" << measurements_file << "` (" << m.size() << " rows). Base configuration: `"
     << out.before.origin() << "`. Objective: the mean relative error of throughput (GOPS), each layer simulated on "
        "the timing-only engine with its measured schedule.\n\n"
     << "## Fitted parameters\n\n| parameter | unit | before | after | values within 0.5 points of the best | note |\n"
        "|---|---|---|---|---|---|\n";
  for (const auto& p : out.parameters) {
    md << "| " << p.name << " | " << p.unit << " | " << p.before << " | " << p.after << " | "
       << (p.identifiable ? p.range_within : "-") << " | "
       << (p.identifiable ? "" : "not identifiable: the error moves " + pct(p.spread) + " over its whole range; kept") << " |\n";
  }
  md << "\n## Errors\n\n| | mean | max |\n|---|---|---|\n"
     << "| before | " << pct(out.mean_before) << " | " << pct(out.max_before) << " |\n"
     << "| after | " << pct(out.mean_after) << " | " << pct(out.max_after) << " |\n"
     << "| leave-one-out (each row predicted by a fit without it) | " << pct(out.loo_mean) << " | " << pct(out.loo_max)
     << " |\n\n"
     << "A leave-one-out error far above the fitted error means the parameters follow the individual rows rather "
        "than a mechanism the rows share (over-fitting).\n\n"
     << "## Per measurement\n\n| layer | threads | schedule | measured GOPS | before | after | error after | "
        "leave-one-out |\n|---|---|---|---|---|---|---|---|\n";
  const auto ea = relative_errors(out.model_after, out.measured), el = relative_errors(out.loo_prediction, out.measured);
  for (size_t i = 0; i < m.size(); ++i) {
    md << "| " << m[i].layer << " | " << m[i].threads << " | " << m[i].schedule.name() << " | " << std::fixed
       << std::setprecision(2) << out.measured[i] << " | " << out.model_before[i] << " | " << out.model_after[i] << " | "
       << pct(ea[i]) << " | " << pct(el[i]) << " |\n";
  }
  md << "\n" << out.evaluations << " evaluations (" << out.simulations << " layer simulations); the fit took "
     << std::setprecision(1) << out.fit_seconds << " s, everything " << out.total_seconds << " s.\n";
  if (!figures.empty()) {
    md << "\n## Figure\n\n";
    for (const auto& f : figures) md << "![" << f << "](" << f << ")\n\n";
  }
  return md.str();
}

std::vector<MeasuredPoint> measured_points(const CalibrationOutcome& out, const std::vector<Measurement>& m) {
  std::vector<MeasuredPoint> p;
  for (size_t i = 0; i < m.size(); ++i) p.push_back({m[i].layer, m[i].threads, out.measured[i], out.model_after[i], out.model_before[i]});
  return p;
}

Figure model_vs_measured_figure(const std::string& name, const std::string& title, const std::vector<MeasuredPoint>& pts) {
  double lo = 1e300, hi = 0;
  bool before = false;
  for (const auto& p : pts)
    for (double x : {p.measured, p.model, p.before}) {
      if (!(x > 0)) continue;
      lo = std::min(lo, x);
      hi = std::max(hi, x);
      before |= p.before > 0;
    }
  if (hi <= 0) lo = 1, hi = 10;
  std::ostringstream data, body;
  for (uint32_t t : {1u, 2u}) {
    data << "# " << t << (t == 1 ? " thread" : " threads") << ": measured GOPS, model GOPS, layer\n";
    int n = 0;
    for (const auto& p : pts) {
      if (p.threads != t) continue;
      data << gp_num(p.measured) << " " << gp_num(p.model) << " \"" << p.layer << "\"\n";
      ++n;
    }
    if (!n) data << "1e-30 1e-30 \"\"\n";  // outside the frame (gnuplot 5.4 crashes on NaN labels)
    data << "\n\n";
  }
  data << "# an earlier model: measured GOPS, model GOPS\n";
  for (const auto& p : pts)
    if (p.before > 0) data << gp_num(p.measured) << " " << gp_num(p.before) << "\n";
  if (!before) data << "NaN NaN\n";
  // A tight square frame: the points and their +/-10% band, same range on both axes.
  const double xmin = lo / 1.3, xmax = hi * 1.3;
  std::string ticks;  // 1, 2, 3, 5 times powers of ten inside the frame: a narrow frame still reads
  for (double d = std::pow(10.0, std::floor(std::log10(xmin))); d <= xmax; d *= 10)
    for (double m : {1.0, 2.0, 3.0, 5.0})
      if (m * d >= xmin && m * d <= xmax) ticks += (ticks.empty() ? "" : ", ") + gp_num(m * d);
  body << "  set title " << gp_quote(title) << " font \",11\"\n"
       << "  set logscale xy 10\n"
       << "  set xrange [" << gp_num(xmin) << ":" << gp_num(xmax) << "]\n"
       << "  set yrange [" << gp_num(xmin) << ":" << gp_num(xmax) << "]\n"
       << "  set size ratio 1\n"
       << "  set xtics (" << ticks << ")\n  set ytics (" << ticks << ")\n"
       << "  set xlabel \"measured throughput (GOPS)\"\n"
       << "  set ylabel \"model throughput (GOPS)\"\n"
       << "  set grid xtics ytics mxtics mytics lc rgb \"#e0e0e0\"\n"
       << "  set key top left box opaque\n"
       << "  set style fill transparent solid 0.15 noborder\n"
       << "  plot '+' using 1:($1 * 0.9):($1 * 1.1) with filledcurves lc rgb \"#2ca02c\" title \"+/-10%\", \\\n"
       << "       x with lines lw 1.5 lc rgb \"black\" title \"model = measured\", \\\n"
       << (before ? "       data index 2 using 1:2 with points pt 1 ps 1.2 lc rgb \"gray60\" title \"before calibration\", \\\n"
                  : "")
       << "       data index 0 using 1:2 with points pt 7 ps 1.6 lc rgb \"#1f77b4\" title \"1 thread\", \\\n"
       << "       data index 1 using 1:2 with points pt 9 ps 1.8 lc rgb \"#d62728\" title \"2 threads\", \\\n"
       << "       data index 0 using 1:2:3 with labels left offset 0.8,-0.4 font \",9\" notitle, \\\n"
       << "       data index 1 using 1:2:3 with labels left offset 0.8,0.5 font \",9\" notitle\n";
  return Figure(name, body.str(), data.str(), 900, 900);
}

}  // namespace vtasim
