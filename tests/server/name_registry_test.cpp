// NameRegistry: one holder per name, one name per session, rename releases the old name.
#include "server/core/name_registry.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

TEST(NameRegistry, OneHolderPerName) {
  NameRegistry names;
  EXPECT_TRUE(names.claim(1, "alice"));
  EXPECT_FALSE(names.claim(2, "alice"));
  EXPECT_EQ(names.name_of(2), nullptr);
  EXPECT_EQ(*names.name_of(1), "alice");
}

TEST(NameRegistry, ReclaimingOwnNameSucceeds) {
  NameRegistry names;
  ASSERT_TRUE(names.claim(1, "alice"));
  EXPECT_TRUE(names.claim(1, "alice"));
  EXPECT_EQ(*names.name_of(1), "alice");
}

TEST(NameRegistry, RenameReleasesOldName) {
  NameRegistry names;
  ASSERT_TRUE(names.claim(1, "alice"));
  ASSERT_TRUE(names.claim(1, "alicia"));
  EXPECT_EQ(*names.name_of(1), "alicia");
  EXPECT_TRUE(names.claim(2, "alice"));
  EXPECT_FALSE(names.claim(2, "alicia"));
}

TEST(NameRegistry, ReleaseFreesTheName) {
  NameRegistry names;
  ASSERT_TRUE(names.claim(1, "alice"));
  names.release(1);
  names.release(1);  // twice: no effect
  EXPECT_EQ(names.name_of(1), nullptr);
  EXPECT_TRUE(names.claim(2, "alice"));
}

TEST(NameRegistry, LookAlikeNamesAreTheSameName) {
  NameRegistry names;
  ASSERT_TRUE(names.claim(1, "alice"));
  EXPECT_FALSE(names.claim(2, "Alice"));
  EXPECT_FALSE(names.claim(2, "\u0430lice"));  // Cyrillic a
  EXPECT_TRUE(names.claim(1, "Alice"));          // the holder may change its spelling
  EXPECT_EQ(*names.name_of(1), "Alice");
  names.release(1);
  EXPECT_TRUE(names.claim(2, "ALICE"));
}

// Issue 12's look-alikes, each refused while "alice" (or "oscar") is held.
TEST(NameRegistry, UnicodeLookAlikesOfAHeldNameAreRefused) {
  NameRegistry names;
  ASSERT_TRUE(names.claim(1, "alice"));
  ASSERT_TRUE(names.claim(2, "oscar"));
  for (const char* look_alike : {"\U0001D41A\U0001D425\U0001D422\U0001D41C\U0001D41E", "\u0251lice",
                                 "\uFF21\uFF2C\uFF29\uFF23\uFF25", "\u0585scar", "\u1EA1lice", "aIice"}) {
    EXPECT_FALSE(names.claim(3, look_alike)) << look_alike;
  }
  EXPECT_EQ(names.name_of(3), nullptr);
}

// Case used to be folded before the look-alike table, so Greek nu became Latin n.
TEST(NameRegistry, GreekNuDoesNotTakeLatinN) {
  NameRegistry names;
  ASSERT_TRUE(names.claim(1, "nick"));
  EXPECT_TRUE(names.claim(2, "\u03BDick"));
}

TEST(NameRegistry, SeedNamesAreAllDistinct) {
  NameRegistry names;
  SessionId id = 1;
  for (const char* name : {"alice", "Bob_2", "Zo\u00EB", "\u0395\u03BB\u03AD\u03BD\u03B7",
                           "\u0414\u043C\u0438\u0442\u0440\u0438\u0439", "\u674E\u96F7"}) {
    EXPECT_TRUE(names.claim(id++, name)) << name;
  }
  EXPECT_FALSE(names.claim(id, "Alice"));
}

}  // namespace
}  // namespace chat
