// Analyses of a run's results (see analysis.h).
#include "plots/analysis.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace vtasim {

const std::vector<std::string>& ComputeBreakdown::names() {
  static const std::vector<std::string> n = {"busy", "waiting for loads", "waiting for the store side",
                                             "waiting for the memory port", "no command", "blocked pushing to load"};
  return n;
}

std::vector<double> ComputeBreakdown::values() const { return {busy, wait_load, wait_store, wait_memory, wait_cmd, other}; }

ComputeBreakdown compute_breakdown(const LayerResult& r) {
  ComputeBreakdown b;
  const double total = double(r.cycles);
  if (total <= 0) return b;
  if (!r.timing) return b;
  const ModuleStats& c = r.timing->of(Module::Compute);
  auto share = [&](Activity a) { return double(c.of(a)) / total; };
  b.busy = share(Activity::busy());
  b.wait_load = share(Activity::wait_token(TokenQueue::LoadToCompute));
  b.wait_store = share(Activity::wait_token(TokenQueue::StoreToCompute)) + share(Activity::full_token(TokenQueue::ComputeToStore));
  b.wait_memory = share(Activity::wait_memory());
  b.wait_cmd = share(Activity::wait_cmd());
  b.other = share(Activity::full_token(TokenQueue::ComputeToLoad));
  return b;
}

std::vector<LatencyHiding> latency_hiding(const std::vector<LayerResult>& rows) {
  std::vector<LatencyHiding> out;
  for (const auto& r : rows) {
    if (r.threads != 1 || !r.timed) continue;
    for (const auto& s : rows) {
      if (s.layer == r.layer && s.threads == 2 && s.timed && s.cycles > 0) {
        out.push_back({r.layer, &r, &s, double(r.cycles) / double(s.cycles)});
      }
    }
  }
  return out;
}

double geometric_mean_speedup(const std::vector<LatencyHiding>& lh) {
  if (lh.empty()) return 0;
  double log_sum = 0;
  for (const auto& l : lh) log_sum += std::log(l.speedup);
  return std::exp(log_sum / double(lh.size()));
}

std::vector<std::string> consistency_problems(const std::vector<LayerResult>& rows, const HwConfig& cfg) {
  std::vector<std::string> out;
  const double port = cfg.port_bytes_per_cycle();
  for (const auto& r : rows) {
    if (!r.timed) continue;
    const std::string who = "layer " + r.layer + " (" + std::to_string(r.threads) + " thread(s))";
    if (r.device_gops > r.roof_gops * (1 + 1e-9)) {
      std::ostringstream os;
      os << who << ": " << r.device_gops << " GOPS is above its roof of " << r.roof_gops << " GOPS at " << r.ai_ops_per_byte
         << " ops/byte (a modelling bug)";
      out.push_back(os.str());
    }
    const double gemm_uops = r.timing ? double(r.timing->counters.gemm_counter) : 0.0;
    const double bound = std::max(gemm_uops, double(r.dram_bytes) / port);
    if (double(r.cycles) < bound) {
      std::ostringstream os;
      os << who << ": " << r.cycles << " cycles is below the analytic lower bound of " << bound
         << " (GEMM micro-ops, or bytes at " << port << " bytes per cycle)";
      out.push_back(os.str());
    }
  }
  return out;
}

std::vector<std::string> findings(const std::vector<LayerResult>& rows, const HwConfig& cfg) {
  std::vector<std::string> f;
  std::ostringstream os;
  // Memory-bound layers (by arithmetic intensity against the ridge).
  std::vector<std::string> memory_bound;  // in the run's order
  for (const auto& r : rows) {
    if (r.bound == "memory") memory_bound.push_back(r.layer + " (" + std::to_string(r.threads) + "t)");
  }
  os << std::fixed << std::setprecision(1);
  if (memory_bound.empty()) {
    os << "Every layer is compute-bound by arithmetic intensity (all at or above the ridge of "
       << cfg.ridge_ops_per_byte() << " ops/byte).";
  } else {
    os << "Memory-bound (arithmetic intensity below the ridge of " << cfg.ridge_ops_per_byte() << " ops/byte): ";
    bool first = true;
    for (const auto& name : memory_bound) {
      os << (first ? "" : ", ") << name;
      first = false;
    }
    os << ".";
  }
  f.push_back(os.str());

  const auto lh = latency_hiding(rows);
  if (!lh.empty()) {
    std::ostringstream l;
    l << std::fixed << std::setprecision(2) << "Latency hiding (two virtual threads over one): ";
    const LatencyHiding* best = &lh.front();
    const LatencyHiding* worst = &lh.front();
    for (size_t i = 0; i < lh.size(); ++i) {
      l << (i ? ", " : "") << lh[i].layer << " x" << lh[i].speedup;
      if (lh[i].speedup > best->speedup) best = &lh[i];
      if (lh[i].speedup < worst->speedup) worst = &lh[i];
    }
    l << "; geometric mean x" << geometric_mean_speedup(lh) << ", best " << best->layer << ", least " << worst->layer << ".";
    f.push_back(l.str());
  }

  // Largest stall cause of the compute unit, cycles weighted by each layer's count, per mode.
  for (uint32_t threads : {1u, 2u}) {
    std::vector<double> sum(ComputeBreakdown::names().size(), 0);
    double total = 0;
    for (const auto& r : rows) {
      if (r.threads != threads || !r.timed) continue;
      const auto v = compute_breakdown(r).values();
      for (size_t k = 0; k < v.size(); ++k) sum[k] += v[k] * double(r.cycles) * r.count;
      total += double(r.cycles) * r.count;
    }
    if (total <= 0) continue;
    size_t worst = 1;
    for (size_t k = 1; k < sum.size(); ++k)
      if (sum[k] > sum[worst]) worst = k;
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << "With " << threads << (threads == 1 ? " thread" : " threads")
      << ", the compute unit is busy " << 100 * sum[0] / total << "% of the network's cycles; its largest stall is "
      << ComputeBreakdown::names()[worst] << " (" << 100 * sum[worst] / total << "%).";
    f.push_back(s.str());
  }

  for (const auto& t : network_totals(rows)) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(2) << "Network (" << t.threads << (t.threads == 1 ? " thread" : " threads")
      << ", layers weighted by count): ";
    if (t.time_us > 0) s << t.time_us / 1000.0 << " ms, " << t.gops << " GOPS (" << 100 * t.gops / cfg.peak_gops() << "% of peak), ";
    s << t.dram_bytes / 1e6 << " MB over the memory port.";
    f.push_back(s.str());
  }
  return f;
}

}  // namespace vtasim
