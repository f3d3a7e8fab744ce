// Why not prometheus-cpp-dev's TextSerializer: it serializes only its own MetricFamily structs, so
// we would build the same families by hand anyway, and it adds a build dependency and a runtime
// library to the .deb (libprometheus-cpp-core1.0) for ~60 lines of formatting. The format is
// small: the only input that needs care is a label value, escaped here, and our label values come
// from closed sets (error codes, close codes, versions) anyway. The writer's output is checked
// line by line in tests/server/metrics_text_test.cpp, including escaping and histogram layout.
#include "server/metrics_text.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace chat {
namespace {

std::string format_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  for (int precision = 1; precision <= 17; ++precision) {  // the shortest text that reads back the same
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

}  // namespace

MetricsText& MetricsText::family(std::string_view name, std::string_view type, std::string_view help) {
  text_.append("# HELP ").append(name).append(" ");
  for (const char c : help) {  // HELP escapes backslash and newline only
    if (c == '\\') text_ += "\\\\";
    else if (c == '\n') text_ += "\\n";
    else text_ += c;
  }
  text_.append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
  return *this;
}

void MetricsText::line(std::string_view name, const std::string& labels, const std::string& value) {
  text_.append(name);
  if (!labels.empty()) text_.append("{").append(labels).append("}");
  text_.append(" ").append(value).append("\n");
}

MetricsText& MetricsText::sample(std::string_view name, double value, const std::string& labels) {
  line(name, labels, format_double(value));
  return *this;
}

MetricsText& MetricsText::sample(std::string_view name, std::uint64_t value, const std::string& labels) {
  line(name, labels, std::to_string(value));
  return *this;
}

MetricsText& MetricsText::sample(std::string_view name, std::int64_t value, const std::string& labels) {
  line(name, labels, std::to_string(value));
  return *this;
}

MetricsText& MetricsText::histogram(std::string_view name, std::string_view help, const LatencyHistogram& histogram) {
  family(name, "histogram", help);
  const std::string base(name);
  for (std::size_t i = 0; i <= LatencyHistogram::kBounds.size(); ++i) {
    const std::string le = i < LatencyHistogram::kBounds.size() ? format_double(LatencyHistogram::kBounds[i]) : "+Inf";
    sample(base + "_bucket", histogram.cumulative(i), label("le", le));
  }
  sample(base + "_sum", histogram.sum());
  return sample(base + "_count", histogram.count());
}

std::string MetricsText::label(std::string_view name, std::string_view value) {
  std::string text(name);
  text += "=\"";
  for (const char c : value) {
    if (c == '\\') text += "\\\\";
    else if (c == '"') text += "\\\"";
    else if (c == '\n') text += "\\n";
    else text += c;
  }
  return text + "\"";
}

}  // namespace chat
