// SqliteStore's private rooms and direct conversations (docs/ACCOUNTS.md, step 3; schema step 5)
// on a real file: a private room created with its owner and members, members added and removed
// (idempotent, in order of addition), all of it loaded back after a reopen; a deleted room taking
// its members; a conversation under its control-character name; failures (a refused statement
// halfway through a job, a full disk) that leave nothing half done; the migration of a step-4
// database; and a backup that carries the members. Over 300 lines: one fixture for every member
// call of the store and the step-5 migration, each case short.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/store/schema_migrations.hpp"
#include "server/store/sqlite_store.hpp"
#include "sqlite_store_fixture.hpp"

namespace chat {
namespace {

using Members = std::vector<AccountId>;
using Result = std::shared_ptr<std::optional<bool>>;

StoredRoom public_room(const std::string& name) {
  StoredRoom room;
  room.name = name;
  room.creator = "alice";
  room.created_ms = 5;
  return room;
}

StoredRoom private_room(const std::string& name, AccountId owner, Members members) {
  StoredRoom room = public_room(name);
  room.is_private = true;
  room.owner = owner;
  room.members = std::move(members);
  return room;
}

StoredRoom conversation(AccountId one, AccountId other) {
  StoredRoom room;
  room.name = dm_room_name(one, other);
  room.created_ms = 7;
  room.is_private = true;
  room.members = {one, other};
  return room;
}

class SqliteRoomMembersTest : public SqliteStoreFixture {
 protected:
  // Requests answer after the commit; each answer is written into its returned slot then.
  Result request_create(const StoredRoom& room) {
    auto result = std::make_shared<std::optional<bool>>();
    store_->create_room(room, [result](bool ok) { *result = ok; });
    return result;
  }
  Result request_add(const std::string& room, AccountId account) {
    auto result = std::make_shared<std::optional<bool>>();
    store_->add_room_member(room, account, [result](bool ok) { *result = ok; });
    return result;
  }
  Result request_remove(const std::string& room, AccountId account) {
    auto result = std::make_shared<std::optional<bool>>();
    store_->remove_room_member(room, account, [result](bool ok) { *result = ok; });
    return result;
  }
  Result request_delete(const std::string& room) {
    auto result = std::make_shared<std::optional<bool>>();
    store_->delete_room(room, [result](bool ok) { *result = ok; });
    return result;
  }
  // One request, committed at once.
  std::optional<bool> committed(const Result& result) {
    store_->commit();
    return *result;
  }
  StoredState load() {
    StoredState state;
    EXPECT_TRUE(store_->load(state));
    return state;
  }
  // The loaded room of that name, or nullopt.
  std::optional<StoredRoom> loaded(const std::string& name) {
    for (auto& room : load().rooms) {
      if (room.name == name) return room;
    }
    return std::nullopt;
  }
};

TEST_F(SqliteRoomMembersTest, APrivateRoomLoadsBackWithItsOwnerAndMembersAfterAReopen) {
  EXPECT_EQ(committed(request_create(private_room("secret", 7, {7, 3, 5}))), true);
  EXPECT_EQ(committed(request_create(public_room("jeux"))), true);
  reopen();
  const StoredState state = load();
  ASSERT_EQ(state.rooms.size(), 3u);
  EXPECT_EQ(state.rooms[0].name, "general");
  EXPECT_FALSE(state.rooms[0].is_private);
  EXPECT_EQ(state.rooms[1].name, "secret");
  EXPECT_TRUE(state.rooms[1].is_private);
  EXPECT_EQ(state.rooms[1].owner, 7);
  EXPECT_EQ(state.rooms[1].members, (Members{7, 3, 5}));
  EXPECT_EQ(state.rooms[1].creator, "alice");
  EXPECT_EQ(state.rooms[1].created_ms, 5);
  EXPECT_EQ(state.rooms[2].name, "jeux");
  EXPECT_FALSE(state.rooms[2].is_private);
  EXPECT_EQ(state.rooms[2].owner, 0);
  EXPECT_TRUE(state.rooms[2].members.empty());
}

// A public room is stored without members even if some were given: members mean "private".
TEST_F(SqliteRoomMembersTest, APublicRoomKeepsNoMembers) {
  StoredRoom room = public_room("jeux");
  room.owner = 7;
  room.members = {7, 3};
  EXPECT_EQ(committed(request_create(room)), true);
  reopen();
  const auto jeux = loaded("jeux");
  ASSERT_TRUE(jeux);
  EXPECT_FALSE(jeux->is_private);
  EXPECT_EQ(jeux->owner, 0);
  EXPECT_TRUE(jeux->members.empty());
}

TEST_F(SqliteRoomMembersTest, MembersLoadInTheOrderTheyBecameMembers) {
  EXPECT_EQ(committed(request_create(private_room("secret", 7, {7, 3, 5}))), true);
  auto first = request_add("secret", 9);
  auto second = request_add("secret", 2);
  auto removed = request_remove("secret", 3);
  store_->commit();
  EXPECT_EQ(*first, true);
  EXPECT_EQ(*second, true);
  EXPECT_EQ(*removed, true);
  EXPECT_EQ(committed(request_add("secret", 3)), true);  // back again: last in the order
  reopen();
  EXPECT_EQ(loaded("secret")->members, (Members{7, 5, 9, 2, 3}));
}

// Inviting a member or removing a non-member is answered as if it changed something and changes
// nothing: a member invited again keeps their place.
TEST_F(SqliteRoomMembersTest, AddingAMemberTwiceOrRemovingANonMemberIsNoErrorAndChangesNothing) {
  EXPECT_EQ(committed(request_create(private_room("secret", 7, {7, 3}))), true);
  auto again = request_add("secret", 3);
  auto owner_again = request_add("secret", 7);
  auto not_a_member = request_remove("secret", 42);
  store_->commit();
  EXPECT_EQ(*again, true);
  EXPECT_EQ(*owner_again, true);
  EXPECT_EQ(*not_a_member, true);
  EXPECT_EQ(committed(request_remove("secret", 3)), true);
  EXPECT_EQ(committed(request_remove("secret", 3)), true);
  reopen();
  EXPECT_EQ(loaded("secret")->members, (Members{7}));
  EXPECT_EQ(rows_in("room_members"), 1);
}

// A room that is not stored (never was, or was deleted) answers false, and the requests around it
// in the batch are stored.
TEST_F(SqliteRoomMembersTest, AMemberChangeOfARoomNotStoredFailsAlone) {
  EXPECT_EQ(committed(request_create(private_room("secret", 7, {7}))), true);
  EXPECT_EQ(committed(request_create(private_room("gone", 7, {7}))), true);
  EXPECT_EQ(committed(request_delete("gone")), true);
  auto before = request_add("secret", 1);
  auto nowhere_add = request_add("nowhere", 1);
  auto nowhere_remove = request_remove("nowhere", 7);
  auto gone_add = request_add("gone", 1);
  auto gone_remove = request_remove("gone", 7);
  auto after = request_add("secret", 2);
  store_->commit();
  EXPECT_EQ(*before, true);
  EXPECT_EQ(*nowhere_add, false);
  EXPECT_EQ(*nowhere_remove, false);
  EXPECT_EQ(*gone_add, false);
  EXPECT_EQ(*gone_remove, false);
  EXPECT_EQ(*after, true);
  reopen();
  EXPECT_FALSE(loaded("gone"));
  EXPECT_EQ(loaded("secret")->members, (Members{7, 1, 2}));
  EXPECT_EQ(rows_in("room_members"), 3);
}

TEST_F(SqliteRoomMembersTest, ADeletedRoomTakesItsMembersAndANewRoomOfItsNameHasNone) {
  EXPECT_EQ(committed(request_create(private_room("secret", 7, {7, 3, 5}))), true);
  EXPECT_EQ(committed(request_create(private_room("other", 3, {3, 5}))), true);
  EXPECT_EQ(committed(request_delete("secret")), true);
  EXPECT_EQ(rows_in("room_members"), 2);
  EXPECT_EQ(committed(request_create(public_room("secret"))), true);
  EXPECT_EQ(committed(request_add("secret", 8)), true);  // the row cached for the old room is not used
  reopen();
  const auto secret = loaded("secret");
  ASSERT_TRUE(secret);
  EXPECT_FALSE(secret->is_private);
  EXPECT_EQ(secret->members, (Members{8}));
  EXPECT_EQ(loaded("other")->members, (Members{3, 5}));
}

// A conversation is a private room without owner under dm_room_name, whose control character
// goes in and out byte for byte; its lines are a room's.
TEST_F(SqliteRoomMembersTest, AConversationIsStoredAndLoadedUnderItsName) {
  const std::string name = dm_room_name(12, 4);
  ASSERT_EQ(name, dm_room_name(4, 12));
  EXPECT_EQ(committed(request_create(conversation(4, 12))), true);
  EXPECT_EQ(committed(request_create(conversation(4, 30))), true);
  store_->append_line(name, ChatLine{1, 100, "alice", "bonjour"}, [](bool ok) { EXPECT_TRUE(ok); });
  store_->append_line(name, ChatLine{2, 101, "bob", "salut"}, [](bool ok) { EXPECT_TRUE(ok); });
  store_->commit();
  reopen();
  const StoredState state = load();
  ASSERT_EQ(state.rooms.size(), 3u);
  const StoredRoom& loaded_conversation = state.rooms[1];
  EXPECT_EQ(loaded_conversation.name, name);
  EXPECT_TRUE(is_dm_room_name(loaded_conversation.name));
  EXPECT_TRUE(loaded_conversation.is_private);
  EXPECT_EQ(loaded_conversation.owner, 0);
  EXPECT_EQ(loaded_conversation.members, (Members{4, 12}));
  EXPECT_EQ(loaded_conversation.last_line_id, 2);
  EXPECT_EQ(state.rooms[2].name, dm_room_name(4, 30));
  LinePage page;
  store_->read_lines(LineQuery{name, 0, 0, 10}, [&](LinePage read) { page = std::move(read); });
  store_->commit();
  ASSERT_TRUE(page.ok);
  ASSERT_EQ(page.lines.size(), 2u);
  EXPECT_EQ(page.lines[1].text, "salut");
  EXPECT_EQ(committed(request_create(conversation(12, 4))), false);  // one conversation per pair
}

// A private room whose members cannot all be written (a trigger refuses one) is not created at
// all; a deletion refused after its lines are gone keeps them. The requests around each in the
// batch are stored: a job undoes its own part only.
TEST_F(SqliteRoomMembersTest, AJobRefusedHalfwayLeavesNothingHalfDoneAndSparesItsBatch) {
  EXPECT_EQ(committed(request_create(private_room("kept", 7, {7, 3}))), true);
  store_->append_line("kept", ChatLine{1, 1, "a", "x"}, [](bool ok) { EXPECT_TRUE(ok); });
  store_->commit();
  run_beside(
      "CREATE TRIGGER refuse_member BEFORE INSERT ON room_members WHEN NEW.account = 666 "
      "BEGIN SELECT RAISE(ABORT, 'refused'); END;"
      "CREATE TRIGGER refuse_member_deletion BEFORE DELETE ON room_members "
      "BEGIN SELECT RAISE(ABORT, 'refused'); END;");
  auto before = request_create(private_room("before", 7, {7}));
  auto refused = request_create(private_room("refused", 7, {7, 5, 666, 8}));
  auto deletion = request_delete("kept");
  auto after = request_add("before", 9);
  store_->commit();
  EXPECT_EQ(*before, true);
  EXPECT_EQ(*refused, false);
  EXPECT_EQ(*deletion, false);
  EXPECT_EQ(*after, true);
  reopen();
  EXPECT_FALSE(loaded("refused"));
  EXPECT_EQ(loaded("before")->members, (Members{7, 9}));
  const auto kept = loaded("kept");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->members, (Members{7, 3}));
  EXPECT_EQ(kept->last_line_id, 1);
  EXPECT_EQ(rows_in("room_members"), 4);
  run_beside("DROP TRIGGER refuse_member; DROP TRIGGER refuse_member_deletion;");
  EXPECT_EQ(committed(request_create(private_room("refused", 7, {7, 666}))), true);  // its name is free
}

// A disk that fills while a private room's members are written (so many that the batch spills
// out of SQLite's page cache midway) rolls the whole batch back: neither the room nor any of its
// members nor the member changes queued with it are stored, and the store works again afterwards.
TEST_F(SqliteRoomMembersTest, AFullDiskMidwayThroughTheMembersStoresNoneOfTheBatch) {
  EXPECT_EQ(committed(request_create(private_room("kept", 7, {7}))), true);
  ASSERT_NO_FATAL_FAILURE(disk_nearly_full());
  Members crowd;
  for (AccountId id = 1; id <= 100000; ++id) crowd.push_back(id);
  auto added_before = request_add("kept", 3);
  auto crowded = request_create(private_room("crowded", 1, crowd));
  auto added_after = request_add("kept", 4);
  auto removed_after = request_remove("kept", 7);
  store_->commit();
  disk_freed();
  EXPECT_EQ(*added_before, false);
  EXPECT_EQ(*crowded, false);
  EXPECT_EQ(*added_after, false);
  EXPECT_EQ(*removed_after, false);
  EXPECT_EQ(committed(request_add("kept", 5)), true);  // the disk works again
  reopen();
  EXPECT_FALSE(loaded("crowded"));
  EXPECT_EQ(loaded("kept")->members, (Members{7, 5}));
  EXPECT_EQ(rows_in("room_members"), 2);
}

TEST_F(SqliteRoomMembersTest, ABackupHoldsPrivateRoomsAndTheirMembers) {
  EXPECT_EQ(committed(request_create(private_room("secret", 7, {7, 3}))), true);
  EXPECT_EQ(committed(request_create(conversation(3, 7))), true);
  const auto restored = backup_opened();
  ASSERT_TRUE(restored);
  StoredState state;
  ASSERT_TRUE(restored->load(state));
  ASSERT_EQ(state.rooms.size(), 3u);
  EXPECT_EQ(state.rooms[1].owner, 7);
  EXPECT_EQ(state.rooms[1].members, (Members{7, 3}));
  EXPECT_EQ(state.rooms[2].name, dm_room_name(3, 7));
  EXPECT_EQ(state.rooms[2].members, (Members{3, 7}));
}

// What the previous build (schema version 4: accounts, before private rooms) left in chat.db.
const char* const kVersion4 = R"sql(
  PRAGMA journal_mode = WAL;
  CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_ms INTEGER NOT NULL,
                      creator TEXT NOT NULL DEFAULT '');
  CREATE TABLE lines (room INTEGER NOT NULL REFERENCES rooms(id), id INTEGER NOT NULL, ts_ms INTEGER NOT NULL,
                      user TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (room, id)) WITHOUT ROWID;
  CREATE TABLE tokens (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, user TEXT NOT NULL,
                       last_used_ms INTEGER NOT NULL, account INTEGER NOT NULL DEFAULT 0,
                       created_ms INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
  CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, identity_key TEXT NOT NULL UNIQUE,
                         lookalike_key TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
                         created_ms INTEGER NOT NULL, password_changed_ms INTEGER NOT NULL);
  INSERT INTO rooms (id, name, created_ms, creator) VALUES (1, 'general', 0, ''), (2, 'jeux', 5, 'alice');
  INSERT INTO lines VALUES (2, 1, 102, 'alice', 'à toi');
  INSERT INTO accounts VALUES (1, 'alice', 'alice', 'a1ice', '$argon2id$x', 1, 1);
  INSERT INTO tokens VALUES ('tok1', 'ab12', 'alice', 1234, 1, 1000);
  PRAGMA user_version = 4;
)sql";

// Its rooms become public rooms, everything else is kept, and private rooms can be created at
// once. A crash between the step and its version bump repeats the step, which finds its work done.
TEST_F(SqliteRoomMembersTest, AVersion4DatabaseIsMigratedAndItsRoomsArePublic) {
  store_.reset();
  std::filesystem::remove_all(dir_ + "/chat.db");
  std::filesystem::remove_all(dir_ + "/chat.db-wal");
  std::filesystem::remove_all(dir_ + "/chat.db-shm");
  run_beside(kVersion4);
  for (int start = 0; start < 2; ++start) {
    ASSERT_NO_FATAL_FAILURE(reopen());
    const StoredState state = load();
    ASSERT_EQ(state.rooms.size(), 2u + start);
    EXPECT_EQ(state.rooms[1].name, "jeux");
    EXPECT_FALSE(state.rooms[1].is_private);
    EXPECT_EQ(state.rooms[1].owner, 0);
    EXPECT_TRUE(state.rooms[1].members.empty());
    EXPECT_EQ(state.rooms[1].last_line_id, 1);
    ASSERT_EQ(state.accounts.size(), 1u);
    ASSERT_EQ(state.tokens.size(), 1u);
    EXPECT_EQ(state.tokens[0].account, 1);
    if (start == 0) {
      EXPECT_EQ(committed(request_create(private_room("secret", 1, {1}))), true);
    } else {
      EXPECT_EQ(state.rooms[2].members, (Members{1}));
    }
    store_.reset();
    run_beside("PRAGMA user_version = 4;");  // as if the bump had not been written
  }
  reopen();
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/chat.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* version = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &version, nullptr);
  ASSERT_EQ(sqlite3_step(version), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(version, 0), current_schema_version());
  EXPECT_GE(current_schema_version(), 5);  // and later steps after it
  sqlite3_finalize(version);
  sqlite3_close(db);
}

}  // namespace
}  // namespace chat
