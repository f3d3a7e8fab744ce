// The scale run's CSV (bench/scale.sh writes it) read back into plots: one per sweep, one panel
// per figure, in the order they first appear. The header line is
//   sweep,x_label,x,figure,unit,median,min,max,runs
// and every other line one figure at one size, e.g.
//   connections,connections,10000,connect time,s,0.52,0.50,0.61,3
// Fields hold no commas (the script writes them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bench/svg_plot.hpp"

namespace bench {

struct SweepPlot {
  std::string sweep;  // "connections": names the file, scale-connections.svg
  PlotSpec spec;
};

// False with `error` naming the line for a line that is not the header's nine fields. `note` goes
// under every plot's title.
bool plots_from_csv(std::string_view csv, const std::string& note, std::vector<SweepPlot>& plots, std::string& error);

}  // namespace bench
