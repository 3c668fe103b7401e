// Figure builders (see figures.h). Each body is plain gnuplot that a reader can restyle; the data
// file holds one block per series, separated by two blank lines (gnuplot's `index`).
#include "plots/figures.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "plots/analysis.h"
#include "models/errors.h"
#include "models/file_io.h"
#include "models/json_input.h"
#include "plots/figure.h"

namespace vtasim {

namespace {

std::string kib(int64_t log2_bytes) {
  const int64_t bytes = int64_t(1) << log2_bytes;
  return bytes >= 1024 ? std::to_string(bytes / 1024) + " KiB" : std::to_string(bytes) + " B";
}

const char* kColourOne = "#1f77b4";
const char* kColourTwo = "#d62728";

}  // namespace

// A number for a label a person reads: three significant digits, no trailing zeros (170, 5.33, 0.48).
std::string label_num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.3g", v);
  return b;
}

std::string machine_subtitle(const HwConfig& cfg, const RunInfo& info) {
  const auto& p = cfg.params();
  std::ostringstream os;
  os << "VTA " << cfg.batch() << "x" << cfg.block_in() << "x" << cfg.block_out() << " at " << gp_num(p.clock_mhz)
     << " MHz, buffers uop " << kib(p.log_uop_buff_size) << " / inp " << kib(p.log_inp_buff_size) << " / wgt "
     << kib(p.log_wgt_buff_size) << " / acc " << kib(p.log_acc_buff_size) << ", " << p.port_bits << "-bit port";
  // The memory system on a second line, so the title fits narrow figures whatever the configuration.
  os << "\nDRAM " << p.dram_latency << " cycles";
  if (p.dram_gbps > 0) os << " capped at " << gp_num(p.dram_gbps) << " GB/s";
  if (p.cache_kib > 0) os << " behind a " << p.cache_kib << " KiB cache";
  os << ", schedule " << info.schedule << ", vtasim " << info.version;
  return os.str();
}

Figure roofline_figure(const std::vector<LayerResult>& rows, const HwConfig& cfg, const RunInfo& info) {
  const double peak = cfg.peak_gops(), bw = cfg.mem_gbps(), ridge = cfg.ridge_ops_per_byte();
  double ai_lo = ridge, ai_hi = ridge, g_lo = peak;
  for (const auto& r : rows) {
    if (!r.timed || r.device_gops <= 0 || r.ai_ops_per_byte <= 0) continue;
    ai_lo = std::min(ai_lo, r.ai_ops_per_byte);
    ai_hi = std::max(ai_hi, r.ai_ops_per_byte);
    g_lo = std::min(g_lo, r.device_gops);
  }
  // The bandwidth roof must enter the frame at its left edge.
  const double x_left = std::pow(10.0, std::floor(std::log10(ai_lo / 1.5)));
  const LogLogFrame fr = equal_decades(ai_lo, ai_hi, std::min(g_lo, bw * x_left), peak);
  const double xmin = fr.xmin, xmax = fr.xmax, ymin = fr.ymin;

  std::ostringstream data, body;
  data << "# roofline points: arithmetic intensity (ops/byte), GOPS, layer\n";
  for (uint32_t threads : {1u, 2u}) {
    data << "# " << threads << (threads == 1 ? " thread" : " threads") << "\n";
    int n = 0;
    for (const auto& r : rows) {
      if (r.threads != threads || !r.timed || r.device_gops <= 0) continue;
      data << gp_num(r.ai_ops_per_byte) << " " << gp_num(r.device_gops) << " \"" << r.layer << "\"\n";
      ++n;
    }
    if (n == 0) data << "NaN NaN \"\"\n";
    data << "\n\n";
  }
  data << "# latency hiding arrows: from (ai, GOPS) with one thread to (ai, GOPS) with two\n";
  int arrows = 0;
  for (const auto& lh : latency_hiding(rows)) {
    data << gp_num(lh.one->ai_ops_per_byte) << " " << gp_num(lh.one->device_gops) << " " << gp_num(lh.two->ai_ops_per_byte)
         << " " << gp_num(lh.two->device_gops) << "\n";
    ++arrows;
  }
  if (arrows == 0) data << "NaN NaN NaN NaN\n";
  // Layer labels beside the 1-thread points, nudged up or down (in decades) so they do not overlap.
  data << "\n\n# label positions: x, y, layer\n";
  std::vector<std::pair<double, double>> placed;
  int labels = 0;
  for (const auto& r : rows) {
    if (r.threads != 1 || !r.timed || r.device_gops <= 0) continue;
    const double lx = std::log10(r.ai_ops_per_byte) + 0.025;
    double ly = std::log10(r.device_gops) - 0.03;
    for (double dy : {-0.03, 0.035, -0.075, 0.08, -0.12, 0.125}) {
      ly = std::log10(r.device_gops) + dy;
      const bool clash = std::any_of(placed.begin(), placed.end(), [&](const std::pair<double, double>& p) {
        return std::fabs(p.first - lx) < 0.12 && std::fabs(p.second - ly) < 0.04;
      });
      if (!clash) break;
    }
    placed.emplace_back(lx, ly);
    data << gp_num(std::pow(10.0, lx)) << " " << gp_num(std::pow(10.0, ly)) << " \"" << r.layer << "\"\n";
    ++labels;
  }
  if (labels == 0) data << gp_num(xmin) << " " << gp_num(ymin) << " \"\"\n";  // (gnuplot 5.4 crashes on NaN labels)

  body << "  set title " << gp_quote("Roofline: " + info.workload + "\n" + machine_subtitle(cfg, info)) << " font \",11\"\n"
       << roofline_axes(fr)
       << "  peak = " << gp_num(peak) << "   # GOPS\n"
       << "  bw = " << gp_num(bw) << "     # GB/s\n"
       << "  ridge = " << gp_num(ridge) << " # ops/byte\n"
       << roof_function("roof", "peak", "bw")
       << "  set arrow from ridge, " << gp_num(ymin) << " to ridge, peak nohead dt 2 lc rgb \"gray40\"\n"
       << "  set label " << gp_quote("ridge " + label_num(ridge) + " ops/B") << " at ridge, " << gp_num(ymin * 1.3)
       << " left offset 0.6,0 textcolor rgb \"gray30\"\n"
       << "  set label " << gp_quote("compute roof " + label_num(peak) + " GOPS") << " at " << gp_num(xmax / 1.2)
       << ", peak * 1.12 right\n"
       << "  set label " << gp_quote("bandwidth roof " + label_num(bw) + " GB/s") << " at " << gp_num(std::sqrt(xmin * ridge))
       << ", roof(" << gp_num(std::sqrt(xmin * ridge)) << ") * 1.25 rotate by 45 left\n"
       << "  plot roof(x) with lines lw 2 lc rgb \"black\" title \"roof\", \\\n"
       << "       data index 2 using 1:2:($3-$1):($4-$2) with vectors head filled size screen 0.012,20 lw 1.2 "
          "lc rgb \"gray55\" notitle, \\\n"
       << "       data index 0 using 1:2 with points pt 6 ps 2 lw 2 lc rgb \"" << kColourOne << "\" title \"1 thread (open circle)\", \\\n"
       << "       data index 1 using 1:2 with points pt 9 ps 2 lc rgb \"" << kColourTwo
       << "\" title \"2 threads (filled triangle)\", \\\n"
       << "       data index 3 using 1:2:3 with labels left font \",10\" notitle\n";
  return Figure("roofline", body.str(), data.str(), 1100, 1000);
}

Figure latency_figure(const std::vector<LayerResult>& rows, const HwConfig& cfg, const RunInfo& info) {
  std::ostringstream data, body;
  const auto lh = latency_hiding(rows);
  data << "# layer, GOPS with 1 thread, GOPS with 2 threads, speedup (cycles 1 thread / cycles 2 threads)\n";
  for (const auto& l : lh) {
    data << "\"" << l.layer << "\" " << gp_num(l.one->gops) << " " << gp_num(l.two->gops) << " " << gp_num(l.speedup) << "\n";
  }
  if (lh.empty()) data << "\"-\" 0 0 1\n";
  data << "\n\n# where the compute module's cycles went, per layer and thread count (shares)\n\"run\"";
  for (const auto& n : ComputeBreakdown::names()) data << " \"" << n << "\"";
  data << "\n";
  int bars = 0;
  for (const auto& r : rows) {
    if (!r.timed) continue;
    data << "\"" << r.layer << " " << r.threads << "t\"";
    for (double v : compute_breakdown(r).values()) data << " " << gp_num(v);
    data << "\n";
    ++bars;
  }
  if (bars == 0) data << "\"-\" 0 0 0 0 0 0\n";
  const size_t cols = ComputeBreakdown::names().size();
  body << "  set multiplot layout 2,1 title " << gp_quote("Latency hiding: " + info.workload + "\n" + machine_subtitle(cfg, info))
       << " font \",11\"\n"
       << "  set style data histograms\n"
       << "  set style fill solid 0.85 border -1\n"
       << "  set grid ytics lc rgb \"#e0e0e0\"\n"
       << "  set key top left\n"
       << "  set style histogram clustered gap 1\n"
       << "  set ylabel \"GOPS\"\n"
       << "  set yrange [0:*]\n"
       << "  set offsets 0, 0, graph 0.12, 0\n"
       << "  set title \"throughput with one and two virtual threads (speedup above each pair)\"\n"
       << "  plot data index 0 using 2:xtic(1) title \"1 thread\" lc rgb \"" << kColourOne << "\", \\\n"
       << "       '' index 0 using 3 title \"2 threads\" lc rgb \"" << kColourTwo << "\" fs pattern 2, \\\n"
       << "       '' index 0 using 0:($2 > $3 ? $2 : $3):(sprintf(\"x%.2f\", $4)) with labels offset 0,0.9 notitle\n"
       << "  set style histogram rowstacked\n"
       << "  set boxwidth 0.75\n"
       << "  set ylabel \"share of compute cycles (%)\"\n"
       << "  set yrange [0:100]\n"
       << "  set offsets 0, 0, 0, 0\n"
       << "  set xtics rotate by -45 font \",9\"\n"
       << "  set key outside right top vertical\n"
       << "  set title \"where the compute module's time went (1t: one thread, 2t: two threads)\"\n"
       << "  plot for [k=2:" << cols + 1 << "] data index 1 using (100 * column(k)):xtic(1) title columnheader(k)\n"
       << "  unset multiplot\n";
  return Figure("latency_hiding", body.str(), data.str(), 1300, 1000);
}

TimelineTrace read_timeline_trace(const std::string& path, uint32_t threads) {
  const std::string text = read_text_file(path, "trace");
  TimelineTrace t;
  t.threads = threads;
  try {
    const nlohmann::ordered_json doc = parse_json_input(text, "the trace '" + path + "'");
    std::map<int, int> track_of_tid;  // tid -> 0 load, 1 compute, 2 store, 3 port
    for (const auto& e : doc.at("traceEvents")) {
      if (e.value("ph", "") == "M" && e.value("name", "") == "thread_name") {
        const std::string n = e.at("args").value("name", "");
        const int tid = e.value("tid", 0);
        if (n == "load") track_of_tid[tid] = 0;
        if (n == "compute") track_of_tid[tid] = 1;
        if (n == "store") track_of_tid[tid] = 2;
        if (n == "memory port") track_of_tid[tid] = 3;
      }
    }
    for (const auto& e : doc.at("traceEvents")) {
      if (e.value("ph", "") != "X") continue;
      const auto it = track_of_tid.find(e.value("tid", 0));
      if (it == track_of_tid.end()) continue;
      const uint64_t start = e.at("args").value("start_cycle", uint64_t(0));
      const uint64_t dur = e.at("args").value("cycles", uint64_t(0));
      t.tracks[it->second].emplace_back(start, start + dur);
      t.cycles = std::max(t.cycles, start + dur);
    }
  } catch (const nlohmann::json::exception& e) {
    throw UserError("the trace '" + path + "' is not a vtasim trace: " + e.what());
  }
  for (auto& tr : t.tracks) std::sort(tr.begin(), tr.end());
  return t;
}

Figure energy_figure(const std::vector<LayerResult>& rows, const HwConfig& cfg, const RunInfo& info) {
  const auto& names = EnergyBreakdown::component_names();
  std::ostringstream data, body;
  data << "# layer/threads";
  for (const auto& n : names) data << " " << n << "_uj";
  data << "\n";
  for (const auto& r : rows) {
    data << "\"" << r.layer << (r.threads == 2 ? " 2t" : " 1t") << "\"";
    for (double v : r.energy.components()) data << " " << gp_num(v * 1e-6);
    data << "\n";
  }
  const char* colours[] = {"#1f77b4", "#9467bd", "#c7c7c7", "#2ca02c", "#ff7f0e", "#8c564b", "#e377c2", "#d62728", "#7f7f7f"};
  body << "  set title " << gp_quote("Energy per layer by component (estimated from access counts): " + info.workload +
                                     "\n" + machine_subtitle(cfg, info))
       << " font \",11\"\n"
       << "  set style data histograms\n  set style histogram rowstacked\n  set style fill solid 0.9 noborder\n"
       << "  set boxwidth 0.8\n  set xtics rotate by -45\n  set grid ytics lc rgb \"#e0e0e0\"\n"
       << "  set ylabel \"energy per run of the layer (uJ)\"\n  set key outside right top\n";
  body << "  plot";
  for (size_t k = 0; k < names.size(); ++k) {
    body << (k ? ", \\\n      " : " ") << "data using " << k + 2 << (k == 0 ? ":xtic(1)" : "") << " title " << gp_quote(names[k])
         << " lc rgb \"" << colours[k] << "\"";
  }
  body << "\n";
  return Figure("energy", body.str(), data.str(), 1300, 700);
}

Figure timeline_figure(const std::string& layer, const std::vector<TimelineTrace>& traces, const HwConfig& cfg,
                       const RunInfo& info) {
  uint64_t xmax = 1;
  for (const auto& t : traces) xmax = std::max(xmax, t.cycles);
  // Intervals closer than this many cycles are merged: the chart cannot show them apart anyway.
  const uint64_t join = std::max<uint64_t>(1, xmax / 3000);
  std::ostringstream data, body;
  const char* names[] = {"load", "compute", "store", "memory port"};
  const double rows_y[] = {4, 3, 2, 1};
  for (const auto& t : traces) {
    for (int k = 0; k < 4; ++k) {
      data << "# " << t.threads << (t.threads == 1 ? " thread, " : " threads, ") << names[k]
           << ": start cycle, row, end cycle\n";
      int n = 0;
      uint64_t s = 0, e = 0;
      bool open = false;
      for (const auto& [a, b] : t.tracks[k]) {
        if (open && a <= e + join) {
          e = std::max(e, b);
          continue;
        }
        if (open) {
          data << s << " " << rows_y[k] << " " << e << "\n";
          ++n;
        }
        s = a;
        e = b;
        open = true;
      }
      if (open) {
        data << s << " " << rows_y[k] << " " << e << "\n";
        ++n;
      }
      if (n == 0) data << "0 " << rows_y[k] << " 0\n";
      data << "\n\n";
    }
  }
  body << "  set multiplot layout " << traces.size() << ",1 title "
       << gp_quote("Timeline of " + layer + " (" + info.workload + ")\n" + machine_subtitle(cfg, info)) << " font \",11\"\n"
       << "  set xrange [0:" << xmax << "]\n"
       << "  set yrange [0.4:4.6]\n"
       << "  set ytics (\"load\" 4, \"compute\" 3, \"store\" 2, \"memory port\" 1)\n"
       << "  set xlabel \"cycles\"\n"
       << "  set format x \"%.0f\"\n"
       << "  set grid xtics lc rgb \"#e0e0e0\"\n"
       << "  set style fill solid 0.9 noborder\n";
  const char* colours[] = {"#2ca02c", "#1f77b4", "#ff7f0e", "#7f7f7f"};
  for (size_t i = 0; i < traces.size(); ++i) {
    const auto& t = traces[i];
    body << "  set title " << gp_quote(std::to_string(t.threads) + (t.threads == 1 ? " thread: " : " threads: ") +
                                      std::to_string(t.cycles) + " cycles")
         << "\n  plot ";
    for (int k = 0; k < 4; ++k) {
      body << (k ? ", \\\n       " : "") << "data index " << i * 4 + size_t(k)
           << " using 1:2:1:3:($2-0.35):($2+0.35) with boxxyerror lc rgb \"" << colours[k] << "\" notitle";
    }
    body << "\n";
  }
  body << "  unset multiplot\n";
  return Figure("timeline", body.str(), data.str(), 1400, 350 * int(traces.size()) + 150);
}

}  // namespace vtasim
