#include "bench/scale_csv.hpp"

#include <cstdlib>

namespace bench {
namespace {

constexpr std::size_t kFields = 9;
constexpr std::size_t kMaxPlots = 64;  // the sweeps of one run; more is not our CSV

std::vector<std::string> split(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    fields.emplace_back(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

bool number(const std::string& text, double& value) {
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return !text.empty() && end && *end == '\0';
}

template <typename T, typename Match>
T& find_or_add(std::vector<T>& items, Match match) {
  for (auto& item : items) {
    if (match(item)) return item;
  }
  return items.emplace_back();
}

}  // namespace

bool plots_from_csv(std::string_view csv, const std::string& note, std::vector<SweepPlot>& plots, std::string& error) {
  std::size_t line_number = 0;
  while (!csv.empty()) {
    const std::size_t end = csv.find('\n');
    std::string_view line = csv.substr(0, end);
    csv = end == std::string_view::npos ? std::string_view{} : csv.substr(end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.substr(0, 6) == "sweep,") continue;
    const auto f = split(line);
    PlotPoint point;
    if (f.size() != kFields || !number(f[2], point.x) || !number(f[5], point.median) || !number(f[6], point.low) ||
        !number(f[7], point.high)) {
      error = "line " + std::to_string(line_number) + ": want sweep,x_label,x,figure,unit,median,min,max,runs";
      return false;
    }
    if (plots.size() >= kMaxPlots && plots.back().sweep != f[0]) {
      error = "more than " + std::to_string(kMaxPlots) + " sweeps";
      return false;
    }
    SweepPlot& plot = find_or_add(plots, [&](const SweepPlot& p) { return p.sweep == f[0]; });
    plot.sweep = f[0];
    plot.spec.x_label = f[1];
    plot.spec.title = "Cost against " + f[1];
    plot.spec.note = note;
    PlotPanel& panel = find_or_add(plot.spec.panels, [&](const PlotPanel& p) { return p.figure == f[3]; });
    panel.figure = f[3];
    panel.unit = f[4];
    panel.points.push_back(point);
  }
  return true;
}

}  // namespace bench
