// A SqliteStore in a fresh temporary folder per test, removed afterwards; reopen() closes and
// opens it again (a restart), keeping the folder.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <filesystem>
#include <memory>
#include <string>

#include "server/store/backup.hpp"
#include "server/store/sqlite_store.hpp"

namespace chat {

class SqliteStoreFixture : public testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/chat-store-test-XXXXXX";
    dir_ = mkdtemp(pattern);
    reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void reopen() {
    store_.reset();
    std::string error;
    store_ = SqliteStore::open(dir_, error);
    ASSERT_TRUE(store_) << error;
  }
  // A disk that fills up: the process may write at most 64 KiB past the WAL's present size
  // (RLIMIT_FSIZE; a write beyond fails with EFBIG instead of killing the test), until disk_freed().
  void disk_nearly_full() {
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &unlimited_), 0);
    rlimit limited = unlimited_;
    limited.rlim_cur = std::filesystem::file_size(dir_ + "/chat.db-wal") + 64 * 1024;
    signal(SIGXFSZ, SIG_IGN);
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &limited), 0);
  }
  void disk_freed() {
    setrlimit(RLIMIT_FSIZE, &unlimited_);
    signal(SIGXFSZ, SIG_DFL);
  }
  // Rows of `table` as a second connection sees them (e.g. none may outlive its room).
  int rows_in(const std::string& table) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open((dir_ + "/chat.db").c_str(), &db), SQLITE_OK);
    sqlite3_stmt* count = nullptr;
    sqlite3_prepare_v2(db, ("SELECT count(*) FROM " + table).c_str(), -1, &count, nullptr);
    const int rows = count && sqlite3_step(count) == SQLITE_ROW ? sqlite3_column_int(count, 0) : -1;
    sqlite3_finalize(count);
    sqlite3_close(db);
    return rows;
  }
  // Another connection to the same file, as an operator's sqlite3 shell would be.
  void run_beside(const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ + "/chat.db").c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* message = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
  }
  // A store opened on a backup of this one (backup_database, as `chat_server --backup` makes);
  // null, the test failed, when either step fails.
  std::unique_ptr<SqliteStore> backup_opened() {
    const std::string copy = dir_ + "/restored/chat.db";
    std::filesystem::create_directories(dir_ + "/restored");
    std::string error;
    if (!backup_database(dir_, copy, error)) {
      ADD_FAILURE() << error;
      return nullptr;
    }
    auto restored = SqliteStore::open(dir_ + "/restored", error);
    if (!restored) ADD_FAILURE() << error;
    return restored;
  }

  std::string dir_;
  std::unique_ptr<SqliteStore> store_;
  rlimit unlimited_{};
};

}  // namespace chat
