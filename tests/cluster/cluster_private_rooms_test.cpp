// Private rooms and direct conversations span the cluster (docs/ACCOUNTS.md, step 3): a private
// room created on one node is seen on another by its members alone; a member removed on one node
// is moved out of the room on another at once; a conversation's lines reach every connection of
// both people on every node, and a device signed in later on a third node lists the conversation
// and reads its history; both opening it at once from two nodes make one conversation; a node
// started again knows them all from Redis. Over 300 lines: one scenario per test, each needing its
// cross-node steps spelled out; the readers they share come first. Exact bytes:
// tests/shared/codec_private_rooms_test.cpp.
#include <sys/wait.h>

#include <algorithm>
#include <thread>

#include "cluster_fixture.hpp"

namespace chat_it {
namespace {

using namespace std::chrono_literals;
using chat::ErrorCode;
using chat::Event;

bool contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// The next frame (presence skipped) must be this event about `room` and `user`, without an error.
chat::MessageFrame expect_event(ChatTestClient& client, Event event, const std::string& room, const std::string& user,
                                milliseconds timeout = kAcrossNodes) {
  const auto frame = next_non_notice(client, timeout);
  const auto* message = std::get_if<chat::MessageFrame>(&frame);
  if (!message || message->event != event || message->error || message->room != room || message->user != user ||
      message->message.empty()) {
    client.fail("expected the event " + std::string(chat::to_string(event)) + " of room \"" + room + "\" user \"" +
                user + "\", got " + preview(client.last_raw()));
  }
  return *message;
}

// The next frame (presence skipped) must be a refusal with `code`.
void expect_refused(ChatTestClient& client, ErrorCode code) {
  const auto frame = next_non_notice(client);
  const auto* message = std::get_if<chat::MessageFrame>(&frame);
  if (!message || message->error != code || message->message.empty()) {
    client.fail("expected the refusal " + std::string(chat::to_string(code)) + ", got " + preview(client.last_raw()));
  }
}

// The next frame (presence skipped) must be a conversation's line by `author`, naming `other` (the
// other person as this receiver sees it) in place of a room, byte for byte as the codec writes it.
chat::ChatLine expect_dm_line(ChatTestClient& client, const std::string& author, const std::string& other,
                              const std::string& text) {
  const auto frame = next_non_notice(client, kAcrossNodes);
  const auto* message = std::get_if<chat::MessageFrame>(&frame);
  if (!message || message->event != Event::chat || message->error || message->id <= 0) {
    client.fail("expected " + author + "'s line \"" + text + "\" of the conversation with " + other + ", got " +
                preview(client.last_raw()));
  }
  const chat::ChatLine line{message->id, message->ts, author, text};
  chat::MessageFrame documented = chat::chat_line("", line, true);
  documented.dm = other;
  const std::string bytes = chat::encode(chat::ServerFrame{documented});
  if (client.last_raw() != bytes) client.fail("expected\n  " + preview(bytes) + "\ngot\n  " + preview(client.last_raw()));
  return line;
}

using ClusterPrivateRoomsTest = ClusterTest;

TEST_F(ClusterPrivateRoomsTest, APrivateRoomCreatedOnAIsHiddenOnBFromANonMemberAndShownToAnInvitedMember) {
  auto alice = registered(0, "alice");
  auto bob = registered(1, "bob");
  auto carol = registered(1, "carol");
  ASSERT_TRUE(knows_account(0, "bob", kAcrossNodes));

  alice->send(chat::CreateRoom{"secret", true});
  EXPECT_TRUE(expect_event(*alice, Event::room_created, "secret", "").is_private);
  alice->send(chat::InviteMember{"secret", "bob"});
  expect_event(*alice, Event::member_added, "secret", "bob");
  expect_event(*bob, Event::member_added, "secret", "bob");  // node B knows the room and its members now

  // A public room created after it is the next thing B's other people hear of: never of secret.
  alice->send(chat::CreateRoom{"after"});
  EXPECT_FALSE(expect_event(*alice, Event::room_created, "after", "").is_private);
  EXPECT_FALSE(expect_event(*carol, Event::room_created, "after", "").is_private);
  expect_event(*bob, Event::room_created, "after", "");

  // To carol, on B, secret is a room that does not exist; its name is taken all the same.
  carol->send(chat::JoinRoom{"secret"});
  expect_refused(*carol, ErrorCode::no_such_room);
  carol->send(chat::History{"secret", 0, chat::kDefaultHistoryLimit, ""});
  expect_refused(*carol, ErrorCode::no_such_room);
  carol->send(chat::ListRoomMembers{"secret"});
  expect_refused(*carol, ErrorCode::no_such_room);
  carol->send(chat::InviteMember{"secret", "carol"});
  expect_refused(*carol, ErrorCode::no_such_room);
  carol->send(chat::CreateRoom{"secret", true});
  expect_refused(*carol, ErrorCode::room_exists);
  std::vector<std::string> listed;
  connect(1, &listed);
  EXPECT_TRUE(contains(listed, "after"));
  EXPECT_FALSE(contains(listed, "secret"));

  // To bob, on B, it is a room of his: its members, its door, its lines.
  bob->send(chat::ListRoomMembers{"secret"});
  const auto members = next_non_notice(*bob);
  const auto* list = std::get_if<chat::RoomMembersFrame>(&members);
  ASSERT_NE(nullptr, list) << bob->last_raw();
  EXPECT_EQ("alice", list->owner);
  EXPECT_EQ((std::vector<std::string>{"alice", "bob"}), list->members);
  enter_room(*bob, "secret", true);
  bob->send(chat::SendMessage{"psst", ""});
  expect_line(*bob, "bob", "secret", "psst");
  const auto history = enter_room(*alice, "secret", true);
  ASSERT_EQ(1u, history.lines.size());
  EXPECT_EQ("psst", history.lines[0].text);
  alice->send(chat::SendMessage{"hello from A", ""});
  expect_line(*alice, "alice", "secret", "hello from A");
  lines_until(*bob, "secret", "hello from A", kAcrossNodes);

  // bob signed in later on C: the room is in his own list, named private.
  ASSERT_TRUE(knows_account(2, "bob", kAcrossNodes));
  std::optional<chat::RoomsFrame> own;
  signed_in(2, "bob", &own);
  ASSERT_TRUE(own.has_value());
  EXPECT_TRUE(contains(own->rooms, "secret"));
  EXPECT_EQ(std::vector<std::string>{"secret"}, own->private_rooms);
}

TEST_F(ClusterPrivateRoomsTest, AMemberRemovedOnAIsMovedToGeneralOnCAtOnce) {
  auto alice = registered(0, "alice");
  auto bob = registered(2, "bob");
  ASSERT_TRUE(knows_account(0, "bob", kAcrossNodes));
  ASSERT_TRUE(knows_account(1, "bob", kAcrossNodes));
  auto bob_elsewhere = signed_in(1, "bob");  // in general, on B

  alice->send(chat::CreateRoom{"club", true});
  expect_event(*alice, Event::room_created, "club", "");
  alice->send(chat::InviteMember{"club", "bob"});
  expect_event(*alice, Event::member_added, "club", "bob");
  expect_event(*bob, Event::member_added, "club", "bob");
  expect_event(*bob_elsewhere, Event::member_added, "club", "bob");
  enter_room(*bob, "club", true);

  alice->send(chat::RemoveMember{"club", "bob"});
  expect_event(*alice, Event::member_removed, "club", "bob");
  // On C: told, and moved to general as when a room is deleted (joined, members, latest lines).
  expect_event(*bob, Event::member_removed, "club", "bob");
  expect_event(*bob, Event::joined, "general", "");
  const auto moved = next_non_notice(*bob);
  const auto* members = std::get_if<chat::MembersFrame>(&moved);
  ASSERT_TRUE(members && members->room == "general") << bob->last_raw();
  const auto latest = next_non_notice(*bob);
  const auto* page = std::get_if<chat::HistoryFrame>(&latest);
  ASSERT_TRUE(page && page->room == "general") << bob->last_raw();
  // Told on B too, where the connection was not in the room: it stays where it is.
  expect_event(*bob_elsewhere, Event::member_removed, "club", "bob");

  bob->send(chat::SendMessage{"back in general", ""});
  expect_line(*bob, "bob", "general", "back in general");
  expect_line(*bob_elsewhere, "bob", "general", "back in general");
  lines_until(*alice, "general", "back in general", kAcrossNodes);  // alice is in general too, on A
  bob->send(chat::JoinRoom{"club"});
  expect_refused(*bob, ErrorCode::no_such_room);
  alice->send(chat::ListRoomMembers{"club"});
  const auto after = next_non_notice(*alice);
  const auto* list = std::get_if<chat::RoomMembersFrame>(&after);
  ASSERT_NE(nullptr, list) << alice->last_raw();
  EXPECT_EQ(std::vector<std::string>{"alice"}, list->members);
}

TEST_F(ClusterPrivateRoomsTest, AConversationReachesEveryConnectionOfBothAndALaterDeviceListsAndReadsIt) {
  auto alice = registered(0, "alice");
  auto bob = registered(1, "bob");
  for (int index : {0, 1, 2}) {
    ASSERT_TRUE(knows_account(index, "alice", kAcrossNodes)) << index;
    ASSERT_TRUE(knows_account(index, "bob", kAcrossNodes)) << index;
  }
  auto alice_on_c = signed_in(2, "alice");
  auto bob_on_a = signed_in(0, "bob");

  alice->send(chat::SendMessage{"hi bob", "bob"});
  const auto first = expect_dm_line(*alice, "alice", "bob", "hi bob");
  EXPECT_EQ(first.id, expect_dm_line(*alice_on_c, "alice", "bob", "hi bob").id);
  EXPECT_EQ(first.id, expect_dm_line(*bob, "alice", "alice", "hi bob").id);
  EXPECT_EQ(first.id, expect_dm_line(*bob_on_a, "alice", "alice", "hi bob").id);

  bob->send(chat::SendMessage{"hi alice", "alice"});
  const auto second = expect_dm_line(*bob, "bob", "alice", "hi alice");
  EXPECT_EQ(first.id + 1, second.id);
  EXPECT_EQ(second.id, expect_dm_line(*bob_on_a, "bob", "alice", "hi alice").id);
  EXPECT_EQ(second.id, expect_dm_line(*alice, "bob", "bob", "hi alice").id);
  EXPECT_EQ(second.id, expect_dm_line(*alice_on_c, "bob", "bob", "hi alice").id);

  std::optional<chat::RoomsFrame> own;
  auto bob_on_c = signed_in(2, "bob", &own);
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(std::vector<std::string>{"alice"}, own->dms);
  EXPECT_TRUE(own->private_rooms.empty());
  for (const auto& room : own->rooms) EXPECT_EQ(std::string::npos, room.find('\x01')) << "a conversation's stored name";
  bob_on_c->send(chat::History{"", 0, chat::kDefaultHistoryLimit, "alice"});
  const auto frame = next_non_notice(*bob_on_c);
  const auto* history = std::get_if<chat::HistoryFrame>(&frame);
  ASSERT_NE(nullptr, history) << bob_on_c->last_raw();
  EXPECT_EQ("alice", history->dm);
  EXPECT_EQ("", history->room);
  EXPECT_EQ((std::vector<std::string>{"hi bob", "hi alice"}), texts_of(history->lines));
  ASSERT_EQ(2u, history->lines.size());
  EXPECT_EQ("alice", history->lines[0].user);
  EXPECT_EQ(first.id, history->lines[0].id);
  EXPECT_EQ("bob", history->lines[1].user);
}

// A node started again reads the private rooms and conversations, with their members, from Redis.
TEST_F(ClusterPrivateRoomsTest, ARestartedNodeKnowsPrivateRoomsAndConversationsWithTheirMembers) {
  auto alice = registered(0, "alice");
  registered(1, "bob");
  registered(1, "carol");
  ASSERT_TRUE(knows_account(0, "bob", kAcrossNodes));
  alice->send(chat::CreateRoom{"secret", true});
  expect_event(*alice, Event::room_created, "secret", "");
  alice->send(chat::InviteMember{"secret", "bob"});
  expect_event(*alice, Event::member_added, "secret", "bob");
  alice->send(chat::SendMessage{"before the restart", "bob"});
  expect_dm_line(*alice, "alice", "bob", "before the restart");

  const int status = node(1).stop();
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ServerProcess::describe_status(status);
  restart_node(1);
  std::optional<chat::RoomsFrame> own;
  auto bob = signed_in(1, "bob", &own);
  ASSERT_TRUE(own.has_value());
  EXPECT_EQ(std::vector<std::string>{"secret"}, own->private_rooms);
  EXPECT_EQ(std::vector<std::string>{"alice"}, own->dms);
  enter_room(*bob, "secret", true);
  bob->send(chat::History{"", 0, chat::kDefaultHistoryLimit, "alice"});
  const auto frame = next_non_notice(*bob);
  const auto* history = std::get_if<chat::HistoryFrame>(&frame);
  ASSERT_NE(nullptr, history) << bob->last_raw();
  EXPECT_EQ(std::vector<std::string>{"before the restart"}, texts_of(history->lines));
  auto carol = signed_in(1, "carol");
  carol->send(chat::JoinRoom{"secret"});
  expect_refused(*carol, ErrorCode::no_such_room);
}

// Both write first from two nodes, without waiting: whichever creation Redis took first, the other
// node's is a conflict, and both lines land in the one conversation (ids 1 and 2), seen by both.
TEST_F(ClusterPrivateRoomsTest, BothOpeningTheConversationAtOnceFromTwoNodesMakeOneConversation) {
  auto alice = registered(0, "alice");
  auto bob = registered(1, "bob");
  ASSERT_TRUE(knows_account(0, "bob", kAcrossNodes));
  ASSERT_TRUE(knows_account(1, "alice", kAcrossNodes));
  alice->send(chat::SendMessage{"from alice", "bob"});
  bob->send(chat::SendMessage{"from bob", "alice"});
  for (auto* client : {alice.get(), bob.get()}) {
    std::vector<std::pair<std::int64_t, std::string>> seen;
    for (int i = 0; i < 2; ++i) {
      const auto frame = next_non_notice(*client, kAcrossNodes);
      const auto* line = std::get_if<chat::MessageFrame>(&frame);
      ASSERT_TRUE(line && line->event == Event::chat && line->room.empty()) << client->last_raw();
      EXPECT_EQ(client == alice.get() ? "bob" : "alice", line->dm) << client->last_raw();
      seen.emplace_back(line->id, std::string(line->chat_text()));
    }
    std::sort(seen.begin(), seen.end());
    EXPECT_EQ(1, seen[0].first);
    EXPECT_EQ(2, seen[1].first);
    std::vector<std::string> texts{seen[0].second, seen[1].second};
    std::sort(texts.begin(), texts.end());
    EXPECT_EQ((std::vector<std::string>{"from alice", "from bob"}), texts);
  }
}

}  // namespace
}  // namespace chat_it
