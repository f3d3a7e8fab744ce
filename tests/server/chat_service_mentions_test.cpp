// The chat core's mentions (docs/ACCOUNTS.md, step 4): `@name` read by identity key, for the
// accounts that may see the room, the author left out; the `mentions` of live lines and history
// pages; the mention flag of a count, stored by the publishing node.
#include "fakes/unread_test.hpp"

namespace chat {
namespace {

using ChatServiceMentionsTest = UnreadTest;

std::vector<MessageFrame> chat_lines(const std::vector<ServerFrame>& frames) {
  std::vector<MessageFrame> lines;
  for (const auto& frame : frames) {
    const auto* message = std::get_if<MessageFrame>(&frame);
    if (message && message->event == Event::chat) lines.push_back(*message);
  }
  return lines;
}

TEST_F(ChatServiceMentionsTest, AMentionInAnotherSpellingSetsTheMentionUntilRead) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("Bob");
  club_with(alice, "bob");
  send(alice, SendMessage{"hi @ｂｏｂ!"});  // full width, lower case: Bob by his identity key
  const auto lines = chat_lines(transport_.take(alice));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].mentions, std::vector<std::string>{"Bob"});  // his own spelling
  const UnreadCount count = only_count(bob);
  EXPECT_EQ(count.count, 1);
  EXPECT_TRUE(count.mention);
  EXPECT_EQ(stored_marker("Bob", "club").last_mention_id, 1);
  send(alice, SendMessage{"and @BÓB."});  // accents and case, a full stop after
  EXPECT_EQ(chat_lines(transport_.take(alice))[0].mentions, std::vector<std::string>{"Bob"});
  EXPECT_EQ(stored_marker("Bob", "club").last_mention_id, 2);
  const auto read = entries(frames_of<UnreadFrame>(ask_raw(bob, R"({"action":"mark_read","room":"club","id":2})")));
  ASSERT_EQ(read.size(), 1u);
  EXPECT_FALSE(read[0].mention);
}

TEST_F(ChatServiceMentionsTest, NobodyWhoMayNotSeeTheRoomIsMentionedNorTheAuthor) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  const auto [carol, carol_token] = device("carol");
  club_with(alice, "bob");
  send(alice, SendMessage{"@carol @alice @nobody, @bob: see this"});
  const auto lines = chat_lines(transport_.take(alice));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].mentions, std::vector<std::string>{"bob"});
  EXPECT_FALSE(has_stored_marker("carol", "club"));
  EXPECT_EQ(stored_marker("alice", "club").last_mention_id, 0);
  EXPECT_TRUE(unread_frames(carol).empty());
  send(alice, JoinRoom{"general"});  // a public room: any account may see it
  transport_.clear();
  send(alice, SendMessage{"@carol welcome"});
  EXPECT_EQ(chat_lines(transport_.take(carol))[0].mentions, std::vector<std::string>{"carol"});
}

TEST_F(ChatServiceMentionsTest, ALineMentionsAtMostTwentyAccounts) {
  const auto [alice, token] = device("alice");
  std::string text;
  for (int i = 0; i < 21; ++i) {
    device("u" + std::to_string(i));
    text += "@u" + std::to_string(i) + " ";
  }
  transport_.clear();
  send(alice, SendMessage{text});
  const auto lines = chat_lines(transport_.take(alice));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].mentions.size(), 20u);
  EXPECT_EQ(lines[0].mentions.front(), "u0");
  EXPECT_FALSE(has_stored_marker("u20", "general"));
}

TEST_F(ChatServiceMentionsTest, HistoryPagesCarryMentionsToo) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("Bob");
  club_with(alice, "bob");
  say(alice, {"@bob look", "no one here"});
  const auto pages = frames_of<HistoryFrame>(ask_raw(bob, R"({"action":"history","room":"club"})"));
  ASSERT_EQ(pages.size(), 1u);
  ASSERT_EQ(pages[0].lines.size(), 2u);
  EXPECT_EQ(pages[0].lines[0].mentions, std::vector<std::string>{"Bob"});
  EXPECT_TRUE(pages[0].lines[1].mentions.empty());
  send(bob, JoinRoom{"club"});  // the page a join catches up with
  const auto joined = frames_of<HistoryFrame>(transport_.take(bob));
  ASSERT_EQ(joined.size(), 1u);
  ASSERT_EQ(joined[0].lines.size(), 2u);
  EXPECT_EQ(joined[0].lines[0].mentions, std::vector<std::string>{"Bob"});
  send(alice, SendMessage{"hi", "bob"});
  send(alice, SendMessage{"@BOB, in private"});  // in club: alice is there
  send(alice, SendMessage{"@bob here too", "bob"});
  const auto direct = frames_of<HistoryFrame>(ask_raw(bob, R"({"action":"history","dm":"alice"})"));
  ASSERT_EQ(direct.size(), 1u);
  ASSERT_EQ(direct[0].lines.size(), 2u);
  EXPECT_EQ(direct[0].lines[1].mentions, std::vector<std::string>{"Bob"});  // the other person may see it
}

}  // namespace
}  // namespace chat
