// Comparison of two runs (see diff.h).
#include "plots/diff.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "models/errors.h"
#include "models/parse.h"
#include "plots/analysis.h"

namespace vtasim {

namespace {

std::string shift_of(const LayerResult& a, const LayerResult& b) {
  if (!a.timing || !b.timing) return "";
  const auto va = compute_breakdown(a).values(), vb = compute_breakdown(b).values();
  size_t most = 0;
  for (size_t k = 1; k < va.size(); ++k)
    if (std::fabs(vb[k] - va[k]) > std::fabs(vb[most] - va[most])) most = k;
  return ComputeBreakdown::names()[most] + " " + format_fixed(100 * va[most], 0) + "% -> " + format_fixed(100 * vb[most], 0) + "%";
}

}  // namespace

RunDiff diff_runs(const ResultsDir& a, const ResultsDir& b, const std::string& name_a, const std::string& name_b) {
  // Same workload: the same layers with the same work, whichever order they ran in.
  auto find = [](const ResultsDir& d, const std::string& layer, uint32_t threads) -> const LayerResult* {
    for (const auto& r : d.rows)
      if (r.layer == layer && r.threads == threads) return &r;
    return nullptr;
  };
  for (const auto& [one, other, one_name, other_name] :
       {std::make_tuple(&a, &b, name_a, name_b), std::make_tuple(&b, &a, name_b, name_a)}) {
    for (const auto& r : one->rows) {
      const LayerResult* match = find(*other, r.layer, r.threads);
      if (!match) {
        throw UserError("the workloads differ: " + one_name + " has layer " + r.layer + " with " + std::to_string(r.threads) +
                        " thread(s), " + other_name + " has not (compare runs of the same layers)");
      }
      if (match->macs != r.macs) {
        throw UserError("the workloads differ: layer " + r.layer + " has " + std::to_string(r.macs) + " MACs in " + one_name +
                        " and " + std::to_string(match->macs) + " in " + other_name +
                        " (a different shape or batch); compare runs of the same workload");
      }
    }
  }
  RunDiff d;
  for (const auto& ra : a.rows) {
    const LayerResult* rb = find(b, ra.layer, ra.threads);
    LayerDiff l;
    l.layer = ra.layer;
    l.threads = ra.threads;
    l.count = ra.count;
    l.a = &ra;
    l.b = rb;
    l.speedup = (ra.timed && rb->timed && rb->time_us > 0) ? ra.time_us / rb->time_us : 0.0;
    l.stall_shift = shift_of(ra, *rb);
    d.layers.push_back(l);
  }
  d.totals_a = network_totals(a.rows);
  d.totals_b = network_totals(b.rows);
  return d;
}

std::string run_diff_text(const RunDiff& d) {
  std::ostringstream os;
  os << std::left << std::setw(8) << "layer" << std::right << std::setw(4) << "thr" << std::setw(12) << "cycles A"
     << std::setw(12) << "cycles B" << std::setw(9) << "speedup" << std::setw(10) << "GOPS A" << std::setw(10) << "GOPS B"
     << std::setw(9) << "bytes" << "  bound\n";
  for (const auto& l : d.layers) {
    os << std::left << std::setw(8) << l.layer << std::right << std::setw(4) << l.threads << std::setw(12) << l.a->cycles
       << std::setw(12) << l.b->cycles << std::setw(8) << format_fixed(l.speedup, 2) << "x" << std::setw(10) << format_fixed(l.a->gops, 2)
       << std::setw(10) << format_fixed(l.b->gops, 2) << std::setw(8)
       << format_fixed(l.a->dram_bytes ? double(l.b->dram_bytes) / double(l.a->dram_bytes) : 0.0, 2) << "x  " << l.a->bound
       << (l.a->bound == l.b->bound ? "" : " -> " + l.b->bound) << "\n";
  }
  for (const auto& ta : d.totals_a) {
    for (const auto& tb : d.totals_b) {
      if (ta.threads != tb.threads || tb.time_us <= 0) continue;
      os << "network (" << ta.threads << (ta.threads == 1 ? " thread" : " threads") << "): " << format_fixed(ta.time_us / 1000, 2)
         << " ms -> " << format_fixed(tb.time_us / 1000, 2) << " ms, x" << format_fixed(ta.time_us / tb.time_us, 3) << "; "
         << format_fixed(ta.dram_bytes / 1e6, 1) << " -> " << format_fixed(tb.dram_bytes / 1e6, 1) << " MB to and from DRAM\n";
    }
  }
  return os.str();
}

std::string run_diff_markdown(const RunDiff& d, const std::string& name_a, const std::string& name_b) {
  std::ostringstream md;
  md << "# vtasim diff\n\nA: `" << name_a << "`, B: `" << name_b << "`. Speedup = time of A / time of B (above 1: B is "
     << "faster).\n\n## Network\n\n| threads | A (ms) | B (ms) | speedup | A GOPS | B GOPS | A MB | B MB |\n"
     << "|---|---|---|---|---|---|---|---|\n";
  for (const auto& ta : d.totals_a)
    for (const auto& tb : d.totals_b) {
      if (ta.threads != tb.threads || tb.time_us <= 0) continue;
      md << "| " << ta.threads << " | " << format_fixed(ta.time_us / 1000, 2) << " | " << format_fixed(tb.time_us / 1000, 2) << " | x"
         << format_fixed(ta.time_us / tb.time_us, 3) << " | " << format_fixed(ta.gops, 2) << " | " << format_fixed(tb.gops, 2) << " | "
         << format_fixed(ta.dram_bytes / 1e6, 1) << " | " << format_fixed(tb.dram_bytes / 1e6, 1) << " |\n";
    }
  md << "\n## Layers\n\n| layer | threads | A cycles | B cycles | speedup | A GOPS | B GOPS | bytes B/A | bound | "
     << "largest shift in the compute unit's time |\n|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& l : d.layers) {
    md << "| " << l.layer << " | " << l.threads << " | " << l.a->cycles << " | " << l.b->cycles << " | x"
       << format_fixed(l.speedup, 2) << " | " << format_fixed(l.a->gops, 2) << " | " << format_fixed(l.b->gops, 2) << " | "
       << format_fixed(l.a->dram_bytes ? double(l.b->dram_bytes) / double(l.a->dram_bytes) : 0.0, 2) << " | " << l.a->bound
       << (l.a->bound == l.b->bound ? "" : " -> " + l.b->bound) << " | " << l.stall_shift << " |\n";
  }
  // The largest shifts, layers weighted by their share of A's network time.
  std::vector<const LayerDiff*> by_change;
  for (const auto& l : d.layers)
    if (l.speedup > 0) by_change.push_back(&l);
  std::sort(by_change.begin(), by_change.end(), [](const LayerDiff* x, const LayerDiff* y) {
    return std::fabs(std::log(x->speedup)) > std::fabs(std::log(y->speedup));
  });
  if (!by_change.empty()) {
    md << "\nLargest changes: ";
    for (size_t i = 0; i < by_change.size() && i < 3; ++i) {
      md << (i ? "; " : "") << by_change[i]->layer << " (" << by_change[i]->threads << "t) x"
         << format_fixed(by_change[i]->speedup, 2) << (by_change[i]->stall_shift.empty() ? "" : ", " + by_change[i]->stall_shift);
    }
    md << ".\n";
  }
  md << "\n![diff_speedup.png](diff_speedup.png)\n";
  return md.str();
}

Figure run_diff_figure(const RunDiff& d, const std::string& name_a, const std::string& name_b) {
  std::ostringstream data, body;
  data << "# layer, speedup with 1 thread, speedup with 2 threads (time A / time B; NaN: not run)\n";
  std::vector<std::string> layers;
  for (const auto& l : d.layers)
    if (std::find(layers.begin(), layers.end(), l.layer) == layers.end()) layers.push_back(l.layer);
  for (const auto& name : layers) {
    double s[2] = {NAN, NAN};
    for (const auto& l : d.layers)
      if (l.layer == name && l.speedup > 0) s[l.threads == 2 ? 1 : 0] = l.speedup;
    data << "\"" << name << "\" " << gp_num(s[0]) << " " << gp_num(s[1]) << "\n";
  }
  body << "  set title " << gp_quote("Per-layer speedup of B over A (time A / time B)\nA: " + name_a + "   B: " + name_b)
       << " font \",12\"\n"
       << "  set style data histograms\n  set style histogram clustered gap 1\n  set style fill solid 0.85 noborder\n"
       << "  set boxwidth 0.9\n  set datafile missing \"nan\"\n  set grid ytics lc rgb \"#e0e0e0\"\n"
       << "  set ylabel \"speedup (x)\"\n  set yrange [0:*]\n  set key top left\n"
       << "  set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb \"gray30\"\n"
       << "  plot data using 2:xtic(1) title \"1 thread\" lc rgb \"#1f77b4\", '' using 3 title \"2 threads\" lc rgb \"#d62728\"\n";
  return Figure("diff_speedup", body.str(), data.str(), 1200, 650);
}

}  // namespace vtasim
