// The store's connection (private to server/store): its prepared statements and the helpers the
// jobs of sqlite_store.cpp, sqlite_rooms.cpp, sqlite_accounts.cpp and sqlite_read_markers.cpp run
// their SQL with. Only the loop thread uses it.
#pragma once

#include <sqlite3.h>

#include <string>
#include <unordered_map>

#include "server/log.hpp"
#include "server/store/sqlite_store.hpp"

namespace chat {

// A connection with the prepared statements the jobs use, and the room name -> row id cache.
class SqliteStore::Database {
 public:
  explicit Database(sqlite3* db) : db_(db) {}
  ~Database() {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
    sqlite3_close(db_);
  }

  sqlite3_int64 total_changes() const { return sqlite3_total_changes64(db_); }

  // False once an error has made SQLite roll the transaction back by itself (or before BEGIN).
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

  bool exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) == SQLITE_OK) return true;
    log_line(LogLevel::error, "sqlite: %s: %s", sql, message ? message : "?");
    sqlite3_free(message);
    return false;
  }

  sqlite3_int64 last_insert_row() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

  // A reset statement, prepared on first use.
  sqlite3_stmt* statement(const char* sql) {
    sqlite3_stmt*& statement = statements_[sql];
    if (!statement && sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK) {
      log_line(LogLevel::error, "sqlite: prepare %s: %s", sql, sqlite3_errmsg(db_));
      return nullptr;
    }
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    return statement;
  }

  // Runs a statement that returns no rows we read, and resets it: a statement left stepped can
  // hold a read snapshot open (see room_row).
  bool step_done(sqlite3_stmt* statement) {
    const int result = sqlite3_step(statement);
    const bool done = result == SQLITE_DONE || result == SQLITE_ROW;
    if (!done) log_line(LogLevel::error, "sqlite: %s: %s", sqlite3_sql(statement), sqlite3_errmsg(db_));
    sqlite3_reset(statement);
    return done;
  }

  // Like step_done, but answers SQLite's extended result code (SQLITE_DONE, SQLITE_ROW, or the
  // error: SQLITE_CONSTRAINT_UNIQUE tells a taken key from a failing disk). Logs only what is
  // not `expected`.
  int step_code(sqlite3_stmt* statement, int expected = SQLITE_DONE) {
    int result = sqlite3_step(statement);
    if (result != SQLITE_DONE && result != SQLITE_ROW) result = sqlite3_extended_errcode(db_);
    if (result != SQLITE_DONE && result != SQLITE_ROW && result != expected) {
      log_line(LogLevel::error, "sqlite: %s: %s", sqlite3_sql(statement), sqlite3_errmsg(db_));
    }
    sqlite3_reset(statement);
    return result;
  }

  // Applies a job's several statements whole or not at all. The jobs of a batch share its
  // transaction, and the batch commits even when one of its jobs failed (the others must not
  // fail with it): without the savepoint, a job failing after its first change would commit that
  // change. If the error rolled the whole transaction back (a full disk), there is nothing left
  // to undo and the batch fails as a whole (see commit_batch).
  template <typename Change>
  bool atomically(Change&& change) {
    sqlite3_stmt* open = statement("SAVEPOINT job");
    if (!open || !step_done(open)) return false;
    if (change()) {
      sqlite3_stmt* release = statement("RELEASE job");
      if (release && step_done(release)) return true;
    }
    if (in_transaction()) exec("ROLLBACK TO job; RELEASE job");
    return false;
  }

  // 0 if the room is unknown. The select is reset at once: left on its row it would hold a read
  // transaction open across commits, which pins every checkpoint and keeps the connection in
  // SQLite's error state after a failed write, so that nothing could be stored again.
  sqlite3_int64 room_row(const std::string& name) {
    if (const auto it = room_rows_.find(name); it != room_rows_.end()) return it->second;
    sqlite3_stmt* select = statement("SELECT id FROM rooms WHERE name = ?");
    if (!select) return 0;
    bind_text(select, 1, name);
    const bool found = sqlite3_step(select) == SQLITE_ROW;
    const sqlite3_int64 row = found ? sqlite3_column_int64(select, 0) : 0;
    sqlite3_reset(select);
    if (found) room_rows_[name] = row;
    return row;
  }

  // A deleted room's row id must not be used for a room created later under its name.
  void forget_room_row(const std::string& name) { room_rows_.erase(name); }

  // A private room's member (room_members, schema step 5). INSERT OR IGNORE: a member who is one
  // already keeps their place in the order.
  bool insert_member(sqlite3_int64 room, sqlite3_int64 account, std::int64_t added_ms) {
    sqlite3_stmt* insert = statement("INSERT OR IGNORE INTO room_members (room, account, added_ms) VALUES (?, ?, ?)");
    if (!insert) return false;
    sqlite3_bind_int64(insert, 1, room);
    sqlite3_bind_int64(insert, 2, account);
    sqlite3_bind_int64(insert, 3, added_ms);
    return step_done(insert);
  }

  // One column of an (account, room) read marker raised (schema step 6): `upsert` binds the
  // account, the room's row and the id, in that order (see sqlite_read_markers.cpp).
  bool raise_marker(const char* upsert_sql, sqlite3_int64 account, sqlite3_int64 room, std::int64_t id) {
    sqlite3_stmt* upsert = statement(upsert_sql);
    if (!upsert) return false;
    sqlite3_bind_int64(upsert, 1, account);
    sqlite3_bind_int64(upsert, 2, room);
    sqlite3_bind_int64(upsert, 3, id);
    return step_done(upsert);
  }

  static void bind_text(sqlite3_stmt* statement, int index, const std::string& text) {
    sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  static std::string column_text(sqlite3_stmt* statement, int column) {
    const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(statement, column));
    return std::string(bytes ? bytes : "", static_cast<std::size_t>(sqlite3_column_bytes(statement, column)));
  }

 private:
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;  // keyed by the literal's address
  std::unordered_map<std::string, sqlite3_int64> room_rows_;
};

}  // namespace chat
