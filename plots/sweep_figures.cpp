// Sweep table and figures (see sweep_figures.h).
#include "plots/sweep_figures.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "models/hw_config.h"
#include "models/parse.h"

namespace vtasim {

double SweepPointSummary::best_latency_ms() const {
  double best = 0;
  for (int k = 0; k < 2; ++k)
    if (has[k] && (best == 0 || latency_ms[k] < best)) best = latency_ms[k];
  return best;
}

namespace {
int best_index(const SweepPointSummary& p) {
  if (p.has[0] && p.has[1]) return p.latency_ms[1] < p.latency_ms[0] ? 1 : 0;
  return p.has[1] ? 1 : 0;
}
}  // namespace

double SweepPointSummary::energy_uj() const { return uj_per_image[best_index(*this)]; }
double SweepPointSummary::edp() const { return edp_uj_ms[best_index(*this)]; }

double SweepPointSummary::best_images_per_s() const {
  return std::max(has[0] ? images_per_s[0] : 0.0, has[1] ? images_per_s[1] : 0.0);
}

double SweepPointSummary::best_gops() const { return std::max(has[0] ? gops[0] : 0.0, has[1] ? gops[1] : 0.0); }

std::vector<size_t> SweepResults::ranked(double (*key)(const SweepPointSummary&), bool fit) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < points.size(); ++i)
    if (eligible(i, fit)) out.push_back(i);
  std::stable_sort(out.begin(), out.end(), [&](size_t a, size_t b) { return key(points[a]) < key(points[b]); });
  return out;
}

namespace {

// Free text in a CSV cell: no separators or line breaks (the reader takes no quoting).
std::string csv_text(const std::string& s) {
  std::string out = s;
  for (char& c : out)
    if (c == ',' || c == '\n' || c == '\r') c = c == ',' ? ';' : ' ';
  return out;
}

}  // namespace

std::string points_csv(const std::vector<std::string>& axes, const std::vector<SweepPointSummary>& points) {
  std::ostringstream os;
  os << "point_id";
  for (const auto& a : axes) os << "," << a;
  os << ",status,failure";
  for (const char* t : {"t1", "t2"}) {
    os << ",cycles_" << t << ",latency_ms_" << t << ",images_per_s_" << t << ",gops_" << t << ",dram_mb_" << t
       << ",uj_per_image_" << t << ",edp_uj_ms_" << t;
  }
  os << ",peak_gops,part,dsp,bram36,luts,ffs,fits,limiting\n";
  for (const auto& p : points) {
    os << p.id;
    for (const auto& v : p.values) os << "," << v;
    os << "," << p.status << "," << csv_text(p.failure);
    for (int k = 0; k < 2; ++k) {
      if (p.has[k]) {
        os << "," << csv_number(p.cycles[k]) << "," << csv_number(p.latency_ms[k]) << "," << csv_number(p.images_per_s[k])
           << "," << csv_number(p.gops[k]) << "," << csv_number(p.dram_mb[k]) << "," << csv_number(p.uj_per_image[k]) << ","
           << csv_number(p.edp_uj_ms[k]);
      } else {
        os << ",,,,,,,";
      }
    }
    os << "," << csv_number(p.peak_gops) << "," << p.part << "," << csv_number(p.dsp) << "," << csv_number(p.bram36) << ","
       << csv_number(p.luts) << "," << csv_number(p.ffs) << "," << (p.fits ? "yes" : "no") << "," << p.limiting << "\n";
  }
  return os.str();
}

std::vector<size_t> pareto_front(const SweepResults& r, double SweepPointSummary::*cost) {
  std::vector<size_t> ok;
  for (size_t i = 0; i < r.points.size(); ++i)
    if (r.eligible(i) && r.points[i].best_latency_ms() > 0) ok.push_back(i);
  std::vector<size_t> front;
  for (size_t i : ok) {
    bool dominated = false;
    for (size_t j : ok) {
      if (i == j) continue;
      const auto &a = r.points[i], &b = r.points[j];
      const bool no_worse = b.*cost <= a.*cost && b.best_latency_ms() <= a.best_latency_ms();
      const bool better = b.*cost < a.*cost || b.best_latency_ms() < a.best_latency_ms();
      if (no_worse && better) dominated = true;
    }
    if (!dominated) front.push_back(i);
  }
  std::sort(front.begin(), front.end(), [&](size_t a, size_t b) { return r.points[a].*cost < r.points[b].*cost; });
  return front;
}

namespace {

std::string bytes_text(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB"};
  int u = 0;
  while (bytes >= 1024 && u < 3) {
    bytes /= 1024;
    ++u;
  }
  return gp_num(bytes) + " " + units[u];
}

}  // namespace

std::string display_value(const std::string& axis, const std::string& value) {
  const auto v = parse_real(value);
  if (!v) return value;
  const auto pow2 = [&]() { return gp_num(std::pow(2.0, *v)); };
  if (axis == "LOG_BLOCK") return pow2() + "x" + pow2();
  if (axis == "LOG_BLOCK_IN") return "BLOCK_IN " + pow2();
  if (axis == "LOG_BLOCK_OUT") return "BLOCK_OUT " + pow2();
  if (axis == "LOG_BATCH") return "BATCH " + pow2();
  if (axis == "batch") return "batch " + value;
  if (axis.rfind("LOG_", 0) == 0 && axis.find("_BUFF_SIZE") != std::string::npos) {
    return axis.substr(4, axis.find("_BUFF_SIZE") - 4) + " " + bytes_text(std::pow(2.0, *v));
  }
  if (axis.rfind("LOG_", 0) == 0 && axis.find("_WIDTH") != std::string::npos) return pow2() + " bit";
  if (axis.size() > 6 && axis.compare(axis.size() - 6, 6, "_depth") == 0) return value + " entries";
  const ParamDef* d = find_param(axis);
  if (d && d->unit[0] && std::string(d->unit).rfind("log2", 0) != 0) return value + " " + d->unit;
  return value;
}

std::string display_point(const std::vector<std::string>& axes, const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < axes.size() && i < values.size(); ++i) out += (i ? ", " : "") + display_value(axes[i], values[i]);
  return out;
}

namespace {

std::string file_stem(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};

// What the figures hold besides the swept values: the fit constraint.
std::string scope(const SweepResults& r) {
  if (!r.fit_only) return "";
  for (const auto& p : r.points)
    if (!p.part.empty()) return ", designs that fit the " + p.part + " only";
  return ", designs that fit only";
}

std::vector<std::string> distinct_values(const SweepResults& r, size_t axis) {
  std::vector<std::string> values;
  for (const auto& p : r.points)
    if (std::find(values.begin(), values.end(), p.values[axis]) == values.end()) values.push_back(p.values[axis]);
  return values;
}

// Throughput and latency against one axis; at each value the best over the other axes, which the title
// names with the values they range over.
Figure axis_figure(const SweepResults& r, size_t a) {
  const auto values = distinct_values(r, a);
  std::ostringstream data;
  data << "# " << r.axes[a] << " value index, value, best network GOPS with 1 and 2 threads, best latency (ms) with 1 and 2\n";
  for (size_t i = 0; i < values.size(); ++i) {
    double g[2] = {NAN, NAN}, l[2] = {NAN, NAN};
    for (size_t j = 0; j < r.points.size(); ++j) {
      const auto& p = r.points[j];
      if (p.values[a] != values[i] || !r.eligible(j)) continue;
      for (int k = 0; k < 2; ++k) {
        if (!p.has[k]) continue;
        if (std::isnan(g[k]) || p.gops[k] > g[k]) g[k] = p.gops[k];
        if (std::isnan(l[k]) || p.latency_ms[k] < l[k]) l[k] = p.latency_ms[k];
      }
    }
    data << i << " \"" << display_value(r.axes[a], values[i]) << "\" " << gp_num(g[0]) << " " << gp_num(g[1]) << " "
         << gp_num(l[0]) << " " << gp_num(l[1]) << "\n";
  }
  std::string others;
  for (size_t b = 0; b < r.axes.size(); ++b) {
    if (b == a) continue;
    std::string vals;
    for (const auto& v : distinct_values(r, b)) vals += (vals.empty() ? "" : ", ") + display_value(r.axes[b], v);
    others += (others.empty() ? "" : "; ") + r.axes[b] + " (" + vals + ")";
  }
  const std::string subtitle = others.empty() ? "" : "\neach point: the best over " + others;
  std::ostringstream body;
  body << "  set multiplot layout 1,2 title "
       << gp_quote("Network throughput and latency against " + r.axes[a] + scope(r) + subtitle) << " font \",12\"\n"
       << "  set xrange [-0.5:" << values.size() - 0.5 << "]\n"
       << "  set xlabel " << gp_quote(r.axes[a]) << "\n"
       << "  set grid lc rgb \"#e0e0e0\"\n"
       << "  set key top left\n"
       << "  set datafile missing \"nan\"\n"
       << "  set ylabel \"network GOPS\"\n  set yrange [0:*]\n"
       << "  plot data using 1:3:xtic(2) with linespoints pt 6 ps 1.6 lw 2 lc rgb \"" << kColours[0]
       << "\" title \"1 thread\", \\\n"
       << "       '' using 1:4 with linespoints pt 9 ps 1.6 lw 2 lc rgb \"" << kColours[1] << "\" title \"2 threads\"\n"
       << "  set ylabel \"network latency (ms)\"\n  set key top right\n"
       << "  plot data using 1:5:xtic(2) with linespoints pt 6 ps 1.6 lw 2 lc rgb \"" << kColours[0]
       << "\" title \"1 thread\", \\\n"
       << "       '' using 1:6 with linespoints pt 9 ps 1.6 lw 2 lc rgb \"" << kColours[1] << "\" title \"2 threads\"\n"
       << "  unset multiplot\n";
  return Figure("sweep_" + file_stem(r.axes[a]), body.str(), data.str(), 1400, 650);
}

// Two-parameter sweeps: network GOPS relative to the best eligible point, one panel per thread count.
Figure heatmap_figure(const SweepResults& r) {
  const auto xs = distinct_values(r, 0), ys = distinct_values(r, 1);
  std::ostringstream data, body, xt, yt;
  std::vector<int> panels;
  for (int k = 0; k < 2; ++k)
    if (std::any_of(r.points.begin(), r.points.end(), [&](const SweepPointSummary& p) { return p.has[k]; })) panels.push_back(k);
  for (size_t i = 0; i < xs.size(); ++i) xt << (i ? ", " : "") << gp_quote(display_value(r.axes[0], xs[i])) << " " << i;
  for (size_t j = 0; j < ys.size(); ++j) yt << (j ? ", " : "") << gp_quote(display_value(r.axes[1], ys[j])) << " " << j;
  body << "  set multiplot layout 1," << std::max<size_t>(1, panels.size()) << " title "
       << gp_quote("Network GOPS relative to the best design (100%)" + scope(r)) << " font \",12\"\n"
       << "  set xrange [-0.5:" << xs.size() - 0.5 << "]\n  set yrange [-0.5:" << ys.size() - 0.5 << "]\n"
       << "  set xtics (" << xt.str() << ")\n  set ytics (" << yt.str() << ")\n"
       << "  set xlabel " << gp_quote(r.axes[0]) << "\n  set ylabel " << gp_quote(r.axes[1]) << "\n"
       << "  set cblabel \"% of the best\"\n  set cbrange [0:100]\n  set palette rgbformulae 33,13,10\n"
       << "  set datafile missing \"nan\"\n";
  double best = 0;
  for (size_t i = 0; i < r.points.size(); ++i)
    if (r.eligible(i)) best = std::max(best, r.points[i].best_gops());
  for (size_t n = 0; n < panels.size(); ++n) {
    const int k = panels[n];
    data << "# " << k + 1 << " thread(s): " << r.axes[0] << " index, " << r.axes[1] << " index, % of the best, label\n";
    for (size_t i = 0; i < r.points.size(); ++i) {
      const auto& p = r.points[i];
      const size_t x = size_t(std::find(xs.begin(), xs.end(), p.values[0]) - xs.begin());
      const size_t y = size_t(std::find(ys.begin(), ys.end(), p.values[1]) - ys.begin());
      const bool shown = r.eligible(i) && p.has[k] && best > 0;
      const double pct = shown ? 100 * p.gops[k] / best : NAN;
      std::string label = shown ? gp_num(std::round(pct)) + "%" : p.status != "ok" ? p.status : "";
      if (p.status == "ok" && !p.fits) label += std::string(label.empty() ? "" : "\\n") + "does not fit";
      data << x << " " << y << " " << gp_num(pct) << " \"" << label << "\"\n";
    }
    data << "\n\n";
    body << "  set title \"" << k + 1 << (k ? " threads" : " thread") << "\"\n"
         << "  plot data index " << n << " using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1.0 noborder lc palette notitle, \\\n"
         << "       '' index " << n << " using 1:2:4 with labels font \",11\" notitle\n";
  }
  body << "  unset multiplot\n";
  return Figure("sweep_heatmap", body.str(), data.str(), 900 * int(std::max<size_t>(1, panels.size())), 800);
}

// One Pareto panel: best latency against a resource, the part's limit drawn.
void pareto_panel(const SweepResults& r, double SweepPointSummary::*cost, const std::string& resource, int index,
                  std::ostringstream& data, std::ostringstream& body) {
  const auto front = pareto_front(r, cost);
  double limit = 0;
  std::string part;
  double x_lo = 1e300, x_hi = 0, y_lo = 1e300, y_hi = 0;
  for (const auto& p : r.points) {
    if (p.status != "ok" || p.best_latency_ms() <= 0) continue;
    limit = cost == &SweepPointSummary::dsp ? p.part_dsp : p.part_bram36;
    part = p.part;
    x_lo = std::min(x_lo, p.*cost);
    x_hi = std::max(x_hi, std::max(p.*cost, limit));
    y_lo = std::min(y_lo, p.best_latency_ms());
    y_hi = std::max(y_hi, p.best_latency_ms());
  }
  if (x_hi <= 0) x_lo = 1, x_hi = 10, y_lo = 1, y_hi = 10;
  for (int fits = 1; fits >= 0; --fits) {
    data << "# " << resource << ", best network latency (ms), label: points that " << (fits ? "fit" : "do not fit") << "\n";
    int n = 0;
    for (const auto& p : r.points)
      if (p.status == "ok" && p.fits == bool(fits)) {
        data << gp_num(p.*cost) << " " << gp_num(p.best_latency_ms()) << " \"" << display_point(r.axes, p.values) << "\"\n";
        ++n;
      }
    if (!n) data << "NaN NaN \"\"\n";
    data << "\n\n";
  }
  data << "# Pareto front\n";
  for (size_t i : front) {
    data << gp_num(r.points[i].*cost) << " " << gp_num(r.points[i].best_latency_ms()) << " \""
         << display_point(r.axes, r.points[i].values) << "\"\n";
  }
  if (front.empty()) data << "1 1 \"\"\n";  // an empty label: gnuplot 5.4 crashes on NaN labels
  data << "\n\n";
  const int base = 3 * index;
  body << "  set logscale xy 10\n  set format x \"%g\"\n  set format y \"%g\"\n"
       << "  set xrange [" << gp_num(x_lo / 1.6) << ":" << gp_num(x_hi * 1.6) << "]\n"
       << "  set yrange [" << gp_num(y_lo / 1.3) << ":" << gp_num(y_hi * 1.3) << "]\n"
       << log_axis_tics("x", x_lo / 1.6, x_hi * 1.6) << log_axis_tics("y", y_lo / 1.3, y_hi * 1.3)
       << "  set xlabel " << gp_quote("estimated " + resource) << "\n"
       << "  set ylabel \"network latency, best thread count (ms)\"\n"
       << "  set grid xtics ytics mxtics mytics lc rgb \"#e0e0e0\"\n  set key top right box opaque\n"
       << "  unset arrow\n  unset label\n";
  if (limit > 0) {
    body << "  set arrow from " << gp_num(limit) << ", graph 0 to " << gp_num(limit)
         << ", graph 1 nohead dt 2 lw 2 lc rgb \"gray30\"\n"
         << "  set label " << gp_quote(part + ": " + gp_num(limit)) << " at " << gp_num(limit)
         << ", graph 0.95 right offset -0.5,0 font \",10\"\n";
  }
  body << "  plot data index " << base + 2 << " using 1:2 with steps lw 2 lc rgb \"" << kColours[1]
       << "\" title \"Pareto front\", \\\n"
       << "       data index " << base << " using 1:2 with points pt 7 ps 1.5 lc rgb \"" << kColours[0]
       << "\" title \"fits the part\", \\\n"
       << "       data index " << base + 1
       << " using 1:2 with points pt 4 ps 1.5 lw 2 lc rgb \"gray40\" title \"does not fit (open square)\", \\\n"
       << "       data index " << base + 2 << " using 1:2 with points pt 6 ps 2.4 lw 2 lc rgb \"" << kColours[1]
       << "\" notitle, \\\n"
       << "       data index " << base + 2 << " using 1:2:3 with labels left offset 1.2,0.6 font \",9\" notitle\n";
}

Figure pareto_figure(const SweepResults& r) {
  std::ostringstream data, body;
  body << "  set multiplot layout 1,2 title " << gp_quote("Network latency against resources (dashed: the part's limit)" + scope(r))
       << " font \",12\"\n";
  pareto_panel(r, &SweepPointSummary::dsp, "DSP slices", 0, data, body);
  pareto_panel(r, &SweepPointSummary::bram36, "block RAM (RAMB36)", 1, data, body);
  body << "  unset multiplot\n";
  return Figure("sweep_pareto", body.str(), data.str(), 1800, 850);
}

// xrange and yrange around the shown points of the energy figure, with a margin.
std::string range_text(const SweepResults& r, const std::vector<size_t>& shown) {
  if (shown.empty()) return "";
  double x_lo = 1e300, x_hi = 0, y_lo = 1e300, y_hi = 0;
  for (size_t i : shown) {
    x_lo = std::min(x_lo, r.points[i].energy_uj() * 1e-3);
    x_hi = std::max(x_hi, r.points[i].energy_uj() * 1e-3);
    y_lo = std::min(y_lo, r.points[i].best_latency_ms());
    y_hi = std::max(y_hi, r.points[i].best_latency_ms());
  }
  return "  set xrange [" + gp_num(x_lo / 1.4) + ":" + gp_num(x_hi * 1.4) + "]\n  set yrange [" + gp_num(y_lo / 1.4) + ":" +
         gp_num(y_hi * 1.4) + "]\n" + log_axis_tics("x", x_lo / 1.4, x_hi * 1.4) + log_axis_tics("y", y_lo / 1.4, y_hi * 1.4);
}

// Latency against estimated energy per image, each design at its better thread count; the front of
// designs no other beats on both.
Figure energy_pareto_figure(const SweepResults& r) {
  std::ostringstream data, body;
  std::vector<size_t> shown;
  for (size_t i = 0; i < r.points.size(); ++i)
    if (r.eligible(i) && r.points[i].energy_uj() > 0) shown.push_back(i);
  data << "# energy per image (mJ), network latency (ms), label\n";
  for (size_t i : shown) {
    data << gp_num(r.points[i].energy_uj() * 1e-3) << " " << gp_num(r.points[i].best_latency_ms()) << " \""
         << display_point(r.axes, r.points[i].values) << "\"\n";
  }
  if (shown.empty()) data << "1 1 \"\"\n";
  data << "\n\n# front\n";
  std::vector<size_t> front;
  for (size_t i : shown) {
    bool dominated = false;
    for (size_t j : shown) {
      const auto &a = r.points[i], &b = r.points[j];
      if (i != j && b.energy_uj() <= a.energy_uj() && b.best_latency_ms() <= a.best_latency_ms() &&
          (b.energy_uj() < a.energy_uj() || b.best_latency_ms() < a.best_latency_ms())) {
        dominated = true;
      }
    }
    if (!dominated) front.push_back(i);
  }
  std::sort(front.begin(), front.end(), [&](size_t a, size_t b) { return r.points[a].energy_uj() < r.points[b].energy_uj(); });
  for (size_t i : front) data << gp_num(r.points[i].energy_uj() * 1e-3) << " " << gp_num(r.points[i].best_latency_ms()) << "\n";
  if (front.empty()) data << "1 1\n";
  body << "  set title " << gp_quote("Network latency against estimated energy per image" + scope(r)) << " font \",12\"\n"
       << "  set logscale xy 10\n  set format x \"%g\"\n  set format y \"%g\"\n"
       << "  set xlabel \"energy per image (mJ, estimated from access counts)\"\n"
       << "  set ylabel \"network latency, best thread count (ms)\"\n"
       << "  set grid xtics ytics mxtics mytics lc rgb \"#e0e0e0\"\n  set key top right box opaque\n"
       << range_text(r, shown)
       << "  plot data index 1 using 1:2 with steps lw 2 lc rgb \"" << kColours[1] << "\" title \"energy-delay front\", \\\n"
       << "       data index 0 using 1:2 with points pt 7 ps 1.5 lc rgb \"" << kColours[0] << "\" title \"design\", \\\n"
       << "       data index 0 using 1:2:3 with labels left offset 1,0.5 font \",9\" notitle\n";
  return Figure("sweep_energy", body.str(), data.str(), 1100, 850);
}

// The three best designs by network GOPS that have layer rows.
std::vector<size_t> roofline_points(const SweepResults& r) {
  std::vector<size_t> order = r.ranked([](const SweepPointSummary& p) { return -p.best_gops(); });
  order.erase(std::remove_if(order.begin(), order.end(), [&](size_t i) { return r.points[i].layer_rows == 0; }), order.end());
  if (order.size() > 3) order.resize(3);
  return order;
}

// A detail of point i the merge loaded (detail_points); its absence is a fault of the caller.
template <typename T>
const T& detail(const std::map<size_t, T>& m, size_t i) {
  const auto it = m.find(i);
  if (it == m.end()) throw std::logic_error("sweep figures: point " + std::to_string(i) + "'s details were not loaded");
  return it->second;
}

Figure best_rooflines(const SweepResults& r) {
  const std::vector<size_t> order = roofline_points(r);
  double ai_lo = 1e300, ai_hi = 0, g_lo = 1e300, g_hi = 0;
  std::ostringstream data, body;
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t i = order[k];
    const HwConfig& c = detail(r.cfgs, i);
    data << "# point " << r.points[i].id << " (" << display_point(r.axes, r.points[i].values) << "): ai, GOPS, layer, threads\n";
    int n = 0;
    for (const auto& row : detail(r.rows, i)) {
      if (!row.timed || row.device_gops <= 0) continue;
      data << gp_num(row.ai_ops_per_byte) << " " << gp_num(row.device_gops) << " \"" << row.layer << "\" " << row.threads << "\n";
      ai_lo = std::min(ai_lo, row.ai_ops_per_byte);
      ai_hi = std::max(ai_hi, row.ai_ops_per_byte);
      g_lo = std::min(g_lo, row.device_gops);
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
    ai_lo = 1, ai_hi = 100, g_lo = 1, g_hi = 100;
  }
  const LogLogFrame fr = equal_decades(ai_lo, ai_hi, g_lo, g_hi);
  body << "  set title " << gp_quote("Per-layer rooflines of the best designs by network GOPS" + scope(r)) << " font \",12\"\n"
       << roofline_axes(fr);
  std::ostringstream plot;
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t i = order[k];
    const HwConfig& c = detail(r.cfgs, i);
    body << roof_function("roof" + std::to_string(k), gp_num(c.peak_gops()), gp_num(c.mem_gbps()));
    const std::string title = "#" + std::to_string(k + 1) + " " + display_point(r.axes, r.points[i].values) + " (" +
                              gp_num(std::round(r.points[i].best_gops() * 10) / 10) + " GOPS)";
    plot << (k ? ", \\\n       " : "  plot ") << "roof" << k << "(x) with lines lw 2 dt " << k + 1 << " lc rgb \""
         << kColours[k] << "\" notitle, \\\n       data index " << k << " using 1:2 with points pt " << 6 + 2 * int(k)
         << " ps 1.6 lw 2 lc rgb \"" << kColours[k] << "\" title " << gp_quote(title);
  }
  if (order.empty()) plot << "  plot data using 1:2 notitle";
  body << plot.str() << "\n";
  return Figure("sweep_rooflines", body.str(), data.str(), 1100, 1000);
}

}  // namespace

std::vector<size_t> detail_points(const SweepResults& r) {
  std::vector<size_t> out = roofline_points(r);
  const std::vector<size_t> fastest = r.ranked([](const SweepPointSummary& p) { return p.best_latency_ms(); });
  for (size_t k = 0; k < fastest.size() && k < 2; ++k) out.push_back(fastest[k]);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<Figure> sweep_figures(const SweepResults& r) {
  std::vector<Figure> figs;
  for (size_t a = 0; a < r.axes.size(); ++a) figs.push_back(axis_figure(r, a));
  if (r.axes.size() == 2) figs.push_back(heatmap_figure(r));
  figs.push_back(pareto_figure(r));
  figs.push_back(energy_pareto_figure(r));
  figs.push_back(best_rooflines(r));
  return figs;
}

}  // namespace vtasim
