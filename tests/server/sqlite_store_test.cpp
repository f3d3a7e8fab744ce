// SqliteStore on a real file: group commits, page reads both ways, tokens, and what a reopened
// store loads (a restart).
#include "server/store/sqlite_store.hpp"
#include "sqlite_store_fixture.hpp"

#include <sqlite3.h>

#include "server/core/resume_tokens.hpp"
#include "server/sha256_hasher.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

namespace chat {
namespace {

class SqliteStoreTest : public SqliteStoreFixture {
 protected:
  void append(const std::string& room, std::int64_t first, std::int64_t last) {
    for (auto id = first; id <= last; ++id) {
      store_->append_line(room, ChatLine{id, 1000 + id, "u" + std::to_string(id % 3), "text " + std::to_string(id)},
                          [](bool ok) { EXPECT_TRUE(ok); });
    }
    store_->commit();
  }
  LinePage read(const LineQuery& query) {
    LinePage result;
    bool called = false;
    store_->read_lines(query, [&](LinePage page) {
      result = std::move(page);
      called = true;
    });
    EXPECT_FALSE(called);  // never inside the request
    store_->commit();
    EXPECT_TRUE(called);
    return result;
  }
  static std::vector<std::int64_t> ids(const LinePage& page) {
    std::vector<std::int64_t> out;
    for (const auto& line : page.lines) out.push_back(line.id);
    return out;
  }

};

TEST_F(SqliteStoreTest, NewStoreHasOnlyGeneral) {
  StoredState state;
  ASSERT_TRUE(store_->load(state));
  ASSERT_EQ(state.rooms.size(), 1u);
  EXPECT_EQ(state.rooms[0].name, "general");
  EXPECT_EQ(state.rooms[0].last_line_id, 0);
  EXPECT_TRUE(state.tokens.empty());
}

TEST_F(SqliteStoreTest, CompletionsRunInRequestOrderAfterTheCommit) {
  std::vector<int> order;
  store_->append_line("general", ChatLine{1, 1, "a", "x"}, [&](bool ok) { order.push_back(ok ? 1 : -1); });
  store_->create_room(StoredRoom{"jeux", 0, "alice", 5, ""}, [&](bool ok) { order.push_back(ok ? 2 : -2); });
  store_->save_token(StoredToken{"id", "hash", "a", 1}, [&](bool ok) { order.push_back(ok ? 3 : -3); });
  EXPECT_EQ(store_->pending(), 3u);
  EXPECT_TRUE(order.empty());
  store_->commit();
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(store_->pending(), 0u);
}

TEST_F(SqliteStoreTest, PagesBackAndForward) {
  append("general", 1, 120);
  const auto newest = read(LineQuery{"general", 0, 0, 50});
  EXPECT_EQ(ids(newest).front(), 71);
  EXPECT_EQ(ids(newest).back(), 120);
  EXPECT_TRUE(newest.more);
  const auto older = read(LineQuery{"general", 0, 71, 50});
  EXPECT_EQ(ids(older).front(), 21);
  EXPECT_TRUE(older.more);
  const auto oldest = read(LineQuery{"general", 0, 21, 50});
  EXPECT_EQ(ids(oldest).size(), 20u);
  EXPECT_FALSE(oldest.more);
  const auto after = read(LineQuery{"general", 100, 0, 15});
  EXPECT_EQ(ids(after).front(), 101);
  EXPECT_EQ(ids(after).back(), 115);
  EXPECT_TRUE(after.more);
  EXPECT_EQ(after.lines[0].text, "text 101");
  EXPECT_EQ(after.lines[0].ts, 1101);
}

TEST_F(SqliteStoreTest, KeepsTextByteForByte) {
  const std::string text = std::string("é😀\n\"\\ \xE2\x80\xA8 nul:") + std::string(1, '\0') + "end";
  store_->append_line("general", ChatLine{1, 2, "zoë", text}, [](bool ok) { EXPECT_TRUE(ok); });
  store_->commit();
  const auto page = read(LineQuery{"general", 0, 0, 10});
  ASSERT_EQ(page.lines.size(), 1u);
  EXPECT_EQ(page.lines[0].text, text);
  EXPECT_EQ(page.lines[0].user, "zoë");
}

TEST_F(SqliteStoreTest, UnknownRoomsFailCleanly) {
  bool result = true;
  store_->append_line("nowhere", ChatLine{1, 1, "a", "x"}, [&](bool ok) { result = ok; });
  store_->commit();
  EXPECT_FALSE(result);
  EXPECT_FALSE(read(LineQuery{"nowhere", 0, 0, 10}).ok);
  store_->create_room(StoredRoom{"general", 0, "", 1, ""}, [&](bool ok) { result = ok; });  // exists already
  store_->commit();
  EXPECT_FALSE(result);
}

TEST_F(SqliteStoreTest, AReopenedStoreLoadsRoomsLastIdsAndTokens) {
  store_->create_room(StoredRoom{"jeux", 0, "alice", 5, ""}, [](bool ok) { EXPECT_TRUE(ok); });
  store_->save_token(StoredToken{"abc", "h4sh", "alice", 100}, [](bool ok) { EXPECT_TRUE(ok); });
  store_->save_token(StoredToken{"abc", "h4sh", "alicia", 200}, [](bool ok) { EXPECT_TRUE(ok); });  // rename
  store_->commit();
  append("jeux", 1, 7);
  append("general", 1, 3);
  reopen();
  StoredState state;
  ASSERT_TRUE(store_->load(state));
  ASSERT_EQ(state.rooms.size(), 2u);
  EXPECT_EQ(state.rooms[1].name, "jeux");
  EXPECT_EQ(state.rooms[0].last_line_id, 3);
  EXPECT_EQ(state.rooms[1].last_line_id, 7);
  EXPECT_EQ(state.rooms[1].creator, "alice");
  EXPECT_EQ(state.rooms[1].created_ms, 5);
  ASSERT_EQ(state.tokens.size(), 1u);
  EXPECT_EQ(state.tokens[0].user, "alicia");
  EXPECT_EQ(state.tokens[0].secret_hash, "h4sh");
  EXPECT_EQ(state.tokens[0].last_used_ms, 200);
}

TEST_F(SqliteStoreTest, DeletedTokensAreGoneAfterAReopen) {
  for (const char* id : {"a", "b", "c"}) store_->save_token(StoredToken{id, "h", "u", 1}, [](bool) {});
  bool deleted = false;
  store_->delete_tokens({"a", "c", "never-stored"}, [&](bool ok) { deleted = ok; });
  store_->commit();
  EXPECT_TRUE(deleted);
  reopen();
  StoredState state;
  ASSERT_TRUE(store_->load(state));
  ASSERT_EQ(state.tokens.size(), 1u);
  EXPECT_EQ(state.tokens[0].id, "b");
}

// A database written before secrets were hashed: its tokens must still resume.
TEST_F(SqliteStoreTest, ClearTextSecretsOfAnOldDatabaseAreHashedAndStillVerify) {
  store_.reset();
  std::filesystem::remove(dir_ + "/chat.db");
  sqlite3* old = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/chat.db").c_str(), &old), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(old, R"sql(
      CREATE TABLE tokens (id TEXT PRIMARY KEY, secret TEXT NOT NULL, user TEXT NOT NULL) WITHOUT ROWID;
      INSERT INTO tokens VALUES ('465c1a131b47671a', '5599041afcbeb08976355cb5e44feb7a', 'alice'),
                                ('0123456789abcdef', 'ffffffffffffffffffffffffffffffff', 'bob');
    )sql", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(old);
  const auto before = std::chrono::system_clock::now();
  for (int open = 0; open < 2; ++open) {  // the second start finds nothing to migrate
    reopen();
    StoredState state;
    ASSERT_TRUE(store_->load(state));
    ASSERT_EQ(state.tokens.size(), 2u);
    Sha256Hasher hasher;
    ResumeTokens tokens(60'000, TokenPolicy{}, hasher);
    for (const auto& token : state.tokens) {
      EXPECT_EQ(token.secret_hash.size(), 64u);
      EXPECT_GE(token.last_used_ms, std::chrono::duration_cast<std::chrono::milliseconds>(
                                        before.time_since_epoch()).count() - 1000);
      tokens.restore(token);
    }
    const std::int64_t now = state.tokens[0].last_used_ms;
    const StoredToken* alice = tokens.verify("465c1a131b47671a.5599041afcbeb08976355cb5e44feb7a", now);
    ASSERT_NE(alice, nullptr) << open;
    EXPECT_EQ(alice->user, "alice");
    EXPECT_EQ(alice->secret_hash, sha256_hex("5599041afcbeb08976355cb5e44feb7a"));
    EXPECT_NE(tokens.verify("0123456789abcdef.ffffffffffffffffffffffffffffffff", now), nullptr);
  }
  // Not even in the file's free pages: the migration deletes with secure_delete on.
  store_.reset();
  for (const char* file : {"/chat.db", "/chat.db-wal"}) {
    std::ifstream in(dir_ + file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find("5599041afcbeb08976355cb5e44feb7a"), std::string::npos) << file;
    EXPECT_EQ(bytes.find("ffffffffffffffffffffffffffffffff"), std::string::npos) << file;
  }
}

TEST(Sha256Hex, MatchesTheStandardsTestVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(SqliteStoreTest, ADeletedRoomTakesItsLinesAndANewOneOfItsNameStartsEmpty) {
  store_->create_room(StoredRoom{"jeux", 0, "alice", 5, ""}, [](bool ok) { EXPECT_TRUE(ok); });
  store_->commit();
  append("jeux", 1, 4);
  bool deleted = false;
  store_->delete_room("jeux", [&](bool ok) { deleted = ok; });
  store_->commit();
  EXPECT_TRUE(deleted);
  EXPECT_FALSE(read(LineQuery{"jeux", 0, 0, 10}).ok);
  store_->delete_room("jeux", [&](bool ok) { deleted = ok; });  // gone already
  store_->commit();
  EXPECT_FALSE(deleted);
  store_->create_room(StoredRoom{"jeux", 0, "bob", 9, ""}, [](bool ok) { EXPECT_TRUE(ok); });
  store_->commit();
  append("jeux", 1, 1);  // the cached row of the old room is not reused
  EXPECT_EQ(read(LineQuery{"jeux", 0, 0, 10}).lines.size(), 1u);
  reopen();
  StoredState state;
  ASSERT_TRUE(store_->load(state));
  ASSERT_EQ(state.rooms.size(), 2u);
  EXPECT_EQ(state.rooms[1].creator, "bob");
  EXPECT_EQ(state.rooms[1].last_line_id, 1);
}

// A database from before rooms had creators opens, and its rooms have none.
TEST_F(SqliteStoreTest, ADatabaseWithoutTheCreatorColumnIsMigrated) {
  store_.reset();
  std::filesystem::remove_all(dir_ + "/chat.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ + "/chat.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TABLE rooms (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_ms INTEGER NOT NULL);"
                         "INSERT INTO rooms VALUES (1, 'general', 0), (2, 'old', 3);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  reopen();
  StoredState state;
  ASSERT_TRUE(store_->load(state));
  ASSERT_EQ(state.rooms.size(), 2u);
  EXPECT_EQ(state.rooms[1].name, "old");
  EXPECT_EQ(state.rooms[1].creator, "");
}

TEST_F(SqliteStoreTest, DestroyingTheStoreCommitsWhatIsQueued) {
  store_->append_line("general", ChatLine{1, 1, "a", "last words"}, [](bool) {});
  reopen();  // destroys the old store first
  EXPECT_EQ(read(LineQuery{"general", 0, 0, 10}).lines.size(), 1u);
}

// A write error inside a batch (not at its COMMIT) makes SQLite roll the whole transaction back by
// itself. None of the batch may be stored then, although the jobs after the error would each have
// worked on their own, and once the disk works again so does the store. The error: a batch larger
// than SQLite's page cache (2 MB) spills into the WAL before COMMIT, and the file size limit
// (RLIMIT_FSIZE, so EFBIG) stops the WAL from growing.
TEST_F(SqliteStoreTest, AWriteErrorInsideABatchStoresNoneOfItAndTheStoreRecovers) {
  append("general", 1, 1);
  ASSERT_NO_FATAL_FAILURE(disk_nearly_full());
  std::vector<bool> results;
  for (std::int64_t id = 2; id <= 1001; ++id) {
    store_->append_line("general", ChatLine{id, id, "a", std::string(4000, 'x')}, [&](bool ok) { results.push_back(ok); });
  }
  store_->append_line("general", ChatLine{1002, 1002, "a", "small"}, [&](bool ok) { results.push_back(ok); });
  store_->commit();
  disk_freed();

  ASSERT_EQ(results.size(), 1001u);
  EXPECT_EQ(std::count(results.begin(), results.end(), true), 0);
  const auto after_failure = read(LineQuery{"general", 0, 0, 10});
  EXPECT_TRUE(after_failure.ok);
  EXPECT_EQ(ids(after_failure), (std::vector<std::int64_t>{1}));
  append("general", 1003, 1003);
  EXPECT_EQ(ids(read(LineQuery{"general", 0, 0, 10})), (std::vector<std::int64_t>{1, 1003}));
  reopen();
  EXPECT_EQ(ids(read(LineQuery{"general", 0, 0, 10})), (std::vector<std::int64_t>{1, 1003}));
}

// The checkpointer copies committed lines from the WAL into the database file while the store is
// in use (without it the WAL would grow for as long as the server runs).
TEST_F(SqliteStoreTest, CheckpointsCopyTheWalIntoTheDatabase) {
  for (std::int64_t id = 1; id <= 200; ++id) {
    store_->append_line("general", ChatLine{id, id, "a", std::string(1000, 'x')}, [](bool ok) { EXPECT_TRUE(ok); });
    if (id % 10 == 0) store_->commit();  // several transactions, as from a running server
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::filesystem::file_size(dir_ + "/chat.db") < 200 * 1000 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_GE(std::filesystem::file_size(dir_ + "/chat.db"), 200u * 1000) << "no checkpoint within 5 s";
}

// The WAL header's checkpoint sequence number (bytes 12..15, big-endian): SQLite increments it
// each time the WAL starts over from its beginning.
std::uint32_t wal_restarts(const std::string& wal_path) {
  std::ifstream wal(wal_path, std::ios::binary);
  unsigned char header[16] = {};
  if (!wal.read(reinterpret_cast<char*>(header), sizeof header)) return 0;
  return (std::uint32_t{header[12]} << 24) | (std::uint32_t{header[13]} << 16) | (std::uint32_t{header[14]} << 8) | header[15];
}

// Commits without a pause, as under steady load (up to 2 000 a second): the WAL must still start
// over. It grew without end when every checkpoint overlapped a newer commit. What is checked is
// that it starts over (the header's counter moves), not how fast: on a loaded machine the
// checkpoint thread may run late, so the test goes on until it has seen two restarts (bounded
// by time and by the WAL's size, which grows by ~15 MiB a second without restarts).
TEST_F(SqliteStoreTest, TheWalStartsOverUnderCommitsWithoutPause) {
  const std::string wal_path = dir_ + "/chat.db-wal";
  const auto start = std::chrono::steady_clock::now();
  std::int64_t id = 0;
  std::uintmax_t largest_wal = 0;
  std::uint32_t first_restarts = 0;
  std::uint32_t restarts = 0;
  for (auto next = start; next < start + std::chrono::seconds(60); next += std::chrono::microseconds(500)) {
    std::this_thread::sleep_until(next);
    ++id;
    store_->append_line("general", ChatLine{id, id, "a", std::string(1000, 'x')}, [](bool ok) { EXPECT_TRUE(ok); });
    store_->commit();
    if (id % 100 != 0) continue;
    largest_wal = std::max(largest_wal, std::filesystem::file_size(wal_path));
    restarts = wal_restarts(wal_path);
    if (id == 100) first_restarts = restarts;
    if (restarts >= first_restarts + 2 || largest_wal > (400u << 20)) break;
  }
  std::printf("[ figures  ] %lld commits, largest WAL %ju MiB, %u restarts\n", static_cast<long long>(id),
              largest_wal >> 20, restarts - first_restarts);
  EXPECT_GE(restarts, first_restarts + 2) << "the WAL never started over";
}

}  // namespace
}  // namespace chat
