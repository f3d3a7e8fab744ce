// Web links in a chat line: what the line menu offers to open (in a new tab, without an opener).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chat::client {

inline constexpr std::size_t kMaxLinksPerLine = 5;

// http:// and https:// links, in order, at most kMaxLinksPerLine; a link ends at white space, and
// trailing punctuation (".", ",", ")", "!", "?", ":", ";", quotes) is not part of it.
std::vector<std::string> find_links(std::string_view text);

}  // namespace chat::client
