// The pure units under unread counts and mentions (docs/ACCOUNTS.md, step 4): ReadMarkers, the
// void ids a count skips (VoidedIds, RoomFeed::lines_after), and the words that may mention.
#include <gtest/gtest.h>

#include "server/core/mentions.hpp"
#include "server/core/read_markers.hpp"
#include "server/core/room_feed.hpp"
#include "server/core/voided_ids.hpp"

namespace chat {
namespace {

TEST(ReadMarkers, OnlyHeldAccountsAreKeptAndTheirFollowersIndexed) {
  ReadMarkers markers;
  EXPECT_FALSE(markers.raise_read(1, "general", 5));  // not held: nothing kept
  EXPECT_TRUE(markers.hold(1));
  EXPECT_FALSE(markers.hold(1));
  EXPECT_TRUE(markers.loading(1));
  markers.follow(1, "club");
  EXPECT_TRUE(markers.raise_read(1, "general", 5));
  EXPECT_FALSE(markers.raise_read(1, "general", 4));  // only rises
  EXPECT_EQ(markers.followers("club").count(1), 1u);
  EXPECT_EQ(markers.followers("general").count(1), 1u);
  markers.unfollow(1, "club");
  EXPECT_TRUE(markers.followers("club").empty());
  markers.forget(1);
  EXPECT_FALSE(markers.holds(1));
  EXPECT_TRUE(markers.followers("general").empty());
  EXPECT_TRUE(markers.rooms_of(1).empty());
}

TEST(ReadMarkers, RaisesHeardWhileLoadingMergeWithTheStoredOnesByMax) {
  ReadMarkers markers;
  markers.hold(7);
  markers.raise_read(7, "a", 10);
  markers.raise_mention(7, "b", 3, false);
  EXPECT_TRUE(markers.loaded(7, {ReadMarker{"a", 4, 9}, ReadMarker{"b", 8, 1}, ReadMarker{"c", 2, 0}}));
  EXPECT_FALSE(markers.loading(7));
  EXPECT_EQ(markers.find(7, "a")->last_read_id, 10);
  EXPECT_EQ(markers.find(7, "a")->last_mention_id, 9);
  EXPECT_EQ(markers.find(7, "b")->last_read_id, 8);
  EXPECT_EQ(markers.find(7, "b")->last_mention_id, 3);
  EXPECT_EQ(markers.rooms_of(7).size(), 3u);
  EXPECT_FALSE(markers.loaded(7, {}));  // a second load: merged, not "the first"
  EXPECT_FALSE(markers.loaded(8, {ReadMarker{"a", 1, 0}}));  // not held: left alone
  EXPECT_FALSE(markers.holds(8));
}

TEST(ReadMarkers, AMentionInAPublicRoomNeverReadCountsFromTheMentionNotFromTheStart) {
  ReadMarkers markers;
  markers.hold(1);
  EXPECT_TRUE(markers.raise_mention(1, "general", 40, true));
  EXPECT_EQ(markers.find(1, "general")->last_read_id, 39);
  EXPECT_EQ(markers.find(1, "general")->last_mention_id, 40);
  // A room already followed keeps its marker; a private room is followed from its first line.
  markers.raise_read(1, "jeux", 5);
  markers.raise_mention(1, "jeux", 40, true);
  EXPECT_EQ(markers.find(1, "jeux")->last_read_id, 5);
  markers.raise_mention(1, "secret", 40, false);
  EXPECT_EQ(markers.find(1, "secret")->last_read_id, 0);
}

TEST(ReadMarkers, ADeletedRoomsMarkersGo) {
  ReadMarkers markers;
  markers.hold(1);
  markers.hold(2);
  markers.raise_read(1, "club", 3);
  markers.follow(2, "club");
  markers.forget_room("club");
  EXPECT_EQ(markers.find(1, "club"), nullptr);
  EXPECT_EQ(markers.find(2, "club"), nullptr);
  EXPECT_TRUE(markers.followers("club").empty());
}

TEST(ReadMarkers, ARoomNumberedAnewStartsFromZeroAndIsStillFollowed) {
  ReadMarkers markers;
  markers.hold(1);
  markers.raise_read(1, "club", 30);
  markers.raise_mention(1, "club", 12, false);
  markers.reset_room("club");
  ASSERT_NE(markers.find(1, "club"), nullptr);
  EXPECT_EQ(markers.find(1, "club")->last_read_id, 0);
  EXPECT_EQ(markers.find(1, "club")->last_mention_id, 0);
  EXPECT_EQ(markers.followers("club").count(1), 1u);
}

TEST(VoidedIds, CountsTheVoidIdsInARangeAndKeepsTheNewestThousand) {
  VoidedIds voided;
  voided.add(3);
  voided.add_range(10, 12);
  EXPECT_EQ(voided.count_in(0, 20), 4);
  EXPECT_EQ(voided.count_in(3, 11), 2);  // (3, 11]: 10 and 11
  EXPECT_EQ(voided.count_in(12, 12), 0);
  voided.add_range(100, 100'000);  // a huge hole: only the newest are walked and kept
  EXPECT_EQ(voided.size(), VoidedIds::kMaxKept);
  EXPECT_EQ(voided.count_in(0, 100'000), static_cast<std::int64_t>(VoidedIds::kMaxKept));
  EXPECT_EQ(voided.count_in(0, 50), 0);  // the oldest went
}

TEST(RoomFeedLinesAfter, CountsDeliveredIdsButTheVoidOnes) {
  RoomFeed feed("e1", 2);  // loaded with two lines
  EXPECT_EQ(feed.lines_after(0), 2);
  feed.offer("e1", ChatLine{3, 0, "a", "x"});
  feed.skip("e1", 4);
  feed.offer("e1", ChatLine{5, 0, "a", "y"});
  EXPECT_EQ(feed.lines_after(0), 4);
  EXPECT_EQ(feed.lines_after(3), 1);
  EXPECT_EQ(feed.lines_after(5), 0);
  EXPECT_EQ(feed.lines_after(99), 0);  // a marker of an older numbering
  EXPECT_TRUE(feed.offer("e2", ChatLine{1, 0, "a", "new"}).renumbered);  // what was known goes
  EXPECT_EQ(feed.lines_after(0), 1);
}

TEST(RoomFeedLinesAfter, AHoleHistoryProvesEmptyIsVoid) {
  RoomFeed feed("e1", 1);
  const RoomFeed::Step step = feed.offer("e1", ChatLine{4, 0, "a", "after a hole"});
  ASSERT_TRUE(step.read_needed);
  const std::int64_t after = feed.begin_read();
  LinePage page;
  page.epoch = "e1";
  page.lines = {ChatLine{3, 0, "a", "found"}, ChatLine{4, 0, "a", "after a hole"}};  // 2 was never stored
  ASSERT_EQ(after, 1);
  feed.read_done(page);
  EXPECT_EQ(feed.last_id(), 4);
  EXPECT_EQ(feed.lines_after(1), 2);
}

TEST(MentionWords, TheLongestRunOfNameCharactersWithoutTrailingPunctuation) {
  const Limits limits;
  EXPECT_EQ(mention_words("hi @alice, and @bob!? @carol.", limits), (std::vector<std::string>{"alice", "bob", "carol"}));
  EXPECT_EQ(mention_words("@ａｌｉｃｅ\n@Zoë's", limits), (std::vector<std::string>{"ａｌｉｃｅ", "Zoë's"}));
  EXPECT_EQ(mention_words("@alice @alice @ALICE", limits), (std::vector<std::string>{"alice", "ALICE"}));
  EXPECT_TRUE(mention_words("no one @ all, @!, @", limits).empty());
  EXPECT_TRUE(mention_words("mail@", limits).empty());
  EXPECT_EQ(mention_words("@a\u200Bb", limits), std::vector<std::string>{"a"});  // an invisible character ends it
  EXPECT_TRUE(mention_words("@" + std::string(33, 'x'), limits).empty());  // longer than any name
}

// ',' and '@' are characters a name may hold, so "@alice,@bob" is one run: it is a word, and so
// are "alice" and "bob". Until then it mentioned no one.
TEST(MentionWords, ARunOfSeveralMentionsMentionsEachOfThem) {
  const Limits limits;
  EXPECT_EQ(mention_words("@alice,@bob", limits), (std::vector<std::string>{"alice,@bob", "alice", "bob"}));
  EXPECT_EQ(mention_words("@alice@bob!", limits), (std::vector<std::string>{"alice@bob", "alice", "bob"}));
  EXPECT_EQ(mention_words("@alice,bob", limits), (std::vector<std::string>{"alice,bob", "alice"}));
  EXPECT_EQ(mention_words("write to me@home.org", limits), std::vector<std::string>{"home.org"});
}

TEST(MentionWords, AtMostSoManyWordsAreRead) {
  std::string text;
  for (std::size_t i = 0; i < kMaxMentionWords + 10; ++i) text += "@n" + std::to_string(i) + " ";
  EXPECT_EQ(mention_words(text, Limits{}).size(), kMaxMentionWords);
}

}  // namespace
}  // namespace chat
