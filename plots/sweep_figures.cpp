// Sweep table and figures (see sweep_figures.h).
#include "plots/sweep_figures.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "models/parse.h"

namespace vtasim {

double SweepPointSummary::best_latency_ms() const {
  double best = 0;
  for (int k = 0; k < 2; ++k)
    if (has[k] && (best == 0 || latency_ms[k] < best)) best = latency_ms[k];
  return best;
}

double SweepPointSummary::best_gops() const { return std::max(has[0] ? gops[0] : 0.0, has[1] ? gops[1] : 0.0); }

std::string points_csv(const std::vector<std::string>& axes, const std::vector<SweepPointSummary>& points) {
  std::ostringstream os;
  os << "point_id";
  for (const auto& a : axes) os << "," << a;
  os << ",status,failure";
  for (const char* t : {"t1", "t2"}) os << ",cycles_" << t << ",latency_ms_" << t << ",gops_" << t << ",dram_mb_" << t;
  os << ",peak_gops,part,dsp,bram36,luts,ffs,fits,limiting\n";
  for (const auto& p : points) {
    os << p.id;
    for (const auto& v : p.values) os << "," << v;
    os << "," << p.status << "," << p.failure;
    for (int k = 0; k < 2; ++k) {
      if (p.has[k]) {
        os << "," << csv_number(p.cycles[k]) << "," << csv_number(p.latency_ms[k]) << "," << csv_number(p.gops[k]) << ","
           << csv_number(p.dram_mb[k]);
      } else {
        os << ",,,,";
      }
    }
    os << "," << csv_number(p.peak_gops) << "," << p.part << "," << csv_number(p.dsp) << "," << csv_number(p.bram36) << ","
       << csv_number(p.luts) << "," << csv_number(p.ffs) << "," << (p.fits ? "yes" : "no") << "," << p.limiting << "\n";
  }
  return os.str();
}

std::vector<size_t> pareto_front(const std::vector<SweepPointSummary>& points) {
  std::vector<size_t> ok;
  for (size_t i = 0; i < points.size(); ++i)
    if (points[i].status == "ok" && points[i].best_latency_ms() > 0) ok.push_back(i);
  std::vector<size_t> front;
  for (size_t i : ok) {
    bool dominated = false;
    for (size_t j : ok) {
      if (i == j) continue;
      const auto &a = points[i], &b = points[j];
      const bool no_worse = b.dsp <= a.dsp && b.best_latency_ms() <= a.best_latency_ms();
      const bool better = b.dsp < a.dsp || b.best_latency_ms() < a.best_latency_ms();
      if (no_worse && better) dominated = true;
    }
    if (!dominated) front.push_back(i);
  }
  std::sort(front.begin(), front.end(), [&](size_t a, size_t b) { return points[a].dsp < points[b].dsp; });
  return front;
}

namespace {

std::string file_stem(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

std::string short_label(const std::vector<std::string>& values) {
  std::string l;
  for (size_t i = 0; i < values.size(); ++i) l += (i ? "/" : "") + values[i];
  return l;
}

const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};

// Throughput and latency against one axis; the best over the other axes at each value.
Figure axis_figure(const std::vector<std::string>& axes, size_t a, const std::vector<SweepPointSummary>& points) {
  std::vector<std::string> values;
  for (const auto& p : points)
    if (std::find(values.begin(), values.end(), p.values[a]) == values.end()) values.push_back(p.values[a]);
  std::ostringstream data;
  data << "# " << axes[a] << " value index, value, best network GOPS with 1 and 2 threads, best latency (ms) with 1 and 2\n";
  for (size_t i = 0; i < values.size(); ++i) {
    double g[2] = {NAN, NAN}, l[2] = {NAN, NAN};
    for (const auto& p : points) {
      if (p.values[a] != values[i] || p.status != "ok") continue;
      for (int k = 0; k < 2; ++k) {
        if (!p.has[k]) continue;
        if (std::isnan(g[k]) || p.gops[k] > g[k]) g[k] = p.gops[k];
        if (std::isnan(l[k]) || p.latency_ms[k] < l[k]) l[k] = p.latency_ms[k];
      }
    }
    data << i << " \"" << values[i] << "\" " << gp_num(g[0]) << " " << gp_num(g[1]) << " " << gp_num(l[0]) << " "
         << gp_num(l[1]) << "\n";
  }
  const std::string others = axes.size() > 1 ? " (best over the other swept parameters)" : "";
  std::ostringstream body;
  body << "  set multiplot layout 1,2 title " << gp_quote("Network throughput and latency against " + axes[a] + others)
       << " font \",12\"\n"
       << "  set xrange [-0.5:" << values.size() - 0.5 << "]\n"
       << "  set xlabel " << gp_quote(axes[a]) << "\n"
       << "  set grid lc rgb \"#e0e0e0\"\n"
       << "  set key top left\n"
       << "  set datafile missing \"nan\"\n"
       << "  set ylabel \"network GOPS\"\n  set yrange [0:*]\n"
       << "  plot data using 1:3:xtic(2) with linespoints pt 6 ps 1.6 lw 2 lc rgb \"" << kColours[0]
       << "\" title \"1 thread\", \\\n"
       << "       '' using 1:4 with linespoints pt 9 ps 1.6 lw 2 lc rgb \"" << kColours[1] << "\" title \"2 threads\"\n"
       << "  set ylabel \"network latency (ms)\"\n"
       << "  plot data using 1:5:xtic(2) with linespoints pt 6 ps 1.6 lw 2 lc rgb \"" << kColours[0]
       << "\" title \"1 thread\", \\\n"
       << "       '' using 1:6 with linespoints pt 9 ps 1.6 lw 2 lc rgb \"" << kColours[1] << "\" title \"2 threads\"\n"
       << "  unset multiplot\n";
  return Figure("sweep_" + file_stem(axes[a]), body.str(), data.str(), 1400, 600);
}

Figure heatmap_figure(const std::vector<std::string>& axes, const std::vector<SweepPointSummary>& points) {
  std::vector<std::string> xs, ys;
  for (const auto& p : points) {
    if (std::find(xs.begin(), xs.end(), p.values[0]) == xs.end()) xs.push_back(p.values[0]);
    if (std::find(ys.begin(), ys.end(), p.values[1]) == ys.end()) ys.push_back(p.values[1]);
  }
  std::ostringstream data, xt, yt;
  data << "# " << axes[0] << " index, " << axes[1] << " index, best network GOPS (NaN: failed), label\n";
  for (const auto& p : points) {
    const size_t i = size_t(std::find(xs.begin(), xs.end(), p.values[0]) - xs.begin());
    const size_t j = size_t(std::find(ys.begin(), ys.end(), p.values[1]) - ys.begin());
    const double g = p.status == "ok" ? p.best_gops() : NAN;
    data << i << " " << j << " " << gp_num(g) << " \"" << (p.status == "ok" ? gp_num(std::round(g * 10) / 10) : p.status)
         << (p.fits ? "" : "\\n(does not fit)") << "\"\n";
  }
  for (size_t i = 0; i < xs.size(); ++i) xt << (i ? ", " : "") << gp_quote(xs[i]) << " " << i;
  for (size_t j = 0; j < ys.size(); ++j) yt << (j ? ", " : "") << gp_quote(ys[j]) << " " << j;
  std::ostringstream body;
  body << "  set title " << gp_quote("Best network GOPS over " + axes[0] + " and " + axes[1]) << " font \",12\"\n"
       << "  set xrange [-0.5:" << xs.size() - 0.5 << "]\n  set yrange [-0.5:" << ys.size() - 0.5 << "]\n"
       << "  set xtics (" << xt.str() << ")\n  set ytics (" << yt.str() << ")\n"
       << "  set xlabel " << gp_quote(axes[0]) << "\n  set ylabel " << gp_quote(axes[1]) << "\n"
       << "  set cblabel \"GOPS\"\n  set palette rgbformulae 33,13,10\n"
       << "  set datafile missing \"nan\"\n"
       << "  plot data using 1:2:3 with image notitle, '' using 1:2:4 with labels font \",11\" notitle\n";
  return Figure("sweep_heatmap", body.str(), data.str(), 1000, 800);
}

Figure pareto_figure(const std::vector<std::string>& axes, const std::vector<SweepPointSummary>& points) {
  std::ostringstream data;
  data << "# estimated DSP slices, best network latency (ms), label: points that fit their part\n";
  int n = 0;
  for (const auto& p : points)
    if (p.status == "ok" && p.fits) {
      data << gp_num(p.dsp) << " " << gp_num(p.best_latency_ms()) << " \"" << short_label(p.values) << "\"\n";
      ++n;
    }
  if (!n) data << "NaN NaN \"\"\n";
  data << "\n\n# the same for points that do not fit their part\n";
  n = 0;
  for (const auto& p : points)
    if (p.status == "ok" && !p.fits) {
      data << gp_num(p.dsp) << " " << gp_num(p.best_latency_ms()) << " \"" << short_label(p.values) << "\"\n";
      ++n;
    }
  if (!n) data << "NaN NaN \"\"\n";
  data << "\n\n# Pareto front (no point has both fewer DSPs and a lower latency)\n";
  const auto front = pareto_front(points);
  for (size_t i : front) {
    data << gp_num(points[i].dsp) << " " << gp_num(points[i].best_latency_ms()) << " \"" << short_label(points[i].values)
         << "\"\n";
  }
  if (front.empty()) data << "1 1 \"\"\n";  // an empty label: gnuplot 5.4 crashes on NaN labels
  std::string dims;
  for (size_t i = 0; i < axes.size(); ++i) dims += (i ? "/" : "") + axes[i];
  double x_lo = 1e300, x_hi = 0, y_lo = 1e300, y_hi = 0;
  for (const auto& p : points) {
    if (p.status != "ok" || p.best_latency_ms() <= 0) continue;
    x_lo = std::min(x_lo, p.dsp);
    x_hi = std::max(x_hi, p.dsp);
    y_lo = std::min(y_lo, p.best_latency_ms());
    y_hi = std::max(y_hi, p.best_latency_ms());
  }
  if (x_hi <= 0) x_lo = 1, x_hi = 10, y_lo = 1, y_hi = 10;
  std::ostringstream body;
  body << "  set title " << gp_quote("Network latency against estimated DSP slices (labels: " + dims + ")")
       << " font \",12\"\n"
       << "  set logscale xy 10\n  set format x \"%g\"\n  set format y \"%g\"\n"
       << "  set xrange [" << gp_num(x_lo / 1.6) << ":" << gp_num(x_hi * 1.6) << "]\n"
       << "  set yrange [" << gp_num(y_lo / 1.3) << ":" << gp_num(y_hi * 1.3) << "]\n"
       << "  set xlabel \"estimated DSP slices (2 int8 MACs per slice)\"\n"
       << "  set ylabel \"network latency, best thread count (ms)\"\n"
       << "  set grid xtics ytics mxtics mytics lc rgb \"#e0e0e0\"\n  set key top right box opaque\n"
       << "  plot data index 2 using 1:2 with steps lw 2 lc rgb \"" << kColours[1] << "\" title \"Pareto front\", \\\n"
       << "       data index 0 using 1:2 with points pt 7 ps 1.5 lc rgb \"" << kColours[0]
       << "\" title \"fits the part (filled)\", \\\n"
       << "       data index 1 using 1:2 with points pt 4 ps 1.5 lw 2 lc rgb \"gray40\" title \"does not fit (open square)\", \\\n"
       << "       data index 2 using 1:2 with points pt 6 ps 2.4 lw 2 lc rgb \"" << kColours[1] << "\" notitle, \\\n"
       << "       data index 2 using 1:2:3 with labels left offset 1.2,0.6 font \",9\" notitle\n";
  return Figure("sweep_pareto", body.str(), data.str(), 1100, 850);
}

Figure best_rooflines(const std::vector<SweepPointSummary>& points, const std::vector<std::vector<LayerResult>>& rows,
                      const std::vector<HwConfig>& cfgs) {
  std::vector<size_t> order;
  for (size_t i = 0; i < points.size(); ++i)
    if (points[i].status == "ok" && !rows[i].empty()) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return points[a].best_gops() > points[b].best_gops(); });
  if (order.size() > 3) order.resize(3);
  double ai_lo = 1e300, ai_hi = 0, g_lo = 1e300, g_hi = 0;
  std::ostringstream data, body;
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t i = order[k];
    const HwConfig& c = cfgs[i];
    data << "# point " << points[i].id << " (" << short_label(points[i].values) << "): ai, GOPS, layer, threads\n";
    int n = 0;
    for (const auto& r : rows[i]) {
      if (!r.timed || r.device_gops <= 0) continue;
      data << gp_num(r.ai_ops_per_byte) << " " << gp_num(r.device_gops) << " \"" << r.layer << "\" " << r.threads << "\n";
      ai_lo = std::min(ai_lo, r.ai_ops_per_byte);
      ai_hi = std::max(ai_hi, r.ai_ops_per_byte);
      g_lo = std::min(g_lo, r.device_gops);
      ++n;
    }
    if (!n) data << "NaN NaN \"\" 0\n";
    data << "\n\n";
    ai_lo = std::min(ai_lo, c.ridge_ops_per_byte());
    ai_hi = std::max(ai_hi, c.ridge_ops_per_byte());
    g_hi = std::max(g_hi, c.peak_gops());
  }
  if (order.empty()) {
    data << "NaN NaN \"\" 0\n";
    ai_lo = 1;
    ai_hi = 100;
    g_lo = 1;
    g_hi = 100;
  }
  const LogLogFrame fr = equal_decades(ai_lo, ai_hi, g_lo, g_hi);
  body << "  set title \"Per-layer rooflines of the best points (by network GOPS)\" font \",12\"\n"
       << roofline_axes(fr);
  std::ostringstream plot;
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t i = order[k];
    const HwConfig& c = cfgs[i];
    body << roof_function("roof" + std::to_string(k), gp_num(c.peak_gops()), gp_num(c.mem_gbps()));
    const std::string title = "#" + std::to_string(k + 1) + " " + short_label(points[i].values) + " (" +
                              gp_num(std::round(points[i].best_gops() * 10) / 10) + " GOPS)";
    plot << (k ? ", \\\n       " : "  plot ") << "roof" << k << "(x) with lines lw 2 dt " << k + 1 << " lc rgb \""
         << kColours[k] << "\" notitle, \\\n       data index " << k << " using 1:2 with points pt " << 6 + 2 * int(k)
         << " ps 1.6 lw 2 lc rgb \"" << kColours[k] << "\" title " << gp_quote(title);
  }
  if (order.empty()) plot << "  plot data using 1:2 notitle";
  body << plot.str() << "\n";
  return Figure("sweep_rooflines", body.str(), data.str(), 1100, 1000);
}

}  // namespace

std::vector<Figure> sweep_figures(const std::vector<std::string>& axes, const std::vector<SweepPointSummary>& points,
                                  const std::vector<std::vector<LayerResult>>& rows, const std::vector<HwConfig>& cfgs) {
  std::vector<Figure> figs;
  for (size_t a = 0; a < axes.size(); ++a) figs.push_back(axis_figure(axes, a, points));
  if (axes.size() == 2) figs.push_back(heatmap_figure(axes, points));
  figs.push_back(pareto_figure(axes, points));
  figs.push_back(best_rooflines(points, rows, cfgs));
  return figs;
}

}  // namespace vtasim
