// SqliteStore's read markers and mentions (docs/ACCOUNTS.md, step 4; schema step 6) on a real
// file: both ids only rise, each on its own; mentions of several accounts at once; markers read
// back by room name after a reopen and from a backup; a room not stored refused alone in its
// batch; a deleted room taking its markers (a room made again under its name has none); failures
// (a refused statement halfway, a full disk) that leave nothing half written; and the migration
// of a step-5 database. Over 300 lines: one fixture for every marker call of the store and the
// step-6 migration, each case short.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/store/schema_migrations.hpp"
#include "server/store/sqlite_store.hpp"
#include "sqlite_store_fixture.hpp"

namespace chat {

// Markers compare by all three fields, and print readably when they differ. In namespace chat
// (where lookup by argument finds them), static: this file's own.
static bool operator==(const ReadMarker& a, const ReadMarker& b) {
  return a.room == b.room && a.last_read_id == b.last_read_id && a.last_mention_id == b.last_mention_id;
}
[[maybe_unused]] static void PrintTo(const ReadMarker& marker, std::ostream* out) {
  *out << "{" << marker.room << " read " << marker.last_read_id << " mention " << marker.last_mention_id << "}";
}

namespace {

using Result = std::shared_ptr<std::optional<bool>>;
using Markers = std::vector<ReadMarker>;

StoredRoom room_named(const std::string& name) {
  StoredRoom room;
  room.name = name;
  room.creator = "alice";
  room.created_ms = 5;
  return room;
}

class SqliteReadMarkersTest : public SqliteStoreFixture {
 protected:
  void SetUp() override {
    SqliteStoreFixture::SetUp();
    for (const char* name : {"jeux", "cuisine"}) store_->create_room(room_named(name), [](bool ok) { EXPECT_TRUE(ok); });
    store_->commit();
  }
  // Requests answer after the commit; each answer is written into its returned slot then.
  Result request_read(AccountId account, const std::string& room, std::int64_t id) {
    auto result = std::make_shared<std::optional<bool>>();
    store_->raise_read_marker(account, room, id, [result](bool ok) { *result = ok; });
    return result;
  }
  Result request_mentions(const std::vector<AccountId>& accounts, const std::string& room, std::int64_t id) {
    auto result = std::make_shared<std::optional<bool>>();
    store_->raise_mentions(accounts, room, id, [result](bool ok) { *result = ok; });
    return result;
  }
  Result request_delete(const std::string& room) {
    auto result = std::make_shared<std::optional<bool>>();
    store_->delete_room(room, [result](bool ok) { *result = ok; });
    return result;
  }
  std::optional<bool> committed(const Result& result) {
    store_->commit();
    return *result;
  }
  // The account's markers, by room name; the test fails if the store does.
  Markers markers_of(AccountId account, SqliteStore& store) {
    std::optional<bool> answered;
    Markers found;
    store.read_markers(account, [&](bool ok, Markers markers) {
      answered = ok;
      found = std::move(markers);
    });
    store.commit();
    EXPECT_EQ(answered, true);
    std::sort(found.begin(), found.end(), [](const ReadMarker& a, const ReadMarker& b) { return a.room < b.room; });
    return found;
  }
  Markers markers_of(AccountId account) { return markers_of(account, *store_); }
};

TEST_F(SqliteReadMarkersTest, AnAccountWithNoMarkerHasNone) {
  EXPECT_TRUE(markers_of(7).empty());
}

// A late or repeated raise (two devices, a replay) never lowers a marker, and each id rises on its own.
TEST_F(SqliteReadMarkersTest, EachIdOnlyEverRisesAndOnItsOwn) {
  EXPECT_EQ(committed(request_read(7, "jeux", 5)), true);
  EXPECT_EQ(markers_of(7), (Markers{{"jeux", 5, 0}}));
  EXPECT_EQ(committed(request_read(7, "jeux", 3)), true);  // lower: no error, no change
  EXPECT_EQ(committed(request_read(7, "jeux", 5)), true);
  EXPECT_EQ(markers_of(7), (Markers{{"jeux", 5, 0}}));
  EXPECT_EQ(committed(request_mentions({7}, "jeux", 9)), true);
  EXPECT_EQ(committed(request_mentions({7}, "jeux", 4)), true);
  EXPECT_EQ(markers_of(7), (Markers{{"jeux", 5, 9}}));
  auto higher = request_read(7, "jeux", 12);
  auto lower = request_read(7, "jeux", 8);  // in the same batch, after the higher one
  store_->commit();
  EXPECT_EQ(*higher, true);
  EXPECT_EQ(*lower, true);
  EXPECT_EQ(markers_of(7), (Markers{{"jeux", 12, 9}}));
}

TEST_F(SqliteReadMarkersTest, MentionsRaiseEachAccountsMarkerAndNoOneElses) {
  EXPECT_EQ(committed(request_read(3, "jeux", 4)), true);
  EXPECT_EQ(committed(request_read(8, "jeux", 2)), true);
  EXPECT_EQ(committed(request_mentions({3, 5, 7}, "jeux", 6)), true);
  EXPECT_EQ(markers_of(3), (Markers{{"jeux", 4, 6}}));
  // A public room never read counts from the mention, not from its first line.
  EXPECT_EQ(markers_of(5), (Markers{{"jeux", 5, 6}}));
  EXPECT_EQ(markers_of(7), (Markers{{"jeux", 5, 6}}));
  EXPECT_EQ(markers_of(8), (Markers{{"jeux", 2, 0}}));
  EXPECT_EQ(committed(request_mentions({}, "jeux", 10)), true);  // a line mentioning no one
  EXPECT_EQ(rows_in("read_markers"), 4);
}

// Members follow a private room from its first line: a mention's new marker has nothing read.
TEST_F(SqliteReadMarkersTest, AMentionsNewMarkerInAPrivateRoomHasNothingRead) {
  StoredRoom secret = room_named("secret");
  secret.is_private = true;
  secret.owner = 3;
  secret.members = {3, 5};
  store_->create_room(secret, [](bool ok) { EXPECT_TRUE(ok); });
  EXPECT_EQ(committed(request_mentions({5}, "secret", 6)), true);
  EXPECT_EQ(markers_of(5), (Markers{{"secret", 0, 6}}));
}

// Every room's marker of the account, by name (a conversation's control-character name byte for
// byte), and the same after a restart.
TEST_F(SqliteReadMarkersTest, MarkersAreReadByRoomNameAndSurviveAReopen) {
  StoredRoom conversation = room_named(dm_room_name(7, 3));
  conversation.is_private = true;
  conversation.members = {3, 7};
  store_->create_room(conversation, [](bool ok) { EXPECT_TRUE(ok); });
  auto jeux = request_read(7, "jeux", 5);
  auto general = request_read(7, "general", 2);
  auto direct = request_read(7, dm_room_name(3, 7), 1);
  auto mentioned = request_mentions({7, 3}, "cuisine", 4);
  auto other = request_read(3, "jeux", 9);
  store_->commit();
  for (const Result& result : {jeux, general, direct, mentioned, other}) EXPECT_EQ(*result, true);
  const Markers expected{{dm_room_name(3, 7), 1, 0}, {"cuisine", 3, 4}, {"general", 2, 0}, {"jeux", 5, 0}};
  EXPECT_EQ(markers_of(7), expected);
  reopen();
  EXPECT_EQ(markers_of(7), expected);
  EXPECT_EQ(markers_of(3), (Markers{{"cuisine", 3, 4}, {"jeux", 9, 0}}));
}

// A room that is not stored (never was, or was deleted) answers false, and the requests around it
// in the batch are stored.
TEST_F(SqliteReadMarkersTest, ARaiseInARoomNotStoredFailsAlone) {
  EXPECT_EQ(committed(request_delete("cuisine")), true);
  auto before = request_read(7, "jeux", 1);
  auto nowhere_read = request_read(7, "nowhere", 1);
  auto nowhere_mentions = request_mentions({7, 3}, "nowhere", 1);
  auto gone_read = request_read(7, "cuisine", 1);
  auto gone_mentions = request_mentions({7}, "cuisine", 1);
  auto after = request_mentions({7}, "jeux", 2);
  store_->commit();
  EXPECT_EQ(*before, true);
  EXPECT_EQ(*nowhere_read, false);
  EXPECT_EQ(*nowhere_mentions, false);
  EXPECT_EQ(*gone_read, false);
  EXPECT_EQ(*gone_mentions, false);
  EXPECT_EQ(*after, true);
  EXPECT_EQ(markers_of(7), (Markers{{"jeux", 1, 2}}));
  EXPECT_EQ(rows_in("read_markers"), 1);
}

TEST_F(SqliteReadMarkersTest, ADeletedRoomTakesItsMarkersAndANewRoomOfItsNameStartsWithNone) {
  EXPECT_EQ(committed(request_read(7, "jeux", 5)), true);
  EXPECT_EQ(committed(request_mentions({7, 3}, "jeux", 6)), true);
  EXPECT_EQ(committed(request_read(7, "cuisine", 2)), true);
  EXPECT_EQ(committed(request_delete("jeux")), true);
  EXPECT_EQ(rows_in("read_markers"), 1);
  store_->create_room(room_named("jeux"), [](bool ok) { EXPECT_TRUE(ok); });
  store_->commit();
  EXPECT_EQ(markers_of(7), (Markers{{"cuisine", 2, 0}}));
  EXPECT_TRUE(markers_of(3).empty());
  EXPECT_EQ(committed(request_read(3, "jeux", 1)), true);  // the row cached for the old room is not used
  reopen();
  EXPECT_EQ(markers_of(3), (Markers{{"jeux", 1, 0}}));
  EXPECT_EQ(markers_of(7), (Markers{{"cuisine", 2, 0}}));
}

// Mentions of several accounts, one of them refused (a trigger), are stored for none of them; a
// deletion refused at the markers keeps the room with its lines and markers. The requests around
// each in the batch are stored: a job undoes its own part only.
TEST_F(SqliteReadMarkersTest, AJobRefusedHalfwayLeavesNothingHalfDoneAndSparesItsBatch) {
  EXPECT_EQ(committed(request_read(7, "cuisine", 3)), true);
  store_->append_line("cuisine", ChatLine{1, 1, "a", "x"}, [](bool ok) { EXPECT_TRUE(ok); });
  store_->commit();
  run_beside(
      "CREATE TRIGGER refuse_marker BEFORE INSERT ON read_markers WHEN NEW.account = 666 "
      "BEGIN SELECT RAISE(ABORT, 'refused'); END;"
      "CREATE TRIGGER refuse_marker_deletion BEFORE DELETE ON read_markers "
      "BEGIN SELECT RAISE(ABORT, 'refused'); END;");
  auto before = request_read(7, "jeux", 1);
  auto refused = request_mentions({3, 5, 666, 8}, "jeux", 4);
  auto deletion = request_delete("cuisine");
  auto after = request_mentions({7}, "jeux", 2);
  store_->commit();
  EXPECT_EQ(*before, true);
  EXPECT_EQ(*refused, false);
  EXPECT_EQ(*deletion, false);
  EXPECT_EQ(*after, true);
  reopen();
  EXPECT_TRUE(markers_of(3).empty());
  EXPECT_TRUE(markers_of(5).empty());
  EXPECT_EQ(markers_of(7), (Markers{{"cuisine", 3, 0}, {"jeux", 1, 2}}));
  StoredState state;
  ASSERT_TRUE(store_->load(state));
  ASSERT_EQ(state.rooms.size(), 3u);
  EXPECT_EQ(state.rooms[2].name, "cuisine");
  EXPECT_EQ(state.rooms[2].last_line_id, 1);
  run_beside("DROP TRIGGER refuse_marker; DROP TRIGGER refuse_marker_deletion;");
  EXPECT_EQ(committed(request_mentions({3, 666}, "jeux", 4)), true);
}

// A disk that fills while many accounts' mentions are written (so many that the batch spills out
// of SQLite's page cache midway) rolls the whole batch back: none of them nor the raises queued
// with them are stored, and the store works again afterwards.
TEST_F(SqliteReadMarkersTest, AFullDiskMidwayThroughTheMentionsStoresNoneOfTheBatch) {
  EXPECT_EQ(committed(request_read(7, "jeux", 1)), true);
  ASSERT_NO_FATAL_FAILURE(disk_nearly_full());
  std::vector<AccountId> crowd;
  for (AccountId id = 1; id <= 100000; ++id) crowd.push_back(id);
  auto read_before = request_read(7, "jeux", 5);
  auto crowded = request_mentions(crowd, "jeux", 6);
  auto read_after = request_read(7, "cuisine", 2);
  store_->commit();
  disk_freed();
  EXPECT_EQ(*read_before, false);
  EXPECT_EQ(*crowded, false);
  EXPECT_EQ(*read_after, false);
  EXPECT_EQ(committed(request_read(7, "jeux", 3)), true);  // the disk works again
  reopen();
  EXPECT_EQ(markers_of(7), (Markers{{"jeux", 3, 0}}));
  EXPECT_EQ(rows_in("read_markers"), 1);
}

TEST_F(SqliteReadMarkersTest, ABackupHoldsTheMarkers) {
  EXPECT_EQ(committed(request_read(7, "jeux", 5)), true);
  EXPECT_EQ(committed(request_mentions({7}, "jeux", 6)), true);
  const auto restored = backup_opened();
  ASSERT_TRUE(restored);
  EXPECT_EQ(markers_of(7, *restored), (Markers{{"jeux", 5, 6}}));
}

// What the previous build (schema version 5: private rooms, before read markers) left in chat.db.
const char* const kVersion5 = R"sql(
  PRAGMA journal_mode = WAL;
  CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_ms INTEGER NOT NULL,
                      creator TEXT NOT NULL DEFAULT '', private INTEGER NOT NULL DEFAULT 0,
                      owner INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE lines (room INTEGER NOT NULL REFERENCES rooms(id), id INTEGER NOT NULL, ts_ms INTEGER NOT NULL,
                      user TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (room, id)) WITHOUT ROWID;
  CREATE TABLE tokens (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, user TEXT NOT NULL,
                       last_used_ms INTEGER NOT NULL, account INTEGER NOT NULL DEFAULT 0,
                       created_ms INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
  CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, identity_key TEXT NOT NULL UNIQUE,
                         lookalike_key TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
                         created_ms INTEGER NOT NULL, password_changed_ms INTEGER NOT NULL);
  CREATE TABLE room_members (room INTEGER NOT NULL REFERENCES rooms(id), account INTEGER NOT NULL,
                             added_ms INTEGER NOT NULL, PRIMARY KEY (room, account));
  INSERT INTO rooms (id, name, created_ms, creator, private, owner) VALUES
    (1, 'general', 0, '', 0, 0), (2, 'secret', 5, 'alice', 1, 1);
  INSERT INTO room_members VALUES (2, 1, 5);
  INSERT INTO lines VALUES (2, 1, 102, 'alice', 'à toi');
  INSERT INTO accounts VALUES (1, 'alice', 'alice', 'a1ice', '$argon2id$x', 1, 1);
  INSERT INTO tokens VALUES ('tok1', 'ab12', 'alice', 1234, 1, 1000);
  PRAGMA user_version = 5;
)sql";

// Everything is kept, no account has a marker, and markers can be raised at once. A crash between
// the step and its version bump repeats the step, which finds its work (and the markers) there.
TEST_F(SqliteReadMarkersTest, AVersion5DatabaseIsMigratedWithNoMarkers) {
  store_.reset();
  for (const char* file : {"/chat.db", "/chat.db-wal", "/chat.db-shm"}) std::filesystem::remove_all(dir_ + file);
  run_beside(kVersion5);
  for (int start = 0; start < 2; ++start) {
    ASSERT_NO_FATAL_FAILURE(reopen());
    StoredState state;
    ASSERT_TRUE(store_->load(state));
    ASSERT_EQ(state.rooms.size(), 2u);
    EXPECT_EQ(state.rooms[1].name, "secret");
    EXPECT_EQ(state.rooms[1].members, (std::vector<AccountId>{1}));
    EXPECT_EQ(state.rooms[1].last_line_id, 1);
    ASSERT_EQ(state.accounts.size(), 1u);
    ASSERT_EQ(state.tokens.size(), 1u);
    if (start == 0) {
      EXPECT_TRUE(markers_of(1).empty());
      EXPECT_EQ(committed(request_read(1, "secret", 1)), true);
    } else {
      EXPECT_EQ(markers_of(1), (Markers{{"secret", 1, 0}}));
    }
    store_.reset();
    run_beside("PRAGMA user_version = 5;");  // as if the bump had not been written
  }
  reopen();
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/chat.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* version = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &version, nullptr);
  ASSERT_EQ(sqlite3_step(version), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(version, 0), current_schema_version());
  EXPECT_EQ(current_schema_version(), 6);
  sqlite3_finalize(version);
  sqlite3_close(db);
}

}  // namespace
}  // namespace chat
