// MetricsText writes the Prometheus text format; metrics_report names every series.
#include "server/metrics_text.hpp"

#include <gtest/gtest.h>

#include "server/metrics_report.hpp"

namespace chat {
namespace {

TEST(MetricsText, FamilyThenSamples) {
  MetricsText out;
  out.family("chat_logins_total", "counter", "logins, with a back\\slash\nand a newline")
      .sample("chat_logins_total", std::uint64_t{3})
      .sample("chat_refusals_total", std::uint64_t{0}, MetricsText::label("code", "name_taken"));
  EXPECT_EQ(out.text(),
            "# HELP chat_logins_total logins, with a back\\\\slash\\nand a newline\n"
            "# TYPE chat_logins_total counter\n"
            "chat_logins_total 3\n"
            "chat_refusals_total{code=\"name_taken\"} 0\n");
}

TEST(MetricsText, LabelValuesAreEscaped) {
  EXPECT_EQ(MetricsText::label("x", "a\"b\\c\nd"), "x=\"a\\\"b\\\\c\\nd\"");
}

TEST(MetricsText, HistogramBucketsAreCumulativeEndingWithInf) {
  LatencyHistogram histogram;
  histogram.observe(0.0002);  // le 0.00025
  histogram.observe(0.003);   // le 0.005
  histogram.observe(5);       // beyond every bound
  MetricsText out;
  out.histogram("chat_store_commit_seconds", "commits", histogram);
  const std::string& text = out.text();
  EXPECT_NE(text.find("# TYPE chat_store_commit_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("chat_store_commit_seconds_bucket{le=\"0.0001\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("chat_store_commit_seconds_bucket{le=\"0.00025\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("chat_store_commit_seconds_bucket{le=\"0.005\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("chat_store_commit_seconds_bucket{le=\"1\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("chat_store_commit_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("chat_store_commit_seconds_count 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("chat_store_commit_seconds_sum 5.0032"), std::string::npos) << text;
}

TEST(MetricsReport, EverySeriesIsThereFromTheStart) {
  ServiceMetrics service;
  EdgeMetrics edge;
  StoreStats store;
  const std::string text = render_metrics({service, 1, edge, 0, store, 0, ProcessStats{}});
  for (const char* line : {"chat_sessions{version=\"1\"} 0\n", "chat_sessions{version=\"2\"} 0\n",
                           "chat_refusals_total{code=\"rate_limited\"} 0\n", "chat_rooms 1\n", "chat_connections 0\n",
                           "chat_store_commit_seconds_count 0\n", "process_open_fds 0\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line;
  }
  EXPECT_EQ(text.find("code=\"other\""), std::string::npos) << "other is never sent";
}

}  // namespace
}  // namespace chat
