// chat_bench_plot: the scale run's CSV in, one SVG per sweep out (DIR/scale-SWEEP.svg). bench/scale.sh
// calls it on its own output; docs/BENCHMARKS.md shows the pictures.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "bench/scale_csv.hpp"
#include "bench/svg_plot.hpp"

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr,
                 "Usage: chat_bench_plot SCALE.csv OUT_DIR [NOTE]\n  writes OUT_DIR/scale-SWEEP.svg for each sweep in "
                 "the CSV; NOTE (where the figures come from) goes under each title\n");
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "chat_bench_plot: cannot read %s\n", argv[1]);
    return 1;
  }
  std::stringstream csv;
  csv << in.rdbuf();
  std::vector<bench::SweepPlot> plots;
  std::string error;
  if (!bench::plots_from_csv(csv.str(), argc == 4 ? argv[3] : "", plots, error)) {
    std::fprintf(stderr, "chat_bench_plot: %s: %s\n", argv[1], error.c_str());
    return 1;
  }
  for (const auto& plot : plots) {
    const std::string path = std::string(argv[2]) + "/scale-" + plot.sweep + ".svg";
    std::ofstream out(path);
    out << bench::render_svg(plot.spec);
    if (!out) {
      std::fprintf(stderr, "chat_bench_plot: cannot write %s\n", path.c_str());
      return 1;
    }
    std::printf("%s\n", path.c_str());
  }
  return 0;
}
