// name_key: the look-alike rules under which nicknames are unique (PROTOCOL.md, "Names").
#include "server/core/name_key.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

struct Case {
  const char* a;
  const char* b;
};

TEST(NameKey, LookAlikesShareAKey) {
  const Case same[] = {
      {"alice", "Alice"},
      {"alice", "ALICE"},
      {"jose", "José"},
      {"jose", "Jose\xCC\x81"},           // combining acute (not NFC)
      {"zoe", "Zoë"},
      {"lukasz", "Łukasz"},
      {"ana maria", "Ana   Maria"},       // runs of spaces
      {"ana maria", "Ana\xC2\xA0Maria"},  // no-break space
      {"alice", "al\xE2\x80\x8Bice"},     // zero-width space inside
      {"alice", "alice\xEF\xB8\x8F"},     // variation selector
      {"alice", "\xD0\xB0lice"},          // Cyrillic a
      {"paypal", "\xD1\x80\xD0\xB0yp\xD0\xB0l"},  // Cyrillic r, a
      {"hello", "\xD0\x9D\xD0\x95LL\xD0\x9E"},  // Cyrillic Н, Е, О
  };
  for (const auto& c : same) EXPECT_EQ(name_key(c.a), name_key(c.b)) << c.b;
}

TEST(NameKey, DifferentNamesKeepDifferentKeys) {
  const Case different[] = {
      {"alice", "alicia"},
      {"ana", "anna"},
      {"Дмитрий", "Дмитри"},
      {"李雷", "韩梅梅"},
      {"😀", "😃"},
      {"a b", "ab"},
  };
  for (const auto& c : different) EXPECT_NE(name_key(c.a), name_key(c.b)) << c.a << " / " << c.b;
}

TEST(NameKey, CyrillicAndGreekNamesFoldCase) {
  EXPECT_EQ(name_key("ДМИТРИЙ"), name_key("дмитрий"));
  EXPECT_EQ(name_key("ΕΛΕΝΗ"), name_key("ελενη"));
}

}  // namespace
}  // namespace chat
