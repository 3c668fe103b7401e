// The markdown report (see report.h).
#include "plots/report.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "plots/analysis.h"
#include "plots/figure.h"

namespace vtasim {

namespace {

// The layers measured on the board against the model, with their errors.
std::string model_vs_measured_section(const std::vector<LayerResult>& rows) {
  std::ostringstream md;
  double sum = 0, worst = 0;
  std::string worst_name;
  int n = 0;
  std::ostringstream table;
  table << std::fixed;
  for (const auto& r : rows) {
    if (!(r.measured_gops > 0) || !r.timed) continue;
    const double err = r.gops / r.measured_gops - 1.0;
    sum += std::fabs(err);
    ++n;
    if (std::fabs(err) > worst) {
      worst = std::fabs(err);
      worst_name = r.layer + " (" + std::to_string(r.threads) + "t)";
    }
    table << "| " << r.layer << " | " << r.threads << " | " << std::setprecision(2) << r.measured_gops << " | " << r.gops
          << " | " << std::showpos << std::setprecision(1) << 100 * err << std::noshowpos << "% |\n";
  }
  if (n == 0) return "";
  md << "\n## Model against measured\n\n" << n << " layer runs have a measurement: the model's throughput is off by "
     << std::fixed << std::setprecision(1) << 100 * sum / n << "% on average, at most " << 100 * worst << "% ("
     << worst_name << "). The model's throughput is end to end (device time plus host_us), as a measurement sees "
        "it.\n\n| layer | threads | measured GOPS | model GOPS | error |\n|---|---|---|---|---|\n"
     << table.str();
  return md.str();
}

}  // namespace

std::string summary_markdown(const std::vector<LayerResult>& rows, const HwConfig& cfg, const RunInfo& info,
                             const std::vector<std::string>& figures) {
  const auto& p = cfg.params();
  std::ostringstream md;
  md << "# vtasim results: " << info.workload << "\n\n" << machine_subtitle(cfg, info) << ".\n\n";
  md << "## Machine\n\n| quantity | value |\n|---|---|\n";
  md << "| target | " << p.target << " |\n";
  md << "| GEMM core (BATCH x BLOCK_IN x BLOCK_OUT) | " << cfg.batch() << " x " << cfg.block_in() << " x "
     << cfg.block_out() << " |\n";
  md << "| clock | " << gp_num(p.clock_mhz) << " MHz |\n";
  md << "| peak | " << gp_num(cfg.peak_gops()) << " GOPS |\n";
  md << "| memory port | " << p.port_bits << " bit, " << gp_num(cfg.port_gbps()) << " GB/s |\n";
  md << "| memory bandwidth used for the roofs | " << gp_num(cfg.mem_gbps()) << " GB/s |\n";
  md << "| ridge point | " << gp_num(cfg.ridge_ops_per_byte()) << " ops/byte |\n";
  md << "| buffers (entries) | uop " << cfg.depth(MemType::Uop) << ", inp " << cfg.depth(MemType::Inp) << ", wgt "
     << cfg.depth(MemType::Wgt) << ", acc " << cfg.depth(MemType::Acc) << " |\n";
  md << "| DRAM | latency " << p.dram_latency << " cycles, bursts of up to " << p.max_burst_beats << " beats, "
     << p.max_outstanding << " outstanding" << (p.dram_gbps > 0 ? ", cap " + gp_num(p.dram_gbps) + " GB/s" : "") << " |\n";
  if (p.cache_kib > 0) {
    md << "| cache in front of the DRAM | " << p.cache_kib << " KiB, " << p.cache_ways << " ways of " << p.cache_line
       << "-byte lines, hits after " << p.cache_hit_latency << " cycles at the port's rate, empty at each program's start |\n";
  }
  md << "| schedule source | " << info.schedule << " |\n\n";

  md << "## Findings\n\n";
  for (const auto& f : findings(rows, cfg)) md << "- " << f << "\n";
  md << "\n## Layers\n\n";
  md << "| layer | threads | cycles | time (us) | GOPS | utilisation | DRAM bytes | ops/byte | roof (GOPS) | bound | "
        "verified | schedule |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  md << std::fixed;
  for (const auto& r : rows) {
    md << "| " << r.layer << " | " << r.threads << " | ";
    if (r.timed) {
      md << r.cycles << " | " << std::setprecision(1) << r.time_us << " | " << std::setprecision(2) << r.gops << " | "
         << std::setprecision(1) << 100 * r.utilization << "% | ";
    } else {
      md << "- | - | - | - | ";
    }
    md << r.dram_bytes << " | " << std::setprecision(1) << r.ai_ops_per_byte << " | " << std::setprecision(2)
       << r.roof_gops << " | " << r.bound << " | " << r.verified << " | " << r.schedule << " |\n";
  }
  md << "\n## Energy\n\nEstimated from the exact access counts with the energy.* parameters (not measured): "
     << "energy per run of the layer and its split.\n\n| layer | threads | energy (uJ) | pJ/op | GOPS/W |";
  for (const auto& n : EnergyBreakdown::component_names()) md << " " << n << " |";
  md << "\n|---|---|---|---|---|";
  for (size_t k = 0; k < EnergyBreakdown::component_names().size(); ++k) md << "---|";
  md << "\n";
  for (const auto& r : rows) {
    const double total = r.energy.total();
    md << "| " << r.layer << " | " << r.threads << " | " << std::setprecision(1) << total * 1e-6 << " | "
       << std::setprecision(2) << r.pj_per_op << " | " << std::setprecision(1) << r.gops_per_w << " |";
    for (double v : r.energy.components()) md << " " << std::setprecision(0) << (total > 0 ? 100 * v / total : 0.0) << "% |";
    md << "\n";
  }
  const bool any_measured = std::any_of(rows.begin(), rows.end(), [](const LayerResult& r) { return r.measured_gops > 0; });
  if (any_measured) md << model_vs_measured_section(rows);
  md << "\n`ops` counts 2 x the MACs of each layer as defined (padding channels excluded); DRAM bytes count every "
        "byte over the memory port except the reads a cache in front of the DRAM served (cache.kib). The roofs use "
        "them. Network totals weight each layer by how often it occurs.\n";
  if (!figures.empty()) {
    md << "\n## Figures\n\n";
    for (const auto& f : figures) md << "![" << f << "](" << f << ")\n\n";
  }
  return md.str();
}

std::string text_table(const std::vector<LayerResult>& rows) {
  std::ostringstream os;
  os << std::left << std::setw(8) << "layer" << std::right << std::setw(4) << "thr" << std::setw(12) << "cycles"
     << std::setw(9) << "GOPS" << std::setw(7) << "util" << std::setw(12) << "DRAM bytes" << std::setw(9) << "ops/B"
     << std::setw(9) << "roof" << std::setw(9) << "bound" << std::setw(9) << "verified" << "  schedule\n";
  for (const auto& r : rows) {
    os << std::left << std::setw(8) << r.layer << std::right << std::setw(4) << r.threads;
    if (r.timed) {
      os << std::setw(12) << r.cycles << std::setw(9) << std::fixed << std::setprecision(2) << r.gops << std::setw(6)
         << std::setprecision(1) << r.utilization * 100 << "%";
    } else {
      os << std::setw(12) << "-" << std::setw(9) << "-" << std::setw(7) << "-";
    }
    os << std::setw(12) << r.dram_bytes << std::setw(9) << std::fixed << std::setprecision(1) << r.ai_ops_per_byte
       << std::setw(9) << std::setprecision(2) << r.roof_gops << std::setw(9) << r.bound << std::setw(9) << r.verified
       << "  " << r.schedule << "\n";
  }
  for (const auto& t : network_totals(rows)) {
    os << "network (" << t.threads << (t.threads == 1 ? " thread" : " threads") << ", layers weighted by count): ";
    if (t.cycles > 0) {
      os << std::setprecision(0) << t.cycles << " cycles, " << std::setprecision(1) << t.time_us / 1000.0 << " ms, "
         << std::setprecision(2) << t.gops << " GOPS, " << std::setprecision(1) << t.images_per_s << " images/s, ";
    }
    os << std::setprecision(1) << t.dram_bytes / 1e6 << " MB to and from DRAM\n";
  }
  return os.str();
}

}  // namespace vtasim
