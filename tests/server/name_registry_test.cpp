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

}  // namespace
}  // namespace chat
