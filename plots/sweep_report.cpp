// A sweep's summary.md (see sweep_figures.h): the best designs, why the fastest wins, the top ten, and
// what was skipped or failed. Every statement is computed from the merged results.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "models/parse.h"
#include "plots/analysis.h"
#include "plots/sweep_figures.h"

namespace vtasim {

namespace {

std::string pct(double share) { return format_fixed(100 * share, 0) + "%"; }

// The thread count of a point's best latency (1 or 2).
int best_threads(const SweepPointSummary& p) {
  if (p.has[0] && p.has[1]) return p.latency_ms[1] < p.latency_ms[0] ? 2 : 1;
  return p.has[1] ? 2 : 1;
}

// Where a design's time goes at its best thread count, layers weighted by count.
struct Profile {
  double cycles = 0, memory_bound = 0, compute_busy = 0, port_busy = 0, dram_bytes = 0;
  std::string largest_stall;
  double largest_stall_share = 0;
};

Profile profile(const std::vector<LayerResult>& rows, uint32_t threads) {
  Profile pr;
  std::vector<double> stalls(ComputeBreakdown::names().size(), 0);
  for (const auto& r : rows) {
    if (r.threads != threads || !r.timed) continue;
    const double w = double(r.count) * double(r.cycles);
    pr.cycles += w;
    if (r.bound == "memory") pr.memory_bound += w;
    const auto b = compute_breakdown(r).values();
    for (size_t k = 0; k < b.size(); ++k) stalls[k] += b[k] * w;
    if (r.timing) pr.port_busy += double(r.count) * double(r.timing->port_busy_cycles);
    pr.dram_bytes += double(r.count) * double(r.dram_bytes);
  }
  if (pr.cycles <= 0) return pr;
  pr.memory_bound /= pr.cycles;
  pr.compute_busy = stalls[0] / pr.cycles;
  pr.port_busy /= pr.cycles;
  size_t worst = 1;
  for (size_t k = 1; k < stalls.size(); ++k)
    if (stalls[k] > stalls[worst]) worst = k;
  pr.largest_stall = ComputeBreakdown::names()[worst];
  pr.largest_stall_share = stalls[worst] / pr.cycles;
  return pr;
}

std::string name_of(const SweepResults& r, size_t i) {
  return "`" + r.points[i].id + "` (" + display_point(r.axes, r.points[i].values) + ")";
}

// Why the fastest design beats the runner-up, from peak throughput, bytes moved and where time goes.
std::string why_it_wins(const SweepResults& r, size_t best, size_t second) {
  const SweepPointSummary &a = r.points[best], &b = r.points[second];
  const int ta = best_threads(a), tb = best_threads(b);
  const Profile pa = profile(r.rows.at(best), uint32_t(ta)), pb = profile(r.rows.at(second), uint32_t(tb));
  std::ostringstream os;
  os << name_of(r, best) << " runs the network in " << format_fixed(a.best_latency_ms(), 2) << " ms with " << ta
     << (ta == 1 ? " thread" : " threads") << ", x" << format_fixed(b.best_latency_ms() / a.best_latency_ms(), 2)
     << " faster than the runner-up " << name_of(r, second) << " (" << format_fixed(b.best_latency_ms(), 2) << " ms, " << tb
     << (tb == 1 ? " thread" : " threads") << "):\n\n";
  os << "| | winner | runner-up |\n|---|---|---|\n"
     << "| peak (GOPS) | " << format_fixed(a.peak_gops, 1) << " | " << format_fixed(b.peak_gops, 1) << " |\n"
     << "| network GOPS | " << format_fixed(a.best_gops(), 2) << " | " << format_fixed(b.best_gops(), 2) << " |\n"
     << "| DRAM bytes (MB) | " << format_fixed(pa.dram_bytes / 1e6, 1) << " | " << format_fixed(pb.dram_bytes / 1e6, 1) << " |\n"
     << "| time in memory-bound layers | " << pct(pa.memory_bound) << " | " << pct(pb.memory_bound) << " |\n"
     << "| compute unit busy | " << pct(pa.compute_busy) << " | " << pct(pb.compute_busy) << " |\n"
     << "| memory port busy | " << pct(pa.port_busy) << " | " << pct(pb.port_busy) << " |\n"
     << "| largest compute stall | " << pa.largest_stall << " " << pct(pa.largest_stall_share) << " | "
     << pb.largest_stall << " " << pct(pb.largest_stall_share) << " |\n"
     << "| energy per image (mJ, estimated) | " << format_fixed(a.energy_uj() * 1e-3, 2) << " | "
     << format_fixed(b.energy_uj() * 1e-3, 2) << " |\n"
     << "| DSP / RAMB36 (estimated) | " << format_fixed(a.dsp, 0) << " / " << format_fixed(a.bram36, 1) << " | " << format_fixed(b.dsp, 0)
     << " / " << format_fixed(b.bram36, 1) << " |\n\n";
  std::vector<std::string> reasons;
  if (a.peak_gops > b.peak_gops * 1.05) reasons.push_back("a " + format_fixed(a.peak_gops / b.peak_gops, 1) + "x higher peak");
  if (pa.dram_bytes < pb.dram_bytes * 0.95) {
    reasons.push_back("moving " + format_fixed(pa.dram_bytes / pb.dram_bytes, 2) + "x the DRAM bytes");
  }
  if (pa.compute_busy > pb.compute_busy + 0.03) {
    reasons.push_back("its compute unit is busy " + pct(pa.compute_busy) + " of the time instead of " + pct(pb.compute_busy));
  }
  if (pa.memory_bound + 0.05 < pb.memory_bound) {
    reasons.push_back("less of its time in memory-bound layers (" + pct(pa.memory_bound) + " against " +
                      pct(pb.memory_bound) + ")");
  }
  if (ta == 2 && tb == 1) reasons.push_back("two virtual threads hide its memory latency");
  if (reasons.empty()) reasons.push_back("the two are close: no single cause stands out in these totals");
  os << "It wins by ";
  for (size_t i = 0; i < reasons.size(); ++i) {
    os << (i == 0 ? "" : i + 1 == reasons.size() ? " and " : ", ") << reasons[i];
  }
  os << ".\n";
  return os.str();
}

double latency_key(const SweepPointSummary& p) { return p.best_latency_ms(); }
double gops_key(const SweepPointSummary& p) { return -p.best_gops(); }
double images_key(const SweepPointSummary& p) { return -p.best_images_per_s(); }
double energy_key(const SweepPointSummary& p) { return p.energy_uj(); }
double edp_key(const SweepPointSummary& p) { return p.edp(); }
double gops_per_dsp_key(const SweepPointSummary& p) { return p.dsp > 0 ? -p.best_gops() / p.dsp : 0.0; }

void list_points(std::ostringstream& md, const SweepResults& r, const std::string& status, const std::string& title) {
  std::vector<size_t> these;
  for (size_t i = 0; i < r.points.size(); ++i)
    if (r.points[i].status == status) these.push_back(i);
  if (these.empty()) return;
  md << "## " << title << " (" << these.size() << ")\n\n| point | design | reason |\n|---|---|---|\n";
  for (size_t i : these) {
    md << "| `" << r.points[i].id << "` | " << display_point(r.axes, r.points[i].values) << " | " << r.points[i].failure
       << " |\n";
  }
  md << "\n";
}

}  // namespace

std::string sweep_summary_markdown(const SweepResults& r, const std::string& spec, const std::vector<std::string>& figures) {
  std::ostringstream md;
  size_t ok = 0, fitting = 0;
  std::string part;
  for (const auto& p : r.points) {
    ok += p.status == "ok";
    fitting += p.status == "ok" && p.fits;
    if (part.empty()) part = p.part;
  }
  md << "# vtasim sweep" << (spec.empty() ? "" : ": " + spec) << "\n\n"
     << r.points.size() << " design points over " << r.axes.size() << (r.axes.size() == 1 ? " axis" : " axes") << " (";
  for (size_t i = 0; i < r.axes.size(); ++i) md << (i ? ", " : "") << r.axes[i];
  md << "): " << ok << " finished, " << fitting << " of them fit the " << (part.empty() ? "part" : part) << ". "
     << (r.fit_only ? "Constraint: only designs that fit their part are ranked."
                    : "No fit constraint: designs that do not fit are ranked too (marked).")
     << " Network times weight every layer by its count; each design at its better thread count. Latency is "
        "the time of one batch (a BATCH-2 core finishes two images together); images per second is the throughput.\n\n";

  const auto by_latency = r.ranked(latency_key);
  md << "## Best designs" << (r.fit_only ? " that fit" : "") << "\n\n";
  if (by_latency.empty()) {
    md << "No design " << (r.fit_only ? "that fits its part " : "") << "finished.\n\n";
  } else {
    md << "| objective | design | value | latency (ms) | images/s | GOPS | DSP | fits |\n|---|---|---|---|---|---|---|---|\n";
    const struct {
      const char* name;
      double (*key)(const SweepPointSummary&);
    } objectives[] = {{"network latency", latency_key},
                      {"images per second", images_key},
                      {"network GOPS", gops_key},
                      {"GOPS per DSP", gops_per_dsp_key},
                      {"energy per image", energy_key},
                      {"energy-delay product", edp_key}};
    for (const auto& o : objectives) {
      const size_t i = r.ranked(o.key).front();
      const auto& p = r.points[i];
      const std::string value = o.key == latency_key  ? format_fixed(p.best_latency_ms(), 2) + " ms"
                                : o.key == images_key ? format_fixed(p.best_images_per_s(), 2) + " images/s"
                                : o.key == gops_key   ? format_fixed(p.best_gops(), 2) + " GOPS"
                                : o.key == energy_key ? format_fixed(p.energy_uj() * 1e-3, 2) + " mJ/image"
                                : o.key == edp_key    ? format_fixed(p.edp() * 1e-3, 2) + " mJ x ms"
                                                      : format_fixed(p.dsp > 0 ? p.best_gops() / p.dsp : 0.0, 3) + " GOPS/DSP";
      md << "| " << o.name << " | " << name_of(r, i) << " | " << value << " | " << format_fixed(p.best_latency_ms(), 2) << " | "
         << format_fixed(p.best_images_per_s(), 2) << " | " << format_fixed(p.best_gops(), 2) << " | " << format_fixed(p.dsp, 0) << " | " << (p.fits ? "yes" : "no") << " |\n";
    }
    md << "\n";
    if (by_latency.size() >= 2) md << "### Why the fastest wins\n\n" << why_it_wins(r, by_latency[0], by_latency[1]) << "\n";
    if (r.fit_only) {
      const auto unconstrained = r.ranked(latency_key, false);
      if (!unconstrained.empty() && !r.points[unconstrained.front()].fits) {
        const auto& p = r.points[unconstrained.front()];
        md << "The fastest design overall, " << name_of(r, unconstrained.front()) << " (" << format_fixed(p.best_latency_ms(), 2)
           << " ms), does not fit: it needs " << format_fixed(p.dsp, 0) << " DSP and " << format_fixed(p.bram36, 1)
           << " RAMB36 of the " << p.part << "'s " << format_fixed(p.part_dsp, 0) << " and " << format_fixed(p.part_bram36, 0)
           << " (limiting: " << p.limiting << ").\n\n";
      }
    }
    md << "## Top " << std::min<size_t>(10, by_latency.size()) << " by network latency\n\n"
       << "| # | point | design | 1 thread (ms) | 2 threads (ms) | GOPS | DRAM MB | mJ per image | DSP | RAMB36 | fits |\n"
       << "|---|---|---|---|---|---|---|---|---|---|---|\n";
    for (size_t k = 0; k < by_latency.size() && k < 10; ++k) {
      const auto& p = r.points[by_latency[k]];
      const int t = best_threads(p) - 1;
      md << "| " << k + 1 << " | `" << p.id << "` | " << display_point(r.axes, p.values) << " | "
         << (p.has[0] ? format_fixed(p.latency_ms[0], 2) : "-") << " | " << (p.has[1] ? format_fixed(p.latency_ms[1], 2) : "-") << " | "
         << format_fixed(p.best_gops(), 2) << " | " << format_fixed(p.dram_mb[t], 1) << " | "
         << format_fixed(p.energy_uj() * 1e-3, 2) << " | " << format_fixed(p.dsp, 0) << " | "
         << format_fixed(p.bram36, 1) << " | " << (p.fits ? "yes" : "no") << " |\n";
    }
    md << "\n";
  }
  list_points(md, r, "skipped", "Skipped: the model rejects the configuration");
  list_points(md, r, "failed", "Failed");
  list_points(md, r, "missing", "Not run yet");
  if (!figures.empty()) {
    md << "## Figures\n\n";
    for (const auto& f : figures) {
      if (f.size() > 4 && f.compare(f.size() - 4, 4, ".png") == 0) md << "![" << f << "](" << f << ")\n\n";
      else md << "- `" << f << "` (gnuplot was not available: run `gnuplot " << f << "`)\n";
    }
  }
  return md.str();
}

}  // namespace vtasim
