// Analyses of a run's results (see analysis.h).
#include "plots/analysis.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "models/parse.h"

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
    double port_bytes = 0;  // every byte over the port (DRAM bytes plus cache hits)
    for (auto b : r.bytes) port_bytes += double(b);
    const double bound = std::max(gemm_uops, port_bytes / port);
    if (double(r.cycles) < bound) {
      std::ostringstream os;
      os << who << ": " << r.cycles << " cycles is below the analytic lower bound of " << bound
         << " (GEMM micro-ops, or bytes at " << port << " bytes per cycle)";
      out.push_back(os.str());
    }
  }
  return out;
}

namespace {

std::string mb(double bytes) { return format_fixed(bytes / 1e6, bytes < 1e7 ? 2 : 1) + " MB"; }

// Share of the hardware's MACs that compute the layer rather than padding (input or output channels
// short of a block, images short of BATCH): the layer's MACs over GEMM micro-ops x MACs per micro-op.
double useful_mac_share(const LayerResult& r, const HwConfig& cfg) {
  if (!r.timing || r.timing->counters.gemm_counter == 0) return 1.0;
  return double(r.macs) / (double(r.timing->counters.gemm_counter) * double(cfg.macs_per_cycle()));
}

double port_busy_share(const LayerResult& r) {
  return r.timing && r.cycles ? double(r.timing->port_busy_cycles) / double(r.cycles) : 0.0;
}

std::string memory_bound_finding(const std::vector<LayerResult>& rows, const HwConfig& cfg) {
  std::vector<std::string> names;
  for (const auto& r : rows) {
    if (r.bound == "memory") names.push_back(r.layer + " (" + std::to_string(r.threads) + "t)");
  }
  const std::string ridge = format_fixed(cfg.ridge_ops_per_byte(), 1) + " ops/byte";
  if (names.empty()) return "Every layer is compute-bound by arithmetic intensity (all at or above the ridge of " + ridge + ").";
  std::string out = "Memory-bound (arithmetic intensity below the ridge of " + ridge + "): ";
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + ".";
}

// The network-level gain of two threads (count-weighted), with the per-layer geometric mean beside it.
std::string latency_hiding_finding(const std::vector<LatencyHiding>& lh, const std::vector<LayerResult>& rows) {
  double t1 = 0, t2 = 0;
  for (const auto& t : network_totals(rows)) (t.threads == 1 ? t1 : t2) = t.time_us;
  std::vector<LatencyHiding> counted;
  for (const auto& l : lh)
    if (l.one->count > 0) counted.push_back(l);
  std::ostringstream l;
  l << std::fixed << std::setprecision(2);
  if (t1 > 0 && t2 > 0) {
    l << "Latency hiding: two virtual threads run the network in " << std::setprecision(1) << t2 / 1000 << " ms instead of "
      << t1 / 1000 << " ms (x" << std::setprecision(2) << t1 / t2 << ", layers weighted by count)";
  } else {
    l << "Latency hiding (two virtual threads over one)";
  }
  if (!counted.empty()) {
    const auto [lo, hi] = std::minmax_element(counted.begin(), counted.end(), [](const LatencyHiding& a, const LatencyHiding& b) {
      return a.speedup < b.speedup;
    });
    l << "; per layer: geometric mean x" << geometric_mean_speedup(counted) << " over the " << counted.size()
      << " layers in the network, best " << hi->layer << " x" << hi->speedup << ", least " << lo->layer << " x" << lo->speedup;
  }
  l << ".";
  return l.str();
}

// Why two threads lost on a layer, from its numbers: VTA's virtual threads split every buffer in
// two, so tiles shrink and data is reloaded more often.
std::string slower_with_two_threads(const LatencyHiding& l) {
  const LayerResult &a = *l.one, &b = *l.two;
  std::ostringstream os;
  os << std::fixed << std::setprecision(2) << l.layer << ": two threads are slower (x" << l.speedup
     << "). Each thread gets half of every on-chip buffer, so tiles are smaller and data is loaded more often: ";
  const double w1 = double(a.bytes[int(ByteKind::Wgt)]), w2 = double(b.bytes[int(ByteKind::Wgt)]);
  const double i1 = double(a.bytes[int(ByteKind::Inp)]), i2 = double(b.bytes[int(ByteKind::Inp)]);
  std::vector<std::string> parts;
  if (w1 > 0 && w2 > w1 * 1.05) parts.push_back("weights " + format_fixed(w2 / w1, 1) + "x (" + mb(w1) + " -> " + mb(w2) + ")");
  if (i1 > 0 && i2 > i1 * 1.05) parts.push_back("inputs " + format_fixed(i2 / i1, 1) + "x (" + mb(i1) + " -> " + mb(i2) + ")");
  if (parts.empty()) parts.push_back("about as many bytes as with one thread");
  for (size_t i = 0; i < parts.size(); ++i) os << (i ? ", " : "") << parts[i];
  const double ratio = a.dram_bytes ? double(b.dram_bytes) / double(a.dram_bytes) : 0.0;
  os << "; " << format_fixed(ratio, 1) << "x the DRAM bytes, and the port is busy " << format_fixed(100 * port_busy_share(b), 0)
     << "% of the time (" << format_fixed(100 * port_busy_share(a), 0) << "% with one thread)";
  if (b.bound == "memory" && a.bound != "memory") os << ", so the layer becomes memory-bound";
  os << ".";
  return os.str();
}

std::string compute_finding(const std::vector<LayerResult>& rows, const HwConfig& cfg, uint32_t threads) {
  std::vector<double> sum(ComputeBreakdown::names().size(), 0);
  double total = 0, gemm = 0, macs = 0, hw_macs = 0;
  for (const auto& r : rows) {
    if (r.threads != threads || !r.timed || !r.timing) continue;
    const auto v = compute_breakdown(r).values();
    for (size_t k = 0; k < v.size(); ++k) sum[k] += v[k] * double(r.cycles) * r.count;
    total += double(r.cycles) * r.count;
    gemm += double(r.timing->counters.gemm_counter) * r.count;
    macs += double(r.macs) * r.count;
    hw_macs += double(r.timing->counters.gemm_counter) * double(cfg.macs_per_cycle()) * r.count;
  }
  if (total <= 0) return "";
  size_t worst = 1;
  for (size_t k = 1; k < sum.size(); ++k)
    if (sum[k] > sum[worst]) worst = k;
  const double useful = hw_macs > 0 ? macs / hw_macs : 1.0;
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << "With " << threads << (threads == 1 ? " thread" : " threads")
    << ", the compute unit is busy " << 100 * sum[0] / total << "% of the network's cycles (largest stall: "
    << ComputeBreakdown::names()[worst] << ", " << 100 * sum[worst] / total << "%). GEMM micro-ops fill "
    << 100 * gemm / total << "% of the cycles (the rest of the busy time is pipeline fill, the ALU epilogue and micro-op "
    << "loads) and " << 100 * useful << "% of their MACs are useful, which gives " << 100 * gemm / total * useful
    << "% of peak.";
  return s.str();
}

// Layers whose GEMM work is mostly padding: channels short of a block, images short of BATCH.
std::string padding_finding(const std::vector<LayerResult>& rows, const HwConfig& cfg) {
  std::vector<std::string> low;
  for (const auto& r : rows) {
    if (r.threads != rows.front().threads) continue;
    const double share = useful_mac_share(r, cfg);
    if (share < 0.9) low.push_back(r.layer + " " + format_fixed(100 * share, 0) + "%");
  }
  if (low.empty()) return "";
  std::string out = "Useful share of the GEMM core's MACs (the rest multiplies padding: input or output channels short "
                    "of a " + std::to_string(cfg.block_in()) + "-wide block";
  if (cfg.batch() > 1) out += ", or images short of BATCH " + std::to_string(cfg.batch());
  out += "): ";
  for (size_t i = 0; i < low.size(); ++i) out += (i ? ", " : "") + low[i];
  return out + ". Their utilisation is capped at that share.";
}

// Time and bytes per operator type, at each thread count, for networks of more than one operator.
std::vector<std::string> operator_findings(const std::vector<LayerResult>& rows) {
  std::vector<std::string> out;
  std::vector<std::string> ops;
  for (const auto& r : rows)
    if (std::find(ops.begin(), ops.end(), r.op) == ops.end()) ops.push_back(r.op);
  if (ops.size() < 2) return out;
  for (uint32_t threads : {1u, 2u}) {
    double total = 0;
    std::vector<double> time(ops.size(), 0), bytes(ops.size(), 0);
    std::vector<int> layers(ops.size(), 0);
    for (const auto& r : rows) {
      if (r.threads != threads || !r.timed) continue;
      const size_t k = size_t(std::find(ops.begin(), ops.end(), r.op) - ops.begin());
      time[k] += r.count * r.time_us;
      bytes[k] += r.count * double(r.dram_bytes);
      layers[k] += r.count;
      total += r.count * r.time_us;
    }
    if (total <= 0) continue;
    std::string s = "Time by operator (" + std::to_string(threads) + (threads == 1 ? " thread" : " threads") + "): ";
    for (size_t k = 0; k < ops.size(); ++k) {
      s += (k ? "; " : "") + ops[k] + " " + format_fixed(100 * time[k] / total, 1) + "% (" + std::to_string(layers[k]) +
           (layers[k] == 1 ? " layer, " : " layers, ") + format_fixed(time[k] / 1000, 2) + " ms, " +
           format_fixed(bytes[k] / 1e6, 1) + " MB)";
    }
    out.push_back(s + ". Every operator ran on the accelerator (no host operators).");
  }
  return out;
}

// Where a network's energy goes, and what two threads do to it.
std::vector<std::string> energy_findings(const std::vector<LayerResult>& rows) {
  std::vector<std::string> out;
  const auto totals = network_totals(rows);
  for (const auto& t : totals) {
    const double pj = t.energy.total();
    if (pj <= 0) continue;
    const auto v = t.energy.components();
    double sram = 0;
    for (int b = 0; b < kBufferCount; ++b) sram += t.energy.sram[b];
    out.push_back("Energy (" + std::to_string(t.threads) + (t.threads == 1 ? " thread" : " threads") + ", estimated): " +
                  format_fixed(t.uj_per_image * 1e-3, 2) + " mJ per image, " + format_fixed(t.pj_per_op, 2) + " pJ/op, " +
                  format_fixed(t.gops_per_w, 1) + " GOPS/W; DRAM " + format_fixed(100 * t.energy.dram / pj, 0) +
                  "%, on-chip buffers " + format_fixed(100 * sram / pj, 0) + "%, MACs " +
                  format_fixed(100 * t.energy.mac / pj, 0) + "%, ALU " + format_fixed(100 * t.energy.alu / pj, 0) +
                  "%, static " + format_fixed(100 * t.energy.static_energy / pj, 0) + "%.");
  }
  if (totals.size() == 2 && totals[0].energy.total() > 0 && totals[1].energy.total() > 0) {
    const double e1 = totals[0].uj_per_image, e2 = totals[1].uj_per_image;
    const double d1 = totals[0].energy.dram, d2 = totals[1].energy.dram;
    out.push_back("Two threads change the energy per image by " + std::string(e2 >= e1 ? "+" : "") +
                  format_fixed(100 * (e2 / e1 - 1), 1) + "% (DRAM energy " + (d2 >= d1 ? "+" : "") +
                  format_fixed(d1 > 0 ? 100 * (d2 / d1 - 1) : 0.0, 1) + "%: half-size buffers per thread reload more data).");
  }
  return out;
}

std::string count_zero_finding(const std::vector<LayerResult>& rows) {
  std::vector<std::string> zero;
  for (const auto& r : rows)
    if (r.count == 0 && (zero.empty() || zero.back() != r.layer)) zero.push_back(r.layer);
  if (zero.empty()) return "";
  std::string out;
  for (size_t i = 0; i < zero.size(); ++i) out += (i ? ", " : "") + zero[i];
  return out + (zero.size() == 1 ? " has" : " have") +
         " count 0: a benchmark shape that does not occur in the network, shown but not in the network totals.";
}

}  // namespace

std::vector<std::string> findings(const std::vector<LayerResult>& rows, const HwConfig& cfg) {
  std::vector<std::string> f;
  auto add = [&](const std::string& s) {
    if (!s.empty()) f.push_back(s);
  };
  add(memory_bound_finding(rows, cfg));
  const auto lh = latency_hiding(rows);
  if (!lh.empty()) add(latency_hiding_finding(lh, rows));
  for (const auto& l : lh)
    if (l.speedup < 1.0) add(slower_with_two_threads(l));
  for (uint32_t threads : {1u, 2u}) add(compute_finding(rows, cfg, threads));
  if (!rows.empty()) add(padding_finding(rows, cfg));
  add(count_zero_finding(rows));
  for (const auto& e : energy_findings(rows)) add(e);
  for (const auto& o : operator_findings(rows)) add(o);
  for (const auto& t : network_totals(rows)) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(2) << "Network (" << t.threads << (t.threads == 1 ? " thread" : " threads")
      << ", layers weighted by count): ";
    if (t.time_us > 0) {
      s << t.time_us / 1000.0 << " ms, " << t.gops << " GOPS (" << std::setprecision(1) << 100 * t.gops / cfg.peak_gops()
        << "% of peak), " << std::setprecision(2) << t.us_per_image / 1000.0 << " ms per image (" << std::setprecision(1)
        << t.images_per_s << " images/s), ";
    }
    s << std::setprecision(1) << t.dram_bytes / 1e6 << " MB to and from DRAM.";
    f.push_back(s.str());
  }
  return f;
}

}  // namespace vtasim
