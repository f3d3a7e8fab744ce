// The chat core's read markers and unread counts (docs/ACCOUNTS.md, step 4): mark_read and its
// refusals, the counts after a login, live counts to the sessions not in the room, the author's
// own lines, two devices kept in step, void ids, a room deleted.
#include "fakes/unread_test.hpp"

namespace chat {
namespace {

using ChatServiceUnreadTest = UnreadTest;

TEST_F(ChatServiceUnreadTest, MarkReadRefusals) {
  const auto [alice, token] = device("alice");
  create_private(alice, "secret");
  const auto [bob, bob_token] = device("bob");
  const SessionId guest = logged_in("guest", kCurrentVersion);
  EXPECT_EQ(ask(guest, MarkRead{"general", 1, ""}).error, ErrorCode::not_allowed);
  EXPECT_EQ(ask(guest, MarkRead{"", 1, "alice"}).error, ErrorCode::not_allowed);
  EXPECT_EQ(ask(bob, MarkRead{"", 1, "Bob"}).error, ErrorCode::not_allowed);  // oneself, any spelling
  EXPECT_EQ(ask(bob, MarkRead{"", 1, "nobody"}).error, ErrorCode::no_such_account);
  EXPECT_EQ(ask(bob, MarkRead{"", 1, "guest"}).error, ErrorCode::no_such_account);
  EXPECT_EQ(ask(bob, MarkRead{"nowhere", 1, ""}).error, ErrorCode::no_such_room);
  const MessageFrame hidden = ask(bob, MarkRead{"secret", 1, ""});  // alice's: as if there were none
  EXPECT_EQ(hidden.error, ErrorCode::no_such_room);
  EXPECT_EQ(hidden.message, refusal_sentence("secret"));
  EXPECT_EQ(ask(bob, MarkRead{" general", 1, ""}).error, ErrorCode::invalid_room);
  say(alice, {"one"});  // in general: something to mark
  store_.failing = true;
  EXPECT_EQ(ask(bob, MarkRead{"general", 1, ""}).error, ErrorCode::store_unavailable);
  store_.failing = false;
  EXPECT_FALSE(has_stored_marker("bob", "general"));
}

TEST_F(ChatServiceUnreadTest, AConversationWithNoLineYetCountsZeroAndStoresNothing) {
  device("alice");
  const auto [bob, bob_token] = device("bob");
  const auto frames = ask_raw(bob, R"({"action":"mark_read","dm":"ALICE","id":5,"request_id":"m"})");
  const auto answers = frames_of<UnreadFrame>(frames);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].request_id, "\"m\"");
  ASSERT_EQ(answers[0].unread.size(), 1u);
  EXPECT_EQ(answers[0].unread[0].dm, "alice");  // her own spelling
  EXPECT_EQ(answers[0].unread[0].count, 0);
  EXPECT_TRUE(store_.markers().empty());
}

TEST_F(ChatServiceUnreadTest, ALoginGetsEveryFollowedRoomAfterItsOwnRoomsList) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("Bob");
  club_with(alice, "bob");
  say(alice, {"one", "two", "three"});
  send(alice, SendMessage{"psst", "bob"});
  send(alice, SendMessage{"psst again", "bob"});
  send(alice, CreateRoom{"lobby"});
  send(alice, JoinRoom{"lobby"});
  say(alice, {"first"});
  send(bob, MarkRead{"lobby", 1, ""});  // bob read there: he follows lobby from now on
  say(alice, {"second", "third"});
  service_->disconnect(bob);

  const SessionId back = connect();
  const auto frames = password_login(back, "bob", kPassword);
  std::size_t rooms_at = frames.size();
  std::size_t unread_at = frames.size();
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (std::holds_alternative<RoomsFrame>(frames[i]) && rooms_at == frames.size()) rooms_at = i;
    if (std::holds_alternative<UnreadFrame>(frames[i]) && unread_at == frames.size()) unread_at = i;
  }
  ASSERT_LT(rooms_at, frames.size());
  ASSERT_LT(unread_at, frames.size());
  EXPECT_LT(rooms_at, unread_at);
  const auto counts = entries(frames_of<UnreadFrame>(frames));
  EXPECT_EQ(frames_of<UnreadFrame>(frames).size(), 1u);
  EXPECT_EQ(counts.size(), 3u);  // not general: bob never read there
  const UnreadCount* club = about(counts, "club");
  ASSERT_NE(club, nullptr);
  EXPECT_EQ(club->count, 3);
  EXPECT_EQ(club->last_read_id, 0);
  const UnreadCount* direct = about(counts, "", "alice");
  ASSERT_NE(direct, nullptr);
  EXPECT_EQ(direct->count, 2);
  const UnreadCount* lobby = about(counts, "lobby");
  ASSERT_NE(lobby, nullptr);
  EXPECT_EQ(lobby->last_read_id, 1);
  EXPECT_EQ(lobby->count, 2);
  EXPECT_FALSE(lobby->mention);
}

TEST_F(ChatServiceUnreadTest, AResumedSessionGetsTheCountsToo) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  club_with(alice, "bob");
  say(alice, {"one", "two"});
  service_->disconnect(bob);
  const SessionId back = connect();
  send(back, Resume{bob_token, "general", 0});
  const auto counts = entries(unread_frames(back));
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].room, "club");
  EXPECT_EQ(counts[0].count, 2);
}

TEST_F(ChatServiceUnreadTest, ALineElsewhereCountsOnTheSessionsNotInItsRoomOnly) {
  const auto [alice, token] = device("alice");
  const auto [laptop, laptop_token] = device("bob");
  const auto [phone, phone_token] = device("bob");
  club_with(alice, "bob");
  send(laptop, JoinRoom{"club"});
  transport_.clear();
  send(alice, SendMessage{"hello club"});
  EXPECT_TRUE(unread_frames(laptop).empty());  // it has the line itself
  const UnreadCount count = only_count(phone);
  EXPECT_EQ(count.room, "club");
  EXPECT_EQ(count.count, 1);
  send(alice, SendMessage{"again"});
  EXPECT_EQ(only_count(phone).count, 2);
  EXPECT_TRUE(unread_frames(laptop).empty());
}

TEST_F(ChatServiceUnreadTest, TheAuthorsOwnLinesAreRead) {
  const auto [alice, token] = device("alice");
  const auto [alice_phone, alice_phone_token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  club_with(alice, "bob");
  send(alice, SendMessage{"mine"});
  send(alice, SendMessage{"mine too"});
  EXPECT_EQ(stored_marker("alice", "club").last_read_id, 2);
  for (const UnreadCount& count : entries(unread_frames(alice_phone))) EXPECT_EQ(count.count, 0);
  EXPECT_EQ(entries(unread_frames(bob)).back().count, 2);
  service_->disconnect(alice_phone);
  const SessionId back = connect();
  const auto counts = entries(frames_of<UnreadFrame>(password_login(back, "alice", kPassword)));
  const UnreadCount* club = about(counts, "club");
  ASSERT_NE(club, nullptr);
  EXPECT_EQ(club->count, 0);
  EXPECT_EQ(club->last_read_id, 2);
}

TEST_F(ChatServiceUnreadTest, MarkReadKeepsTheAccountsSessionsInStep) {
  const auto [alice, token] = device("alice");
  const auto [laptop, laptop_token] = device("bob");
  const auto [phone, phone_token] = device("bob");
  club_with(alice, "bob");
  say(alice, {"one", "two", "three"});
  const auto answers = frames_of<UnreadFrame>(ask_raw(laptop, R"({"action":"mark_read","room":"club","id":2,"request_id":7})"));
  ASSERT_EQ(answers.size(), 1u);  // exactly one: the answer, not also the inbox's notice
  EXPECT_EQ(answers[0].request_id, "7");
  ASSERT_EQ(answers[0].unread.size(), 1u);
  EXPECT_EQ(answers[0].unread[0].last_read_id, 2);
  EXPECT_EQ(answers[0].unread[0].count, 1);
  const auto told = unread_frames(phone);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].request_id, "");
  EXPECT_EQ(told[0].unread[0].last_read_id, 2);
  EXPECT_EQ(stored_marker("bob", "club").last_read_id, 2);

  // At or below the marker: answered at once, nothing stored, nobody else told.
  const auto again = frames_of<UnreadFrame>(ask_raw(laptop, R"({"action":"mark_read","room":"club","id":1,"request_id":8})"));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].request_id, "8");
  EXPECT_EQ(again[0].unread[0].last_read_id, 2);
  EXPECT_TRUE(unread_frames(phone).empty());

  // Beyond the last line: read as the last line.
  const UnreadCount all = entries(frames_of<UnreadFrame>(ask_raw(phone, R"({"action":"mark_read","room":"club","id":99})")))[0];
  EXPECT_EQ(all.last_read_id, 3);
  EXPECT_EQ(all.count, 0);
  EXPECT_EQ(stored_marker("bob", "club").last_read_id, 3);
  EXPECT_EQ(only_count(laptop).last_read_id, 3);
}

TEST_F(ChatServiceUnreadTest, VoidIdsAreNotCounted) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  club_with(alice, "bob");
  say(alice, {"one"});
  store_.failing = true;
  send(alice, SendMessage{"lost"});  // id 2 is given, its write fails: a void id
  store_.failing = false;
  say(alice, {"three"});
  EXPECT_EQ(store_.lines("club").back().id, 3);
  const auto frames = ask_raw(bob, R"({"action":"mark_read","room":"club","id":1})");
  const auto counts = entries(frames_of<UnreadFrame>(frames));
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].count, 1);  // line 3 only
}

TEST_F(ChatServiceUnreadTest, ADirectLineCountsOnEverySessionOfItsReceiver) {
  const auto [alice, token] = device("alice");
  const auto [laptop, laptop_token] = device("bob");
  const auto [phone, phone_token] = device("bob");
  send(alice, SendMessage{"hi", "bob"});  // opens the conversation
  transport_.clear();
  send(alice, SendMessage{"hi again", "bob"});
  for (const SessionId session : {laptop, phone}) {
    const UnreadCount count = only_count(session);
    EXPECT_EQ(count.dm, "alice");
    EXPECT_EQ(count.count, 2);
  }
  const auto answer = entries(frames_of<UnreadFrame>(ask_raw(phone, R"({"action":"mark_read","dm":"alice","id":2})")));
  ASSERT_EQ(answer.size(), 1u);
  EXPECT_EQ(answer[0].count, 0);
  EXPECT_EQ(only_count(laptop).count, 0);
}

TEST_F(ChatServiceUnreadTest, ADeletedRoomIsNoLongerCounted) {
  const auto [alice, token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  club_with(alice, "bob");
  say(alice, {"one"});
  send(bob, MarkRead{"club", 1, ""});
  send(alice, DeleteRoom{"club"});
  EXPECT_FALSE(has_stored_marker("bob", "club"));
  service_->disconnect(bob);
  const SessionId back = connect();
  EXPECT_TRUE(frames_of<UnreadFrame>(password_login(back, "bob", kPassword)).empty());
}

}  // namespace
}  // namespace chat
