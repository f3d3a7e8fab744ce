// migrate_stored_names, and a core restarted on a store written before today's name rules.
#include "server/core/stored_names.hpp"

#include <gtest/gtest.h>

#include "fakes/core_test.hpp"

namespace chat {
namespace {

const std::string kReversed = "\xE2\x80\xAEmoor";  // U+202E + "room" backwards
const std::string kLatinAlpha = "\xC9\x91lice";   // ɑlice

StoredRoom room(const std::string& name, std::int64_t last_line_id) {
  StoredRoom stored;
  stored.name = name;
  stored.last_line_id = last_line_id;
  return stored;
}

StoredState old_store() {
  StoredState state;
  state.rooms = {room("general", 3), room("caf\xC3\xA9", 5), room("Cafe", 2), room(kReversed, 1),
                 room("G\xC3\xA9n\xC3\xA9ral", 0), room("games", 0)};
  state.tokens = {{"1", "s1", "alice"}, {"2", "s2", "Alice"}, {"3", "s3", kLatinAlpha},
                  {"4", "s4", "bob\xE2\x80\x8B" "by"}};
  return state;
}

TEST(StoredNames, FirstCreatedRoomKeepsItsNameLaterCollisionsAndInvalidNamesAreHidden) {
  const NameMigration migration = migrate_stored_names(old_store(), Limits{});
  std::vector<std::string> kept;
  for (const auto& room : migration.state.rooms) kept.push_back(room.name);
  EXPECT_EQ(kept, (std::vector<std::string>{"general", "caf\xC3\xA9", "games"}));
  EXPECT_EQ(migration.state.rooms[1].last_line_id, 5);
  EXPECT_EQ(migration.hidden_rooms, (std::vector<std::string>{"Cafe", kReversed, "G\xC3\xA9n\xC3\xA9ral"}));
}

TEST(StoredNames, DirectConversationsAreKeptThoughTheirNamesBreakEveryRule) {
  StoredState stored;
  StoredRoom conversation = room(dm_room_name(1, 2), 4);
  conversation.is_private = true;
  conversation.members = {1, 2};
  stored.rooms = {room("general", 0), room("dm:1:2", 0), conversation};
  const NameMigration migration = migrate_stored_names(stored, Limits{});
  ASSERT_EQ(migration.state.rooms.size(), 3u);
  EXPECT_EQ(migration.state.rooms[2].members, (std::vector<AccountId>{1, 2}));
  EXPECT_TRUE(migration.hidden_rooms.empty());
}

TEST(StoredNames, TokensOfRefusedNamesAreDroppedCollidingOnesKept) {
  const NameMigration migration = migrate_stored_names(old_store(), Limits{});
  std::vector<std::string> users;
  for (const auto& token : migration.state.tokens) users.push_back(token.user);
  EXPECT_EQ(users, (std::vector<std::string>{"alice", "Alice"}));
  EXPECT_EQ(migration.dropped_users, (std::vector<std::string>{kLatinAlpha, "bob\xE2\x80\x8B" "by"}));
}

TEST(StoredNames, SummaryIsOneLineNamingWhatWasLeftOutReadably) {
  const std::string summary = migrate_stored_names(old_store(), Limits{}).summary();
  EXPECT_EQ(summary.find('\n'), std::string::npos);
  EXPECT_NE(summary.find("3 room(s) hidden"), std::string::npos) << summary;
  EXPECT_NE(summary.find("'<U+202E>moor'"), std::string::npos) << summary;
  EXPECT_NE(summary.find("2 resume token(s) dropped"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("\xE2\x80\xAE"), std::string::npos);  // never the raw override
  StoredState clean;
  clean.rooms = {room("general", 0), room("games", 0)};
  EXPECT_EQ(migrate_stored_names(clean, Limits{}).summary(), "");
}

// A store written by the old rules, then a restart: the hidden rooms are neither listed nor
// joinable, and their names cannot be created again (they collide or are refused).
using RestartOnOldStore = CoreTest;

TEST_F(RestartOnOldStore, ListsOnlyTheKeptRooms) {
  // The old core stored these; the store port takes any name.
  for (const std::string name : {"caf\xC3\xA9", "Cafe", kReversed.c_str()}) store_.create_room(StoredRoom{name, 0, "", 0, ""}, [](bool) {});
  store_.run_completions();
  start();
  const SessionId id = connect();
  send(id, Login{"alice"});
  transport_.take(id);
  service_->connect(99, "127.0.0.1");
  const auto frames = transport_.take(99);
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<RoomsFrame>(frames[0]));
  EXPECT_EQ(std::get<RoomsFrame>(frames[0]).rooms, (std::vector<std::string>{"general", "caf\xC3\xA9"}));

  send(id, JoinRoom{"Cafe"});
  EXPECT_EQ(refusal_of(id), ErrorCode::no_such_room);
  send(id, CreateRoom{"cafe"});
  EXPECT_EQ(refusal_of(id), ErrorCode::room_exists);
  send(id, CreateRoom{kReversed});
  EXPECT_EQ(refusal_of(id), ErrorCode::invalid_room);
}

}  // namespace
}  // namespace chat
