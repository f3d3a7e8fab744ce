// Schema versions: a database made by the previous release (0.3.0, before versions were
// recorded) is brought to the current version at start-up with everything in it kept; a new one
// starts at the current version; one from a newer build is refused untouched.
#include "server/store/schema_migrations.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "server/store/sqlite_store.hpp"

namespace chat {
namespace {

// What chat_server 0.3.0 left in chat.db: its schema (CREATE statements as it ran them, the
// creator column added by its own start-up check) and user_version 0.
const char* const kPreviousRelease = R"sql(
  PRAGMA journal_mode = WAL;
  CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_ms INTEGER NOT NULL);
  CREATE TABLE lines (room INTEGER NOT NULL REFERENCES rooms(id), id INTEGER NOT NULL, ts_ms INTEGER NOT NULL,
                      user TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (room, id)) WITHOUT ROWID;
  CREATE TABLE tokens (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, user TEXT NOT NULL,
                       last_used_ms INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO rooms (id, name, created_ms) VALUES (1, 'general', 0);
  ALTER TABLE rooms ADD COLUMN creator TEXT NOT NULL DEFAULT '';
  INSERT INTO rooms (id, name, created_ms, creator) VALUES (2, 'jeux', 5, 'alice');
  INSERT INTO lines VALUES (1, 1, 100, 'alice', 'bonjour'), (1, 2, 101, 'bob', 'salut'), (2, 1, 102, 'alice', 'à toi');
  INSERT INTO tokens VALUES ('tok1', 'ab12', 'alice', 1234);
)sql";

class SchemaMigrationsTest : public testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/chat-schema-test-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string path() const { return dir_ + "/chat.db"; }

  void write_database(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path().c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
  }

  int user_version() {
    sqlite3* db = nullptr;
    sqlite3_open(path().c_str(), &db);
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &statement, nullptr);
    const int version = sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int(statement, 0) : -1;
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return version;
  }

  std::string dir_;
};

TEST_F(SchemaMigrationsTest, ADatabaseOfThePreviousReleaseIsMigratedWithItsContentKept) {
  write_database(kPreviousRelease);
  ASSERT_EQ(user_version(), 0);
  std::string error;
  auto store = SqliteStore::open(dir_, error);
  ASSERT_TRUE(store) << error;
  StoredState state;
  ASSERT_TRUE(store->load(state));
  ASSERT_EQ(state.rooms.size(), 2u);
  EXPECT_EQ(state.rooms[0].name, "general");
  EXPECT_EQ(state.rooms[0].last_line_id, 2);
  EXPECT_EQ(state.rooms[1].name, "jeux");
  EXPECT_EQ(state.rooms[1].creator, "alice");
  EXPECT_EQ(state.rooms[1].last_line_id, 1);
  ASSERT_EQ(state.tokens.size(), 1u);
  EXPECT_EQ(state.tokens[0].secret_hash, "ab12");  // already hashed: left as it was
  EXPECT_EQ(state.tokens[0].last_used_ms, 1234);
  EXPECT_EQ(state.tokens[0].account, 0);  // a guest's token
  EXPECT_TRUE(state.accounts.empty());
  LinePage page;
  store->read_lines(LineQuery{"jeux", 0, 0, 10}, [&](LinePage read) { page = std::move(read); });
  store->commit();
  ASSERT_EQ(page.lines.size(), 1u);
  EXPECT_EQ(page.lines[0].text, "à toi");
  store.reset();
  EXPECT_EQ(user_version(), current_schema_version());
}

TEST_F(SchemaMigrationsTest, ANewDatabaseStartsAtTheCurrentVersion) {
  std::string error;
  ASSERT_TRUE(SqliteStore::open(dir_, error)) << error;
  EXPECT_EQ(user_version(), current_schema_version());
  EXPECT_GE(current_schema_version(), 6);  // tables, room creators, hashed token secrets, accounts, room members, read markers
}

TEST_F(SchemaMigrationsTest, AMigratedDatabaseOpensAgainUnchanged) {
  write_database(kPreviousRelease);
  std::string error;
  ASSERT_TRUE(SqliteStore::open(dir_, error)) << error;
  auto again = SqliteStore::open(dir_, error);
  ASSERT_TRUE(again) << error;
  StoredState state;
  ASSERT_TRUE(again->load(state));
  EXPECT_EQ(state.rooms.size(), 2u);
  EXPECT_EQ(user_version(), current_schema_version());
}

// The previous build (schema version 3, before accounts) left the same tables with their version
// recorded: its tokens become guest tokens, and accounts can be created at once. A crash between
// the step and its version bump repeats the step, which finds its work done.
TEST_F(SchemaMigrationsTest, AVersion3DatabaseGainsAccountsAndItsTokensBecomeGuestTokens) {
  write_database(std::string(kPreviousRelease) + "PRAGMA user_version = 3;");
  for (int start = 0; start < 2; ++start) {
    std::string error;
    auto store = SqliteStore::open(dir_, error);
    ASSERT_TRUE(store) << error;
    StoredState state;
    ASSERT_TRUE(store->load(state));
    ASSERT_EQ(state.tokens.size(), 1u);
    EXPECT_EQ(state.tokens[0].id, "tok1");
    EXPECT_EQ(state.tokens[0].user, "alice");
    EXPECT_EQ(state.tokens[0].account, 0);
    EXPECT_EQ(state.tokens[0].created_ms, 0);
    EXPECT_EQ(state.rooms.size(), 2u);
    EXPECT_EQ(state.accounts.size(), static_cast<std::size_t>(start));
    AccountOutcome outcome = AccountOutcome::failed;
    if (start == 0) {
      store->create_account(StoredAccount{0, "Alice", "alice", "a1ice", "$argon2id$x", 1, 1},
                            [&](AccountOutcome result, AccountId) { outcome = result; });
      store->commit();
      EXPECT_EQ(outcome, AccountOutcome::done);
    }
    store.reset();
    EXPECT_EQ(user_version(), current_schema_version());
    write_database("PRAGMA user_version = 3;");  // as if the bump had not been written
  }
}

TEST_F(SchemaMigrationsTest, ADatabaseFromANewerBuildIsRefusedUntouched) {
  write_database(std::string(kPreviousRelease) + "PRAGMA user_version = " +
                 std::to_string(current_schema_version() + 1) + ";");
  std::string error;
  EXPECT_FALSE(SqliteStore::open(dir_, error));
  EXPECT_NE(error.find("made by a newer chat_server"), std::string::npos) << error;
  EXPECT_EQ(user_version(), current_schema_version() + 1);
}

}  // namespace
}  // namespace chat
