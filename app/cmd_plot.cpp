// `vtasim plot`: redraw the figures and report of a results directory.
#include <iostream>

#include "app/cli.h"
#include "plots/render.h"

namespace po = boost::program_options;

namespace vtasim::cli {

int cmd_plot(int argc, char** argv) {
  std::string which = "all", dir;
  po::options_description desc("vtasim plot: redraw the figures of a results directory without simulating");
  desc.add_options()
      ("which", po::value<std::string>(&which), "roofline, latency, timeline or all (default)")
      ("in,i", po::value<std::string>(&dir)->required(), "results directory written by vtasim run");
  po::positional_options_description pos;
  pos.add("which", 1);
  if (!parse("plot", "roofline|latency|timeline|all --in DIR", argc, argv, desc, &pos)) return kOk;
  render_results_dir(dir, parse_which(which));
  std::cout << "figures written to " << dir << "\n";
  return kOk;
}

}  // namespace vtasim::cli
