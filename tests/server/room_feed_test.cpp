// RoomFeed: each id delivered once, in order, whatever the inbox repeats, misses or reorders; holes
// filled from history, and proven-empty holes skipped, never waited on for ever.
#include "server/core/room_feed.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

ChatLine line(std::int64_t id) { return ChatLine{id, 1000 + id, "alice", "line " + std::to_string(id)}; }

std::vector<std::int64_t> ids(const RoomFeed::Step& step) {
  std::vector<std::int64_t> out;
  for (const auto& delivered : step.deliver) out.push_back(delivered.id);
  return out;
}

LinePage page(std::vector<std::int64_t> line_ids, bool more = false, std::string epoch = "e1") {
  LinePage result;
  for (const auto id : line_ids) result.lines.push_back(line(id));
  result.more = more;
  result.epoch = std::move(epoch);
  return result;
}

using Ids = std::vector<std::int64_t>;

TEST(RoomFeedTest, DeliversInOrderAndDropsRepeats) {
  RoomFeed feed("e1", 4);
  EXPECT_EQ(ids(feed.offer("e1", line(5))), Ids{5});
  EXPECT_EQ(ids(feed.offer("e1", line(5))), Ids{});
  EXPECT_EQ(ids(feed.offer("e1", line(3))), Ids{});
  EXPECT_EQ(ids(feed.offer("e1", line(6))), Ids{6});
  EXPECT_EQ(feed.last_id(), 6);
}

TEST(RoomFeedTest, AHoleIsReadFromHistoryThenTheHeldLinesFollow) {
  RoomFeed feed("e1", 4);
  const auto gap = feed.offer("e1", line(7));
  EXPECT_TRUE(ids(gap).empty());
  ASSERT_TRUE(gap.read_needed);
  EXPECT_EQ(feed.begin_read(), 4);
  EXPECT_FALSE(feed.offer("e1", line(8)).read_needed);  // one read at a time
  const auto healed = feed.read_done(page({5, 6, 7}));
  EXPECT_EQ(ids(healed), (Ids{5, 6, 7, 8}));
  EXPECT_TRUE(healed.read_needed);  // line 8 came during the read: the read may not cover what follows
  feed.begin_read();
  const auto settled = feed.read_done(page({}));
  EXPECT_TRUE(ids(settled).empty());
  EXPECT_FALSE(settled.read_needed);
  EXPECT_EQ(feed.last_id(), 8);
}

TEST(RoomFeedTest, LinesArrivingDuringTheReadInOrderAreDeliveredAtOnce) {
  RoomFeed feed("e1", 0);
  feed.begin_read();  // a resync's read is in flight
  EXPECT_EQ(ids(feed.offer("e1", line(1))), Ids{1});
  EXPECT_EQ(ids(feed.read_done(page({1}))), Ids{});  // the read's copy is a repeat
}

TEST(RoomFeedTest, AVoidIdIsSkippedWithoutARead) {
  RoomFeed feed("e1", 4);
  const auto skipped = feed.skip("e1", 5);
  EXPECT_FALSE(skipped.read_needed);
  EXPECT_EQ(ids(feed.offer("e1", line(6))), Ids{6});
}

TEST(RoomFeedTest, AHoleTheReadProvesEmptyIsSkipped) {
  RoomFeed feed("e1", 4);
  ASSERT_TRUE(feed.offer("e1", line(7)).read_needed);  // 5 and 6 were never stored (their voids lost)
  feed.begin_read();
  const auto healed = feed.read_done(page({7}));
  EXPECT_EQ(ids(healed), Ids{7});
  EXPECT_FALSE(healed.read_needed);
}

TEST(RoomFeedTest, AHoleNewerThanTheReadIsReadAgain) {
  RoomFeed feed("e1", 4);
  ASSERT_TRUE(feed.offer("e1", line(6)).read_needed);
  feed.begin_read();
  feed.offer("e1", line(9));  // arrived during the read: 7 and 8 may exist beyond what it saw
  const auto first = feed.read_done(page({5, 6}));
  EXPECT_EQ(ids(first), (Ids{5, 6}));
  ASSERT_TRUE(first.read_needed);
  EXPECT_EQ(feed.begin_read(), 6);
  EXPECT_EQ(ids(feed.read_done(page({7, 8, 9}))), (Ids{7, 8, 9}));
}

TEST(RoomFeedTest, AFullPageReadsOn) {
  RoomFeed feed("e1", 0);
  feed.offer("e1", line(4));
  feed.begin_read();
  const auto first = feed.read_done(page({1, 2}, /*more=*/true));
  EXPECT_EQ(ids(first), (Ids{1, 2}));
  ASSERT_TRUE(first.read_needed);
  EXPECT_EQ(feed.begin_read(), 2);
  EXPECT_EQ(ids(feed.read_done(page({3, 4}))), (Ids{3, 4}));
}

TEST(RoomFeedTest, AFailedReadWaitsForTheNextArrivalOrResync) {
  RoomFeed feed("e1", 0);
  feed.offer("e1", line(2));
  feed.begin_read();
  LinePage failed;
  failed.ok = false;
  EXPECT_FALSE(feed.read_done(failed).read_needed);
  EXPECT_TRUE(feed.resync().read_needed);
}

TEST(RoomFeedTest, ResyncDuringAReadReadsAgainAfterIt) {
  RoomFeed feed("e1", 0);
  feed.begin_read();
  EXPECT_FALSE(feed.resync().read_needed);
  EXPECT_TRUE(feed.read_done(page({})).read_needed);
}

TEST(RoomFeedTest, ANewEpochRestartsTheNumbering) {
  RoomFeed feed("e1", 40);
  EXPECT_EQ(ids(feed.offer("e2", line(1))), Ids{1});
  EXPECT_EQ(feed.epoch(), "e2");
  EXPECT_EQ(feed.last_id(), 1);
  const auto gap = feed.offer("e3", line(3));
  EXPECT_TRUE(gap.read_needed);
  EXPECT_EQ(feed.begin_read(), 0);
  EXPECT_EQ(ids(feed.read_done(page({1, 2, 3}, false, "e3"))), (Ids{1, 2, 3}));
}

TEST(RoomFeedTest, AnEmptyRoomAdoptsItsFirstEpoch) {
  RoomFeed feed("", 0);
  EXPECT_EQ(ids(feed.offer("e9", line(1))), Ids{1});
  EXPECT_EQ(feed.epoch(), "e9");
}

TEST(RoomFeedTest, WaitersRunOnceTheirLineIsDelivered) {
  RoomFeed feed("e1", 4);
  int released = 0;
  EXPECT_TRUE(feed.delivered_or_wait("e1", 3, [&] { ++released; }));
  EXPECT_FALSE(feed.delivered_or_wait("e1", 6, [&] { ++released; }));
  auto step = feed.offer("e1", line(5));
  EXPECT_TRUE(step.ready.empty());
  step = feed.offer("e1", line(6));
  ASSERT_EQ(step.ready.size(), 1u);
  step.ready[0]();
  EXPECT_EQ(released, 1);
  EXPECT_FALSE(feed.delivered_or_wait("e1", 9, [&] { ++released; }));
  for (auto& waiter : feed.take_waiters()) waiter();
  EXPECT_EQ(released, 2);
}

TEST(RoomFeedTest, HeldLinesAreBounded) {
  RoomFeed feed("e1", 0);
  for (std::int64_t id = 2; id < 2 + static_cast<std::int64_t>(RoomFeed::kMaxHeld) + 100; ++id) feed.offer("e1", line(id));
  feed.begin_read();
  // The read brings back what was not held: every line, once, in order.
  std::vector<std::int64_t> all;
  for (std::int64_t id = 1; id < 2 + static_cast<std::int64_t>(RoomFeed::kMaxHeld) + 100; ++id) all.push_back(id);
  const auto healed = feed.read_done(page(all));
  EXPECT_EQ(ids(healed), all);
}

}  // namespace
}  // namespace chat
