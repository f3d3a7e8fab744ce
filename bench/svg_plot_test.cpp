// The scale plots: log x positions, round y ticks, the SVG's lines and labels, the CSV read back.
#include <gtest/gtest.h>

#include <string>

#include "bench/scale_csv.hpp"
#include "bench/svg_plot.hpp"

namespace bench {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(SvgPlot, TenfoldStepsAreEvenlySpacedOnTheLogAxis) {
  EXPECT_DOUBLE_EQ(log_position(10, 10, 1000), 0.0);
  EXPECT_DOUBLE_EQ(log_position(100, 10, 1000), 0.5);
  EXPECT_DOUBLE_EQ(log_position(1000, 10, 1000), 1.0);
  EXPECT_DOUBLE_EQ(log_position(5, 5, 5), 0.5);  // a single point sits in the middle
}

TEST(SvgPlot, YTicksAreRoundAndCoverTheMaximum) {
  EXPECT_EQ(nice_ticks(2.79), (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(nice_ticks(1380), (std::vector<double>{0, 500, 1000, 1500}));
  EXPECT_EQ(nice_ticks(0), (std::vector<double>{0, 1}));
}

TEST(SvgPlot, OnePanelPerFigureOneLineThroughItsMedians) {
  PlotSpec spec{"Cost against connections", "connections", "commit abc1234, 3 runs", {}};
  spec.panels.push_back({"connect time", "s", {{10000, 1.4, 1.3, 1.5}, {1000, 0.1, 0.1, 0.2}, {100000, 15, 14, 16}}});
  spec.panels.push_back({"RSS per connection", "KB", {{1000, 2.8, 2.7, 2.9}}});
  const std::string svg = render_svg(spec);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(count(svg, "<polyline class=\"median\""), 2u);
  EXPECT_EQ(count(svg, "<line class=\"range\""), 4u);
  EXPECT_NE(svg.find("connect time (s)"), std::string::npos);
  EXPECT_NE(svg.find("RSS per connection (KB)"), std::string::npos);
  EXPECT_NE(svg.find("connections (log scale)"), std::string::npos);
  EXPECT_NE(svg.find(">100k<"), std::string::npos);
  EXPECT_NE(svg.find(">commit abc1234, 3 runs<"), std::string::npos);
  // Drawn by increasing x: the first panel's line starts near the left edge (x = 80 + 20) with 1 000.
  const std::size_t line = svg.find("points=\"");
  EXPECT_EQ(svg.substr(line + 8, 6), "100.0,");
}

TEST(SvgPlot, TextIsEscaped) {
  PlotSpec spec{"a < b & c", "x", "", {{"p99 \"tail\"", "us", {{1, 1, 1, 1}}}}};
  const std::string svg = render_svg(spec);
  EXPECT_NE(svg.find("a &lt; b &amp; c"), std::string::npos);
  EXPECT_NE(svg.find("p99 &quot;tail&quot;"), std::string::npos);
  EXPECT_EQ(svg.find("a < b"), std::string::npos);
}

TEST(ScaleCsv, OnePlotPerSweepOnePanelPerFigure) {
  const std::string csv =
      "sweep,x_label,x,figure,unit,median,min,max,runs\n"
      "connections,connections,1000,connect time,s,0.1,0.09,0.12,3\n"
      "connections,connections,1000,RSS per connection,KB,2.8,2.7,2.9,3\n"
      "connections,connections,10000,connect time,s,1.4,1.3,1.5,3\n"
      "rooms,rooms,10,connect time,s,0.2,0.2,0.3,3\r\n";
  std::vector<SweepPlot> plots;
  std::string error;
  ASSERT_TRUE(plots_from_csv(csv, "provisional", plots, error)) << error;
  ASSERT_EQ(plots.size(), 2u);
  EXPECT_EQ(plots[0].sweep, "connections");
  EXPECT_EQ(plots[0].spec.title, "Cost against connections");
  EXPECT_EQ(plots[0].spec.note, "provisional");
  ASSERT_EQ(plots[0].spec.panels.size(), 2u);
  EXPECT_EQ(plots[0].spec.panels[0].points.size(), 2u);
  EXPECT_DOUBLE_EQ(plots[0].spec.panels[0].points[1].high, 1.5);
  EXPECT_EQ(plots[1].spec.panels[0].unit, "s");
}

TEST(ScaleCsv, ABrokenLineIsNamed) {
  std::vector<SweepPlot> plots;
  std::string error;
  EXPECT_FALSE(plots_from_csv("sweep,x_label,x,figure,unit,median,min,max,runs\nrooms,rooms,ten,t,s,1,1,1,3\n", "", plots, error));
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
}

}  // namespace
}  // namespace bench
