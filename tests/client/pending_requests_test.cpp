// PendingRequests: ids on the wire, answers taken once, unknown ids, the cap.
#include <gtest/gtest.h>

#include <string>

#include "app/pending_requests.hpp"

namespace chat::client {
namespace {

Asked create(const std::string& room) { return Asked{Asked::Kind::create_room, room}; }

TEST(PendingRequests, AnAnswerNamesItsRequestOnce) {
  PendingRequests pending;
  const std::string first = pending.file(create("jeux"));
  const std::string second = pending.file(Asked{Asked::Kind::send, ""});
  EXPECT_NE(first, second);
  const auto asked = pending.take(first);
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->kind, Asked::Kind::create_room);
  EXPECT_EQ(asked->subject, "jeux");
  EXPECT_FALSE(pending.take(first)) << "answered already";
  EXPECT_EQ(pending.take(second)->kind, Asked::Kind::send);
  EXPECT_EQ(pending.size(), 0u);
}

TEST(PendingRequests, IdsAreIntegersOnTheWire) {
  PendingRequests pending;
  const std::string id = pending.file(create("a"));
  EXPECT_EQ(id.find_first_not_of("0123456789"), std::string::npos) << id;
}

TEST(PendingRequests, UnknownOrMalformedIdsNameNothing) {
  PendingRequests pending;
  const std::string id = pending.file(create("a"));
  EXPECT_FALSE(pending.take(""));
  EXPECT_FALSE(pending.take("999"));
  EXPECT_FALSE(pending.take("\"" + id + "\"")) << "a string is not our integer";
  EXPECT_FALSE(pending.take(id + "x"));
  EXPECT_FALSE(pending.take("-" + id));
  EXPECT_EQ(pending.size(), 1u) << "nothing taken by mistake";
}

TEST(PendingRequests, PastTheCapTheOldestIsForgotten) {
  PendingRequests pending(2);
  const std::string oldest = pending.file(create("a"));
  const std::string middle = pending.file(create("b"));
  const std::string newest = pending.file(create("c"));
  EXPECT_EQ(pending.size(), 2u);
  EXPECT_FALSE(pending.take(oldest));
  EXPECT_EQ(pending.take(middle)->subject, "b");
  EXPECT_EQ(pending.take(newest)->subject, "c");
}

TEST(PendingRequests, NewestOfAKindAndClearingOnClose) {
  PendingRequests pending;
  EXPECT_EQ(pending.newest(Asked::Kind::history), nullptr);
  pending.file(Asked{Asked::Kind::history, "general", 51});
  const std::string later = pending.file(Asked{Asked::Kind::history, "jeux", 7});
  pending.file(Asked{Asked::Kind::send, ""});
  ASSERT_NE(pending.newest(Asked::Kind::history), nullptr);
  EXPECT_EQ(pending.newest(Asked::Kind::history)->subject, "jeux");
  pending.clear();
  EXPECT_EQ(pending.size(), 0u);
  EXPECT_FALSE(pending.take(later));
  EXPECT_NE(pending.file(create("d")), later) << "ids are not reused after a close";
}

}  // namespace
}  // namespace chat::client
