// Rooms as a shared resource: the cap, the per-address creation limit, how a change reaches seed
// and version-2 clients, and deletion by the creator (members back to general, history gone).
#include "fakes/core_test.hpp"

namespace chat {
namespace {

class RoomsLifecycleTest : public CoreTest {
 protected:
  std::vector<MessageFrame> messages(SessionId id) { return frames_of<MessageFrame>(transport_.take(id)); }
  std::optional<ErrorCode> refusal(SessionId id) {
    const auto replies = messages(id);
    EXPECT_EQ(replies.size(), 1u);
    return replies.empty() ? std::nullopt : replies.back().error;
  }
  bool has_event(const std::vector<MessageFrame>& frames, Event event, const std::string& room) {
    return std::any_of(frames.begin(), frames.end(),
                       [&](const MessageFrame& f) { return f.event == event && f.room == room && !f.error; });
  }
};

TEST_F(RoomsLifecycleTest, CreationsBeyondTheCapAreRefused) {
  ServiceOptions options;
  options.max_rooms = 3;
  start(options);
  const SessionId alice = logged_in("alice");
  send(alice, CreateRoom{"one"});
  send(alice, CreateRoom{"two"});
  transport_.take(alice);
  send(alice, CreateRoom{"three"});
  EXPECT_EQ(refusal(alice), ErrorCode::too_many_rooms);
  send(alice, JoinRoom{"two"});
  EXPECT_TRUE(has_event(messages(alice), Event::joined, "two"));
}

// One address with many connections gets the burst once, not once per connection.
TEST_F(RoomsLifecycleTest, OneAddressCreatesAtMostItsBurstAcrossConnections) {
  int created = 0;
  int limited = 0;
  for (int i = 0; i < 15; ++i) {
    const SessionId id = logged_in("user" + std::to_string(i), kSeedVersion, "198.51.100.7");
    send(id, CreateRoom{"room" + std::to_string(i)});
    for (const auto& reply : messages(id)) {
      if (reply.event == Event::room_created) ++created;
      if (reply.error != ErrorCode::rate_limited) continue;
      ++limited;
      EXPECT_GT(reply.retry_after_ms, 0);
    }
  }
  EXPECT_EQ(created, 10);
  EXPECT_EQ(limited, 5);
  const SessionId elsewhere = logged_in("other", kSeedVersion, "203.0.113.9");
  send(elsewhere, CreateRoom{"theirs"});
  EXPECT_TRUE(has_event(messages(elsewhere), Event::room_created, "theirs"));
  clock_.now += 360'000;  // 10 an hour: one more every six minutes
  const SessionId later = logged_in("later", kSeedVersion, "198.51.100.7");
  send(later, CreateRoom{"later"});
  EXPECT_TRUE(has_event(messages(later), Event::room_created, "later"));
}

// A storm of creations is one list per interval for each seed client, and one small event per
// room for each version-2 client, never the whole list per room.
TEST_F(RoomsLifecycleTest, ChangesReachSeedClientsAsOneListPerIntervalAndV2AsEvents) {
  const SessionId seed = logged_in("seed");
  const SessionId modern = logged_in("modern", kCurrentVersion);
  for (int i = 0; i < 5; ++i) {
    const SessionId creator = logged_in("c" + std::to_string(i), kSeedVersion, "192.0.2." + std::to_string(10 + i));
    send(creator, CreateRoom{"r" + std::to_string(i)});
  }
  auto seed_lists = frames_of<RoomsFrame>(transport_.take(seed));
  ASSERT_EQ(seed_lists.size(), 1u);
  EXPECT_EQ(seed_lists[0].rooms, (std::vector<std::string>{"general", "r0"}));
  const auto modern_frames = transport_.take(modern);
  EXPECT_TRUE(frames_of<RoomsFrame>(modern_frames).empty());
  const auto events = frames_of<MessageFrame>(modern_frames);
  ASSERT_EQ(events.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(has_event(events, Event::room_created, "r" + std::to_string(i)));

  service_->on_tick();
  EXPECT_TRUE(transport_.take(seed).empty());  // the interval has not passed
  clock_.now += 1000;
  service_->on_tick();
  seed_lists = frames_of<RoomsFrame>(transport_.take(seed));
  ASSERT_EQ(seed_lists.size(), 1u);
  EXPECT_EQ(seed_lists[0].rooms, (std::vector<std::string>{"general", "r0", "r1", "r2", "r3", "r4"}));
  clock_.now += 5000;
  service_->on_tick();
  EXPECT_TRUE(transport_.take(seed).empty());  // nothing changed
}

TEST_F(RoomsLifecycleTest, TheCreatorDeletesARoomItsMembersGoBackToGeneral) {
  const SessionId owner = logged_in("owner", kCurrentVersion);
  send(owner, CreateRoom{"jeux"});
  const SessionId seed_member = logged_in("seedy");
  const SessionId modern_member = logged_in("modern", kCurrentVersion);
  const SessionId bystander = logged_in("bystander", kCurrentVersion);
  send(seed_member, JoinRoom{"jeux"});
  send(modern_member, JoinRoom{"jeux"});
  send(modern_member, SendMessage{"a line that goes with the room"});
  clock_.now += 1000;
  transport_.clear();

  send(owner, DeleteRoom{"jeux"});
  EXPECT_TRUE(has_event(messages(owner), Event::room_deleted, "jeux"));
  const auto seed_frames = messages(seed_member);
  EXPECT_TRUE(has_event(seed_frames, Event::room_deleted, "jeux"));
  EXPECT_TRUE(has_event(seed_frames, Event::joined, "general"));
  const auto modern_frames = transport_.take(modern_member);
  EXPECT_TRUE(has_event(frames_of<MessageFrame>(modern_frames), Event::room_deleted, "jeux"));
  EXPECT_TRUE(has_event(frames_of<MessageFrame>(modern_frames), Event::joined, "general"));
  EXPECT_EQ(frames_of<HistoryFrame>(modern_frames).size(), 1u);  // general's, as on any join
  EXPECT_TRUE(has_event(messages(bystander), Event::room_deleted, "jeux"));

  EXPECT_TRUE(store_.lines("jeux").empty());
  send(seed_member, SendMessage{"back in general"});
  EXPECT_EQ(store_.lines("general").back().text, "back in general");
  transport_.take(seed_member);
  send(seed_member, JoinRoom{"jeux"});
  EXPECT_EQ(refusal(seed_member), ErrorCode::no_such_room);
  // After a restart the room stays gone.
  start();
  const SessionId fresh = logged_in("fresh");
  send(fresh, JoinRoom{"jeux"});
  EXPECT_EQ(refusal(fresh), ErrorCode::no_such_room);
}

TEST_F(RoomsLifecycleTest, OnlyTheCreatorMayDeleteAndGeneralNever) {
  const SessionId owner = logged_in("owner");
  send(owner, CreateRoom{"jeux"});
  const SessionId other = logged_in("other");
  send(other, DeleteRoom{"jeux"});
  EXPECT_EQ(refusal(other), ErrorCode::not_allowed);
  transport_.take(owner);  // its creation's reply and room list
  send(owner, DeleteRoom{"general"});
  EXPECT_EQ(refusal(owner), ErrorCode::not_allowed);
  send(other, DeleteRoom{"nowhere"});
  EXPECT_EQ(refusal(other), ErrorCode::no_such_room);
}

// A line sent while the room is being deleted is not delivered into a later room of that name.
TEST_F(RoomsLifecycleTest, ALineSentWhileItsRoomIsDeletedIsRefused) {
  const SessionId owner = logged_in("owner");
  send(owner, CreateRoom{"jeux"});
  const SessionId member = logged_in("member");
  send(member, JoinRoom{"jeux"});
  transport_.clear();
  send(owner, DeleteRoom{"jeux"}, /*complete=*/false);
  send(member, SendMessage{"too late"}, /*complete=*/false);
  store_.run_completions();
  const auto replies = messages(member);
  EXPECT_TRUE(std::none_of(replies.begin(), replies.end(),
                           [](const MessageFrame& f) { return f.event == Event::chat; }));
  EXPECT_TRUE(std::any_of(replies.begin(), replies.end(),
                          [](const MessageFrame& f) { return f.error == ErrorCode::no_such_room; }));
}

// A client that resumes into a room deleted and created again since gets the new room's lines,
// not nothing (its after_id counted in the old room).
TEST_F(RoomsLifecycleTest, ResumeIntoARecreatedRoomStartsFromItsLatestLines) {
  const SessionId owner = connect();
  send(owner, Login{"owner", kCurrentVersion});
  const std::string token = frames_of<MessageFrame>(transport_.take(owner)).at(0).token;
  ASSERT_FALSE(token.empty());
  send(owner, CreateRoom{"jeux"});
  send(owner, JoinRoom{"jeux"});
  for (int i = 0; i < 5; ++i) send(owner, SendMessage{"old " + std::to_string(i)});
  send(owner, DeleteRoom{"jeux"});
  send(owner, CreateRoom{"jeux"});
  send(owner, JoinRoom{"jeux"});
  send(owner, SendMessage{"new"});
  service_->disconnect(owner);
  const SessionId again = connect();
  send(again, Resume{token, "jeux", 5});
  const auto histories = frames_of<HistoryFrame>(transport_.take(again));
  ASSERT_FALSE(histories.empty());
  ASSERT_EQ(histories[0].lines.size(), 1u);
  EXPECT_EQ(histories[0].lines[0].text, "new");
}

}  // namespace
}  // namespace chat
