// A scan for the two schemes, no URL parsing: what follows is given to the browser as typed.
#include "app/links.hpp"

#include <algorithm>

namespace chat::client {
namespace {

bool ends_link(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '<' || c == '>'; }

bool is_trailing_punctuation(char c) {
  for (char p : std::string_view(".,)!?:;'\"")) {
    if (c == p) return true;
  }
  return false;
}

}  // namespace

std::vector<LinkSpan> find_link_spans(std::string_view text) {
  std::vector<LinkSpan> links;
  std::size_t pos = 0;
  while (links.size() < kMaxLinksPerLine) {
    const std::size_t http = text.find("http://", pos);
    const std::size_t https = text.find("https://", pos);
    const std::size_t start = std::min(http, https);
    if (start == std::string_view::npos) break;
    std::size_t end = start;
    while (end < text.size() && !ends_link(text[end])) ++end;
    std::size_t last = end;
    while (last > start && is_trailing_punctuation(text[last - 1])) --last;
    const std::string_view link = text.substr(start, last - start);
    if (link != "http://" && link != "https://") links.push_back(LinkSpan{start, last});
    pos = end;
  }
  return links;
}

std::vector<std::string> find_links(std::string_view text) {
  std::vector<std::string> links;
  for (const auto& span : find_link_spans(text)) {
    links.emplace_back(text.substr(span.begin, span.end - span.begin));
  }
  return links;
}

std::string link_at(std::string_view text, std::size_t offset) {
  for (const auto& span : find_link_spans(text)) {
    if (offset >= span.begin && offset < span.end) {
      return std::string(text.substr(span.begin, span.end - span.begin));
    }
  }
  return {};
}

}  // namespace chat::client
