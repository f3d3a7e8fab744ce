// A scan for the two schemes, no URL parsing: what follows is given to the browser as typed.
#include "app/links.hpp"

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

std::vector<std::string> find_links(std::string_view text) {
  std::vector<std::string> links;
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
    if (link != "http://" && link != "https://") links.emplace_back(link);
    pos = end;
  }
  return links;
}

}  // namespace chat::client
