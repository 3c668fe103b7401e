// A figure as files: NAME.gp (the gnuplot script, readable and restylable) and NAME.dat (its data),
// rendered by gnuplot (through gnuplot-iostream) into NAME.png and NAME.svg beside them.
#pragma once

#include <string>
#include <utility>

namespace vtasim {

struct Figure {
  Figure() = default;
  Figure(std::string n, std::string b, std::string d, int w, int h)
      : name(std::move(n)), body(std::move(b)), data(std::move(d)), width(w), height(h) {}

  std::string name;    // file stem
  std::string body;    // gnuplot commands that draw the figure (terminal and output are added)
  std::string data;    // contents of NAME.dat
  int width = 1200;    // pixels
  int height = 900;
  // The full script: a loop over PNG and SVG around the body.
  std::string script() const;
};

struct RenderOutcome {
  bool rendered = false;  // false: gnuplot is not available, only .gp and .dat were written
  std::string warning;
};

// Writes NAME.gp and NAME.dat into dir (atomically), then runs gnuplot on them unless it is missing.
// The gnuplot command is VTASIM_GNUPLOT if set, else "gnuplot" on the PATH. A script gnuplot rejects,
// or an image that comes out empty or not a PNG, is an error (std::runtime_error with gnuplot's
// message); a file that cannot be written is a UserError.
RenderOutcome render_figure(const Figure& fig, const std::string& dir);

// Axis ranges for a log-log plot with equal decades on both axes: whole decades around the data
// (with a margin), and the plot's height-to-width ratio that makes a decade equally long on both.
struct LogLogFrame {
  double xmin, xmax, ymin, ymax, ratio;
};
LogLogFrame equal_decades(double x_lo, double x_hi, double y_lo, double y_hi);

// The set-up every roofline plot shares: log-log axes over the frame with equal decades, the axis
// labels, grid and key. Then `roof_function` defines a roof as a gnuplot function of the intensity.
std::string roofline_axes(const LogLogFrame& frame);
// `peak` and `bw` are gnuplot expressions: numbers, or names of variables the script sets.
std::string roof_function(const std::string& name, const std::string& peak, const std::string& bw);

// Labelled tics for a log axis ("x" or "y") over [lo, hi]: 1-1.5-2-3-5-7 x 10^k when the range spans
// under two decades (where gnuplot would label one decade or none), 1-2-5 x 10^k otherwise. A whole
// `set xtics (...)` command (replacing, not adding to, earlier tics), or "" for an empty range.
std::string log_axis_tics(const std::string& axis, double lo, double hi);

// gnuplot string literal: double quotes, with \\, \" and newlines escaped (terminals run in
// noenhanced mode, so underscores and @ stay literal).
std::string gp_quote(const std::string& s);
// Number formatting independent of stream state: shortest form that round-trips at 6 digits.
std::string gp_num(double v);

}  // namespace vtasim
