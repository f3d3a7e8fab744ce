// HandshakeGuard: the per-network cap (IPv6 by /64), the deadlines that shrink under pressure, the
// oldest cut first when the pool is nearly held, and answered requests no longer counted.
#include "server/lws/handshake_guard.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace chat {
namespace {

HandshakeGuard::Limits small_limits() {
  HandshakeGuard::Limits limits;
  limits.per_network = 2;
  limits.pressure_at = 4;
  limits.keep_at_most = 6;
  limits.deadline_ms = 10000;
  limits.pressure_deadline_ms = 2000;
  return limits;
}

void open(HandshakeGuard& guard, HandshakeGuard::Id id, const std::string& address, std::uint64_t now = 0) {
  guard.started(id, now);
  guard.addressed(id, address, false);
}

TEST(NetworkKey, IPv6CountsByItsSlash64AndIPv4ByItself) {
  EXPECT_EQ(network_key("2001:db8:1:2:aaaa::1"), network_key("2001:db8:1:2:bbbb::9"));
  EXPECT_NE(network_key("2001:db8:1:2::1"), network_key("2001:db8:1:3::1"));
  EXPECT_EQ(network_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(network_key("10.0.0.1"), "10.0.0.1");
  EXPECT_NE(network_key("10.0.0.1"), network_key("10.0.0.2"));
}

TEST(HandshakeGuard, CapsEachNetworkAndKillsTheRefusedOne) {
  HandshakeGuard guard(small_limits());
  open(guard, 1, "10.0.0.1");
  open(guard, 2, "10.0.0.1");
  guard.started(3, 0);
  EXPECT_FALSE(guard.addressed(3, "10.0.0.1", false));
  guard.started(5, 0);
  EXPECT_TRUE(guard.addressed(5, "10.0.0.2", false));  // another address is not affected
  EXPECT_EQ(guard.take_kills(1), std::vector<HandshakeGuard::Id>{3});
  EXPECT_FALSE(guard.guards(3));
}

TEST(HandshakeGuard, ManyAddressesOfOneIPv6NetworkShareItsCap) {
  HandshakeGuard guard(small_limits());
  open(guard, 1, "2001:db8::1");
  open(guard, 2, "2001:db8::2");
  guard.started(3, 0);
  EXPECT_FALSE(guard.addressed(3, "2001:db8::ffff:3", false));
}

TEST(HandshakeGuard, TrustedProxiesAreNotCapped) {
  HandshakeGuard guard(small_limits());
  for (HandshakeGuard::Id id = 1; id <= 4; ++id) {
    guard.started(id, 0);
    EXPECT_TRUE(guard.addressed(id, "10.0.0.9", true));
  }
  EXPECT_TRUE(guard.take_kills(1).empty());
}

// A keep-alive connection whose request was answered holds no request open: answered() gives its
// network's place back at once, however many such connections the address has, and it has no
// deadline here (lws times idle ones out).
TEST(HandshakeGuard, AnsweredRequestsNoLongerCountNorExpire) {
  HandshakeGuard guard(small_limits());
  for (HandshakeGuard::Id id = 1; id <= 5; ++id) {
    open(guard, id, "10.0.0.1");
    guard.answered(id, 0);
    guard.answered(id, 100);  // its next request: still kept
  }
  guard.started(101, 0);
  EXPECT_TRUE(guard.addressed(101, "10.0.0.1", false));
  EXPECT_EQ(guard.unfinished(), 1u);
  EXPECT_EQ(guard.held(), 6u);
  EXPECT_EQ(guard.take_kills(20000), std::vector<HandshakeGuard::Id>{101});  // only the unfinished one
  EXPECT_EQ(guard.held(), 5u);
  guard.finished(3);  // upgraded or gone
  EXPECT_EQ(guard.held(), 4u);
}

// Each kept-alive connection may be holding a header buffer for its next request, which no
// callback reports: under pressure they are cut too, the one whose last request is oldest first.
TEST(HandshakeGuard, KeptAliveOnesAreCutUnderPressureOldestRequestFirst) {
  HandshakeGuard guard(small_limits());
  for (HandshakeGuard::Id id = 1; id <= 6; ++id) {
    open(guard, id, "10.0.2." + std::to_string(id));
    guard.answered(id, id);
  }
  guard.answered(1, 10);  // 1 made a new request: 2 is now the oldest
  open(guard, 7, "10.0.3.1", 11);
  EXPECT_EQ(guard.take_kills(12), std::vector<HandshakeGuard::Id>{2});
  EXPECT_TRUE(guard.guards(1));
  EXPECT_TRUE(guard.guards(7));
}

TEST(HandshakeGuard, UnfinishedOnesExpireAfterTheDeadline) {
  HandshakeGuard guard(small_limits());
  open(guard, 1, "10.0.0.1", 0);
  open(guard, 2, "10.0.0.2", 5000);
  EXPECT_TRUE(guard.take_kills(9999).empty());
  EXPECT_EQ(guard.take_kills(10000), std::vector<HandshakeGuard::Id>{1});
  EXPECT_EQ(guard.take_kills(15000), std::vector<HandshakeGuard::Id>{2});
  EXPECT_EQ(guard.unfinished(), 0u);
}

TEST(HandshakeGuard, UnderPressureTheDeadlineShrinks) {
  HandshakeGuard guard(small_limits());
  for (HandshakeGuard::Id id = 1; id <= 5; ++id) open(guard, id, "10.0.0." + std::to_string(id), id * 100);
  // 5 held > pressure_at (4): 2 s instead of 10 s, until back under it.
  EXPECT_TRUE(guard.take_kills(2099).empty());
  EXPECT_EQ(guard.take_kills(2100), std::vector<HandshakeGuard::Id>{1});
  EXPECT_TRUE(guard.take_kills(5000).empty());  // 4 left: no pressure, 10 s again
  EXPECT_EQ(guard.unfinished(), 4u);
}

TEST(HandshakeGuard, BeyondKeepAtMostTheOldestAreCutAtOnce) {
  HandshakeGuard guard(small_limits());
  for (HandshakeGuard::Id id = 1; id <= 9; ++id) open(guard, id, "10.0.1." + std::to_string(id), 0);
  const auto kills = guard.take_kills(1);
  EXPECT_EQ(kills, (std::vector<HandshakeGuard::Id>{1, 2, 3}));
  EXPECT_EQ(guard.unfinished(), 6u);
  guard.started(10, 2);  // the newcomer is kept, the oldest goes
  EXPECT_EQ(guard.take_kills(3), std::vector<HandshakeGuard::Id>{4});
  EXPECT_TRUE(guard.guards(10));
}

TEST(HandshakeGuard, AStallRestartsEveryDeadline) {
  HandshakeGuard guard(small_limits());
  open(guard, 1, "10.0.0.1", 0);
  guard.restart_clocks(12000);  // the loop stood still from 0 to 12 s
  EXPECT_TRUE(guard.take_kills(12000).empty());
  EXPECT_EQ(guard.take_kills(22000), std::vector<HandshakeGuard::Id>{1});
}

// lws reuses a destroyed connection's memory: a refused id that is a new connection by the time
// of the kill is not killed, and a reused id starts over.
TEST(HandshakeGuard, AReusedIdIsANewConnection) {
  HandshakeGuard guard(small_limits());
  open(guard, 1, "10.0.0.1");
  open(guard, 2, "10.0.0.1");
  guard.started(3, 0);
  EXPECT_FALSE(guard.addressed(3, "10.0.0.1", false));
  guard.finished(3);
  guard.started(3, 0);
  EXPECT_TRUE(guard.addressed(3, "10.0.0.2", false));
  EXPECT_TRUE(guard.take_kills(1).empty());
  guard.started(1, 5000);  // 1 gone and reused without a finished(): its old place is given back
  EXPECT_TRUE(guard.addressed(1, "10.0.0.1", false));
}

}  // namespace
}  // namespace chat
