// The scale run's plots (bench/scale.sh, docs/BENCHMARKS.md "Cost against size"): figures in,
// SVG text out, nothing read or written here. One chart per sweep, one panel per figure stacked
// under each other (the figures have different units, so they do not share a y axis); in each
// panel one line through the medians with a bar from min to max at every point; the x axis is
// logarithmic, as the sweeps grow by factors (10, 100, 1 000 ...).
#pragma once

#include <string>
#include <vector>

namespace bench {

struct PlotPoint {
  double x = 0;
  double median = 0, low = 0, high = 0;  // over the runs
};

struct PlotPanel {
  std::string figure;  // "connect time"
  std::string unit;    // "s"
  std::vector<PlotPoint> points;  // any order: drawn by increasing x
};

struct PlotSpec {
  std::string title;    // "Cost against connections"
  std::string x_label;  // "connections"
  std::string note;     // under the title: where the figures come from (commit, date, machine)
  std::vector<PlotPanel> panels;
};

// x values must be > 0 (log axis); points that are not are left out. A panel with no point is
// drawn empty, with its title.
std::string render_svg(const PlotSpec& spec);

// Where x lands between the axis ends on a log scale, 0 to 1 (exposed for the tests).
double log_position(double x, double x_min, double x_max);
// Up to about five round y ticks from 0 to at least `max` (1, 2 or 5 times a power of ten apart).
std::vector<double> nice_ticks(double max);

}  // namespace bench
