// Links found in chat lines for the line menu.
#include "app/links.hpp"

#include <gtest/gtest.h>

namespace chat::client {
namespace {

using Links = std::vector<std::string>;

TEST(FindLinks, FindsBothSchemesWithoutTrailingPunctuation) {
  EXPECT_EQ(find_links("see https://example.org/a?b=1, and (http://x.test/y)."),
            (Links{"https://example.org/a?b=1", "http://x.test/y"}));
}

TEST(FindLinks, NothingWithoutAScheme) {
  EXPECT_EQ(find_links("www.example.org https:// http:"), Links{});
}

TEST(FindLinks, AtMostFivePerLine) {
  std::string text;
  for (int i = 0; i < 8; ++i) text += "https://e.test/" + std::to_string(i) + " ";
  EXPECT_EQ(find_links(text).size(), kMaxLinksPerLine);
}

}  // namespace
}  // namespace chat::client
