// Web links in a chat line: drawn as links and opened by a click (in a new tab, without an
// opener), offered by the line menu, and real links in the accessible mirror.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace chat::client {

inline constexpr std::size_t kMaxLinksPerLine = 5;

// A link's bytes in its line's text, [begin, end).
struct LinkSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
};
inline bool operator==(const LinkSpan& a, const LinkSpan& b) { return a.begin == b.begin && a.end == b.end; }

// http:// and https:// links, in order, at most kMaxLinksPerLine; a link ends at white space, and
// trailing punctuation (".", ",", ")", "!", "?", ":", ";", quotes) is not part of it.
std::vector<LinkSpan> find_link_spans(std::string_view text);
std::vector<std::string> find_links(std::string_view text);  // the spans' texts

// The link that holds byte `offset` of `text`, or "" if none.
std::string link_at(std::string_view text, std::size_t offset);

}  // namespace chat::client
