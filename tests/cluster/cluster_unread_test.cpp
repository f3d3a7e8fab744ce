// Unread counts, mentions and typing span the cluster (docs/ACCOUNTS.md, step 4): an account
// signed in on two nodes sees a line from a third node counted on both (with the mention when the
// line names it by another spelling), in a private room and in a conversation; reading on one
// node clears the count on the other; and typing reaches the people it is for on other nodes (in
// a room, and in a conversation) and never the typer. Exact bytes: tests/shared/codec_unread_test.cpp.
#include <string>

#include "cluster_fixture.hpp"

namespace chat_it {
namespace {

using chat::Event;
using chat::TypingFrame;
using chat::UnreadCount;

std::string describe(const UnreadCount& count) {
  return std::string(count.room.empty() ? "dm " + count.dm : "room " + count.room) + " last_read_id " +
         std::to_string(count.last_read_id) + " count " + std::to_string(count.count) +
         (count.mention ? " with mention" : "");
}

bool same(const UnreadCount& a, const UnreadCount& b) {
  return a.room == b.room && a.dm == b.dm && a.last_read_id == b.last_read_id && a.count == b.count &&
         a.mention == b.mention;
}

// Reads until an unread frame holds `expected` (the counts on the way may pass through other
// values: each line and each raise sends one) and returns that frame's request_id. Every other
// frame is skipped; a refusal fails at once.
std::string await_count(ChatTestClient& client, const UnreadCount& expected) {
  const Deadline deadline = deadline_in(kAcrossNodes);
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left <= milliseconds(0)) client.fail("no unread count " + describe(expected) + " arrived");
    const auto frame = client.next_json(left);
    if (const auto* unread = std::get_if<chat::UnreadFrame>(&frame)) {
      for (const auto& count : unread->unread) {
        if (same(count, expected)) return unread->request_id;
      }
    }
    const auto* message = std::get_if<chat::MessageFrame>(&frame);
    if (message && message->error) client.fail("expected the unread count " + describe(expected) + ", got " + client.last_raw());
  }
}

// Reads until this typing notice arrives; every other frame is skipped but another typing notice,
// which fails (the tests type once each, so any other is one that should not have come).
void await_typing(ChatTestClient& client, const TypingFrame& expected) {
  const std::string wanted = chat::encode(chat::ServerFrame{expected});
  const Deadline deadline = deadline_in(kAcrossNodes);
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (left <= milliseconds(0)) client.fail("no typing notice " + wanted + " arrived");
    const auto frame = client.next_json(left);
    if (!std::holds_alternative<TypingFrame>(frame)) continue;
    if (client.last_raw() != wanted) client.fail("expected the typing notice " + wanted + ", got " + client.last_raw());
    return;
  }
}

UnreadCount in_room(const std::string& room, std::int64_t last_read_id, std::int64_t count, bool mention) {
  return UnreadCount{room, "", last_read_id, count, mention};
}

// A line `user` sends in `room` (where its connection is), read back from its own echo.
chat::ChatLine say(ChatTestClient& client, const std::string& user, const std::string& room, const std::string& text) {
  client.send(chat::SendMessage{text, ""});
  return expect_line(client, user, room, text);
}

class ClusterUnreadTest : public ClusterTest {
 protected:
  // alice (registered on A) and bob (on C) know each other on every node.
  void SetUp() override {
    ClusterTest::SetUp();
    alice_on_a = registered(0, "alice");
    bob_on_c = registered(2, "bob");
    for (int index : {0, 1, 2}) {
      ASSERT_TRUE(knows_account(index, "alice", kAcrossNodes)) << index;
      ASSERT_TRUE(knows_account(index, "bob", kAcrossNodes)) << index;
    }
  }
  void TearDown() override {
    alice_on_a.reset();
    bob_on_c.reset();
    ClusterTest::TearDown();
  }

  std::unique_ptr<ChatTestClient> alice_on_a, bob_on_c;
};

TEST_F(ClusterUnreadTest, ALineOnCCountsOnAAndBWithItsMentionAndReadingOnAClearsB) {
  auto alice_on_b = signed_in(1, "alice");
  alice_on_a->send(chat::CreateRoom{"den", true});
  alice_on_a->send(chat::InviteMember{"den", "bob"});
  const auto added = next_non_notice(*bob_on_c, kAcrossNodes);  // bob's node knows the room now
  const auto* event = std::get_if<chat::MessageFrame>(&added);
  ASSERT_TRUE(event && event->event == Event::member_added && event->room == "den") << bob_on_c->last_raw();
  enter_room(*bob_on_c, "den", true);

  // Both of alice's connections are in general: each gets den's count, from node C's line.
  say(*bob_on_c, "bob", "den", "hello den");
  await_count(*alice_on_a, in_room("den", 0, 1, false));
  await_count(*alice_on_b, in_room("den", 0, 1, false));
  // Named by another spelling (full-width capitals, a trailing comma): a mention.
  const auto mentioning = say(*bob_on_c, "bob", "den", "look @ＡＬＩＣＥ, here");
  await_count(*alice_on_a, in_room("den", 0, 2, true));
  await_count(*alice_on_b, in_room("den", 0, 2, true));

  // Read on A: A's answer carries the request's id, B hears the same count without it.
  alice_on_a->send_text(chat::encode(chat::ClientFrame{chat::MarkRead{"den", mentioning.id}}, "7"));
  EXPECT_EQ("7", await_count(*alice_on_a, in_room("den", mentioning.id, 0, false)));
  EXPECT_EQ("", await_count(*alice_on_b, in_room("den", mentioning.id, 0, false)));

  // A line after the marker counts from there, on both.
  say(*bob_on_c, "bob", "den", "one more");
  await_count(*alice_on_a, in_room("den", mentioning.id, 1, false));
  await_count(*alice_on_b, in_room("den", mentioning.id, 1, false));
}

// A conversation's count, by the other person's name: no connection is "in" a conversation, so
// every connection of alice gets it; reading on B (by "dm") clears it on A.
TEST_F(ClusterUnreadTest, AConversationsLineFromCCountsOnEveryConnectionAndReadingOnBClearsA) {
  auto alice_on_b = signed_in(1, "alice");
  bob_on_c->send(chat::SendMessage{"psst, @alice", "alice"});
  const auto frame = next_non_notice(*alice_on_b, kAcrossNodes);  // the line comes before its count
  const auto* line = std::get_if<chat::MessageFrame>(&frame);
  ASSERT_TRUE(line && line->event == Event::chat && line->dm == "bob" && line->id > 0) << alice_on_b->last_raw();
  const std::int64_t id = line->id;
  const UnreadCount one{"", "bob", 0, 1, true};
  await_count(*alice_on_a, one);
  await_count(*alice_on_b, one);
  alice_on_b->send_text(chat::encode(chat::ClientFrame{chat::MarkRead{"", id, "bob"}}, "8"));
  EXPECT_EQ("8", await_count(*alice_on_b, UnreadCount{"", "bob", id, 0, false}));
  EXPECT_EQ("", await_count(*alice_on_a, UnreadCount{"", "bob", id, 0, false}));
}

// Guests of version 2 type in rooms too. carol types on A: the room's people on B and C hear it,
// erin in another room on B does not (a line published after it reaches her first), and carol
// hears dave's answer but never her own.
TEST_F(ClusterUnreadTest, TypingOnAReachesTheRoomsPeopleOnOtherNodesButNeverTheTyperOrAnotherRoom) {
  auto carol_on_a = connect_v2(0, "carol");
  auto dave_on_b = connect_v2(1, "dave");
  auto erin_on_b = connect_v2(1, "erin");
  erin_on_b->send(chat::CreateRoom{"quiet"});
  const auto created = next_non_notice(*erin_on_b);
  const auto* event = std::get_if<chat::MessageFrame>(&created);
  ASSERT_TRUE(event && event->event == Event::room_created && event->room == "quiet") << erin_on_b->last_raw();
  enter_room(*erin_on_b, "quiet", true);

  carol_on_a->send(chat::Typing{"general", ""});
  await_typing(*dave_on_b, TypingFrame{"general", "", "carol"});
  await_typing(*bob_on_c, TypingFrame{"general", "", "carol"});
  dave_on_b->send(chat::Typing{"general", ""});
  await_typing(*carol_on_a, TypingFrame{"general", "", "dave"});

  enter_room(*dave_on_b, "quiet", true);
  dave_on_b->send(chat::SendMessage{"after the typing", ""});
  for (;;) {
    const auto frame = erin_on_b->next_json(kAcrossNodes);
    if (std::holds_alternative<TypingFrame>(frame)) erin_on_b->fail("a typing notice of another room: " + erin_on_b->last_raw());
    const auto* line = std::get_if<chat::MessageFrame>(&frame);
    if (line && line->event == Event::chat && std::string(line->chat_text()) == "after the typing") break;
  }
}

// alice types to bob on A: each of bob's connections (B and C) hears it, alice's own other
// connection does not; bob's answer reaches both of alice's, and neither heard her own.
TEST_F(ClusterUnreadTest, TypingInAConversationReachesEveryConnectionOfTheOtherPersonOnOtherNodes) {
  auto bob_on_b = signed_in(1, "bob");
  auto alice_on_b = signed_in(1, "alice");
  alice_on_a->send(chat::Typing{"", "bob"});
  await_typing(*bob_on_c, TypingFrame{"", "alice", "alice"});
  await_typing(*bob_on_b, TypingFrame{"", "alice", "alice"});
  bob_on_b->send(chat::Typing{"", "alice"});
  await_typing(*alice_on_a, TypingFrame{"", "bob", "bob"});
  await_typing(*alice_on_b, TypingFrame{"", "bob", "bob"});
}

}  // namespace
}  // namespace chat_it
