// SVG by hand: a few rectangles, lines, circles and texts; no library for so little.
#include "bench/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bench {
namespace {

constexpr double kWidth = 640;
constexpr double kPanelHeight = 200;
constexpr double kTitleHeight = 48;  // the title and a note under it
constexpr double kLeft = 80, kRight = 24, kTop = 28, kBottom = 44;  // a panel's margins
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kPlotHeight = kPanelHeight - kTop - kBottom;
constexpr double kInset = 20;  // the first and last sizes sit this far inside the frame, not on it

std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

// Short labels: 0.5, 12, 1.2k, 100k, 1M.
std::string short_number(double value) {
  char text[32];
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e6) std::snprintf(text, sizeof text, "%gM", value / 1e6);
  else if (magnitude >= 1e3) std::snprintf(text, sizeof text, "%gk", value / 1e3);
  else std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

struct Axes {
  double x_min = 1, x_max = 10, y_max = 1;
  double top = 0;  // the panel's plot area's top edge in the whole picture
  double x(double value) const {
    return kLeft + kInset + (kPlotWidth - 2 * kInset) * log_position(value, x_min, x_max);
  }
  double y(double value) const { return top + kPlotHeight * (1 - value / y_max); }
};

std::vector<PlotPoint> drawable(const PlotPanel& panel) {
  std::vector<PlotPoint> points;
  for (const auto& p : panel.points) {
    if (p.x > 0 && std::isfinite(p.median)) points.push_back(p);
  }
  std::sort(points.begin(), points.end(), [](const PlotPoint& a, const PlotPoint& b) { return a.x < b.x; });
  return points;
}

void draw_axes(const PlotSpec& spec, const PlotPanel& panel, const std::vector<PlotPoint>& points,
               const Axes& axes, const std::vector<double>& y_ticks, std::string& svg) {
  const double bottom = axes.top + kPlotHeight;
  svg += "<text x=\"" + number(kLeft) + "\" y=\"" + number(axes.top - 10) + "\" font-weight=\"bold\">" +
         escaped(panel.figure) + " (" + escaped(panel.unit) + ")</text>\n";
  svg += "<rect x=\"" + number(kLeft) + "\" y=\"" + number(axes.top) + "\" width=\"" + number(kPlotWidth) +
         "\" height=\"" + number(kPlotHeight) + "\" fill=\"none\" stroke=\"#888\"/>\n";
  for (const double tick : y_ticks) {
    const double y = axes.y(tick);
    svg += "<line x1=\"" + number(kLeft) + "\" y1=\"" + number(y) + "\" x2=\"" + number(kLeft + kPlotWidth) +
           "\" y2=\"" + number(y) + "\" stroke=\"#ddd\"/>\n";
    svg += "<text x=\"" + number(kLeft - 6) + "\" y=\"" + number(y + 4) + "\" text-anchor=\"end\">" +
           escaped(short_number(tick)) + "</text>\n";
  }
  for (const auto& p : points) {  // the sweep's own sizes are the x ticks
    svg += "<text x=\"" + number(axes.x(p.x)) + "\" y=\"" + number(bottom + 16) + "\" text-anchor=\"middle\">" +
           escaped(short_number(p.x)) + "</text>\n";
  }
  svg += "<text x=\"" + number(kLeft + kPlotWidth / 2) + "\" y=\"" + number(bottom + 34) +
         "\" text-anchor=\"middle\">" + escaped(spec.x_label) + " (log scale)</text>\n";
}

void draw_series(const std::vector<PlotPoint>& points, const Axes& axes, std::string& svg) {
  std::string line;
  for (const auto& p : points) {
    if (!line.empty()) line += ' ';
    line += number(axes.x(p.x)) + "," + number(axes.y(p.median));
    svg += "<line class=\"range\" x1=\"" + number(axes.x(p.x)) + "\" y1=\"" + number(axes.y(p.low)) + "\" x2=\"" +
           number(axes.x(p.x)) + "\" y2=\"" + number(axes.y(p.high)) + "\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n";
    svg += "<circle cx=\"" + number(axes.x(p.x)) + "\" cy=\"" + number(axes.y(p.median)) +
           "\" r=\"3.5\" fill=\"#1f77b4\"/>\n";
  }
  if (!points.empty()) {
    svg += "<polyline class=\"median\" points=\"" + line + "\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\"/>\n";
  }
}

void draw_panel(const PlotSpec& spec, const PlotPanel& panel, double panel_top, std::string& svg) {
  const auto points = drawable(panel);
  Axes axes;
  axes.top = panel_top + kTop;
  double y_top = 0;
  for (const auto& p : points) y_top = std::max({y_top, p.high, p.median});
  const auto y_ticks = nice_ticks(y_top);
  axes.y_max = y_ticks.back();
  if (!points.empty()) {
    axes.x_min = points.front().x;
    axes.x_max = points.back().x;
  }
  draw_axes(spec, panel, points, axes, y_ticks, svg);
  draw_series(points, axes, svg);
}

}  // namespace

double log_position(double x, double x_min, double x_max) {
  if (x_max <= x_min || x_min <= 0 || x <= 0) return 0.5;  // one point: in the middle
  return (std::log10(x) - std::log10(x_min)) / (std::log10(x_max) - std::log10(x_min));
}

std::vector<double> nice_ticks(double max) {
  if (!(max > 0) || !std::isfinite(max)) return {0, 1};
  const double rough = max / 4;
  const double power = std::pow(10, std::floor(std::log10(rough)));
  double step = power;
  for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * power;
    if (step >= rough) break;
  }
  std::vector<double> ticks;
  for (int i = 0; i <= 6; ++i) {
    ticks.push_back(step * i);
    if (step * i >= max) break;
  }
  return ticks;
}

std::string render_svg(const PlotSpec& spec) {
  const double height = kTitleHeight + kPanelHeight * static_cast<double>(std::max<std::size_t>(spec.panels.size(), 1));
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(kWidth) + "\" height=\"" +
                    number(height) + "\" viewBox=\"0 0 " + number(kWidth) + " " + number(height) +
                    "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += "<text x=\"" + number(kWidth / 2) + "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">" +
         escaped(spec.title) + "</text>\n";
  if (!spec.note.empty()) {
    svg += "<text x=\"" + number(kWidth / 2) + "\" y=\"38\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555\">" +
           escaped(spec.note) + "</text>\n";
  }
  for (std::size_t i = 0; i < spec.panels.size(); ++i) {
    draw_panel(spec, spec.panels[i], kTitleHeight + kPanelHeight * static_cast<double>(i), svg);
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace bench
