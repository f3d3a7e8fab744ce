// ConnectionCounter: the total and per-address caps, and that closes give the room back.
#include "server/connection_counter.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

TEST(ConnectionCounter, CapsEachAddress) {
  ConnectionCounter counter(100, 2);
  counter.opened("10.0.0.1");
  EXPECT_TRUE(counter.admits("10.0.0.1"));
  counter.opened("10.0.0.1");
  EXPECT_FALSE(counter.admits("10.0.0.1"));
  EXPECT_TRUE(counter.admits("10.0.0.2"));  // others are not affected
  counter.closed("10.0.0.1");
  EXPECT_TRUE(counter.admits("10.0.0.1"));
}

TEST(ConnectionCounter, CapsTheTotal) {
  ConnectionCounter counter(3, 0);
  for (const char* address : {"a", "b", "c"}) counter.opened(address);
  EXPECT_FALSE(counter.admits("d"));
  EXPECT_EQ(counter.total(), 3u);
  counter.closed("b");
  EXPECT_TRUE(counter.admits("d"));
}

TEST(ConnectionCounter, ZeroMeansNoCap) {
  ConnectionCounter counter(0, 0);
  for (int i = 0; i < 1000; ++i) counter.opened("same");
  EXPECT_TRUE(counter.admits("same"));
}

TEST(ConnectionCounter, ClosingAnUnknownAddressChangesNothing) {
  ConnectionCounter counter(1, 1);
  counter.closed("ghost");
  EXPECT_EQ(counter.total(), 0u);
  EXPECT_TRUE(counter.admits("ghost"));
}

}  // namespace
}  // namespace chat
