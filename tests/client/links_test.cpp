// Links found in chat lines: drawn as links, opened by a click or from the line menu.
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

TEST(FindLinks, SpansAreTheLinksBytesInTheLine) {
  EXPECT_EQ(find_link_spans("see https://e.test/x, ok"), (std::vector<LinkSpan>{{4, 20}}));
}

TEST(LinkAt, TheLinkUnderAByteOrNothing) {
  const std::string text = "look: https://example.test/page?x=1!";
  EXPECT_EQ(link_at(text, 6), "https://example.test/page?x=1");
  EXPECT_EQ(link_at(text, 34), "https://example.test/page?x=1");
  EXPECT_EQ(link_at(text, 35), "");  // the "!" after it
  EXPECT_EQ(link_at(text, 2), "");
}

}  // namespace
}  // namespace chat::client
