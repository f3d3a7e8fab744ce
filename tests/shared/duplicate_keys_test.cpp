// DuplicateKeys: repeated keys per object, nesting, and the switch from a list to a set.
#include "shared/duplicate_keys.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chat {
namespace {

TEST(DuplicateKeys, RefusesAKeySeenTwiceInOneObject) {
  DuplicateKeys keys;
  keys.open_object();
  EXPECT_TRUE(keys.add("action"));
  EXPECT_TRUE(keys.add("user"));
  EXPECT_FALSE(keys.add("action"));
  EXPECT_FALSE(keys.add("user"));
}

TEST(DuplicateKeys, EachObjectHasItsOwnKeys) {
  DuplicateKeys keys;
  keys.open_object();
  EXPECT_TRUE(keys.add("a"));
  keys.open_object();
  EXPECT_TRUE(keys.add("a"));  // nested: another object
  keys.close_object();
  keys.open_object();
  EXPECT_TRUE(keys.add("a"));  // a sibling starts empty
  keys.close_object();
  EXPECT_FALSE(keys.add("a"));  // back in the outer object, which has it
  EXPECT_TRUE(keys.add("b"));
}

TEST(DuplicateKeys, LargeObjectsStillRefuseRepeatsAndForgetOnClose) {
  DuplicateKeys keys;
  keys.open_object();
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(keys.add("k" + std::to_string(i))) << i;
  keys.open_object();  // nested inside the large one
  EXPECT_TRUE(keys.add("k1"));
  EXPECT_FALSE(keys.add("k1"));
  keys.close_object();
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(keys.add("k" + std::to_string(i))) << i;
  keys.close_object();
  keys.open_object();
  EXPECT_TRUE(keys.add("k1"));
}

TEST(DuplicateKeys, EmptyAndBinaryKeysCompareByBytes) {
  DuplicateKeys keys;
  keys.open_object();
  EXPECT_TRUE(keys.add(""));
  EXPECT_FALSE(keys.add(""));
  EXPECT_TRUE(keys.add(std::string("a\0b", 3)));
  EXPECT_TRUE(keys.add(std::string("a\0c", 3)));
  EXPECT_FALSE(keys.add(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace chat
