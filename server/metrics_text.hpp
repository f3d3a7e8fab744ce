// Writes the Prometheus text exposition format (version 0.0.4): # HELP / # TYPE per family, then
// its samples. Hand-written rather than prometheus-cpp's serializer: see metrics_text.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "server/latency_histogram.hpp"

namespace chat {

class MetricsText {
 public:
  // type: counter, gauge or histogram. Names must match [a-zA-Z_:][a-zA-Z0-9_:]* (ours are literals).
  MetricsText& family(std::string_view name, std::string_view type, std::string_view help);
  // `labels`: empty, or made by label() (joined with ',').
  MetricsText& sample(std::string_view name, double value, const std::string& labels = "");
  MetricsText& sample(std::string_view name, std::uint64_t value, const std::string& labels = "");
  MetricsText& sample(std::string_view name, std::int64_t value, const std::string& labels = "");
  // The family, its _bucket (cumulative, le="+Inf" last), _sum and _count samples.
  MetricsText& histogram(std::string_view name, std::string_view help, const LatencyHistogram& histogram);

  const std::string& text() const { return text_; }

  // name="value" with the value escaped as the format asks (\\, \", \n).
  static std::string label(std::string_view name, std::string_view value);

 private:
  void line(std::string_view name, const std::string& labels, const std::string& value);
  std::string text_;
};

}  // namespace chat
