// Figure files and rendering through gnuplot-iostream (see figure.h).
#include "plots/figure.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>
#include <sys/stat.h>
#include <unistd.h>

#include <gnuplot-iostream.h>

#include "models/file_io.h"

namespace vtasim {

std::string gp_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string gp_num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", v);
  return b;
}

std::string log_axis_tics(const std::string& axis, double lo, double hi) {
  if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return "";
  const bool narrow = hi / lo < 100;
  const std::vector<double> steps = narrow ? std::vector<double>{1, 1.5, 2, 3, 5, 7} : std::vector<double>{1, 2, 5};
  std::string tics;
  for (int k = int(std::floor(std::log10(lo))); k <= int(std::ceil(std::log10(hi))); ++k)
    for (double m : steps) {
      const double v = m * std::pow(10.0, k);
      if (v >= lo && v <= hi) tics += (tics.empty() ? "" : ", ") + gp_num(v);
    }
  return tics.empty() ? "" : "  set " + axis + "tics (" + tics + ")\n";
}

LogLogFrame equal_decades(double x_lo, double x_hi, double y_lo, double y_hi) {
  LogLogFrame f;
  f.xmin = std::pow(10.0, std::floor(std::log10(x_lo / 1.5)));
  f.xmax = std::pow(10.0, std::ceil(std::log10(x_hi * 1.5)));
  f.ymin = std::pow(10.0, std::floor(std::log10(y_lo / 1.5)));
  f.ymax = std::pow(10.0, std::ceil(std::log10(y_hi * 1.5)));
  f.ratio = std::log10(f.ymax / f.ymin) / std::log10(f.xmax / f.xmin);
  return f;
}

std::string roofline_axes(const LogLogFrame& fr) {
  std::ostringstream os;
  os << "  set logscale xy 10\n"
     << "  set xrange [" << gp_num(fr.xmin) << ":" << gp_num(fr.xmax) << "]\n"
     << "  set yrange [" << gp_num(fr.ymin) << ":" << gp_num(fr.ymax) << "]\n"
     << "  set size ratio " << gp_num(fr.ratio) << "\n"
     << "  set format x \"%g\"\n  set format y \"%g\"\n"
     << "  set xlabel \"arithmetic intensity (ops per DRAM byte)\"\n"
     << "  set ylabel \"throughput (GOPS)\"\n"
     << "  set grid xtics ytics mxtics mytics lc rgb \"#e0e0e0\"\n"
     << "  set key bottom right box opaque\n";
  return os.str();
}

std::string roof_function(const std::string& name, const std::string& peak, const std::string& bw) {
  return "  " + name + "(x) = (x * " + bw + " < " + peak + ") ? x * " + bw + " : " + peak + "\n";
}

std::string Figure::script() const {
  std::ostringstream os;
  os << "# " << name << ".gp: written by vtasim; run `gnuplot " << name << ".gp` in this directory to redraw "
     << name << ".png and " << name << ".svg from " << name << ".dat.\n"
     << "data = " << gp_quote(name + ".dat") << "\n"
     << "do for [fmt in \"png svg\"] {\n"
     << "  if (fmt eq \"png\") { set terminal pngcairo size " << width << "," << height
     << " font \"Sans,11\" noenhanced } else { set terminal svg size " << width << "," << height
     << " font \"Sans,11\" noenhanced dynamic background \"white\" }\n"
     << "  set output " << gp_quote(name) << ".\".\".fmt\n"
     << "  reset\n"
     << body << "  unset output\n"
     << "}\n";
  return os.str();
}

namespace {

std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

// The gnuplot executable, or "" when there is none.
std::string find_gnuplot() {
  if (const char* env = std::getenv("VTASIM_GNUPLOT")) {
    return ::access(env, X_OK) == 0 ? std::string(env) : std::string();
  }
  const char* path = std::getenv("PATH");
  std::stringstream ss(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/gnuplot";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

}  // namespace

RenderOutcome render_figure(const Figure& fig, const std::string& dir) {
  write_file_atomic(dir + "/" + fig.name + ".dat", fig.data);
  write_file_atomic(dir + "/" + fig.name + ".gp", fig.script());
  RenderOutcome r;
  const std::string gnuplot = find_gnuplot();
  if (gnuplot.empty()) {
    r.warning = "gnuplot is not installed: wrote " + fig.name + ".gp and " + fig.name +
                ".dat; install gnuplot (apt-get install gnuplot-nox) and run `vtasim plot` to draw them";
    return r;
  }
  const std::string log = dir + "/" + fig.name + ".log";
  const std::string png = dir + "/" + fig.name + ".png", svg = dir + "/" + fig.name + ".svg";
  std::remove(png.c_str());
  std::remove(svg.c_str());
  {
    // The image is complete only once the Gnuplot object (and with it the gnuplot process) is gone.
    Gnuplot gp("cd " + sh_quote(dir) + " && " + sh_quote(gnuplot) + " 2> " + sh_quote(fig.name + ".log"));
    gp << "load " << gp_quote(fig.name + ".gp") << "\n";
  }
  const std::string errors = read_text_file_or_empty(log);
  const std::string image = read_text_file_or_empty(png);
  static const std::string kPngSignature = "\x89PNG\r\n\x1a\n";
  struct stat st {};
  const bool svg_ok = ::stat(svg.c_str(), &st) == 0 && st.st_size > 0;
  if (image.size() < 8 || image.compare(0, 8, kPngSignature) != 0 || !svg_ok) {
    throw std::runtime_error("gnuplot could not draw " + dir + "/" + fig.name + ".gp" +
                             (errors.empty() ? std::string(" (no image produced)") : ": " + errors));
  }
  std::remove(log.c_str());
  r.rendered = true;
  return r;
}

}  // namespace vtasim
