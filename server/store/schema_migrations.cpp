// Each step is idempotent: it looks before it changes anything. Databases made before versions
// were recorded (user_version 0) hold any of the older layouts, and a crash between a step and
// its version bump repeats that step at the next start; both then simply find the work done.
// A new step goes at the end of kSteps with its reason; a released step is never edited.
#include "server/store/schema_migrations.hpp"

#include <sqlite3.h>

#include <chrono>
#include <string>

#include "server/log.hpp"
#include "server/sha256_hasher.hpp"

namespace chat {
namespace {

struct Step {
  const char* what;
  bool (*apply)(sqlite3* db);
};

bool exec(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

// 1: the tables of the first release, and the room every client starts in.
bool create_tables(sqlite3* db) {
  return exec(db, R"sql(
    CREATE TABLE IF NOT EXISTS rooms (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      created_ms INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS lines (
      room INTEGER NOT NULL REFERENCES rooms(id),
      id INTEGER NOT NULL,
      ts_ms INTEGER NOT NULL,
      user TEXT NOT NULL,
      text TEXT NOT NULL,
      PRIMARY KEY (room, id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS tokens (
      id TEXT PRIMARY KEY,
      secret_hash TEXT NOT NULL,
      user TEXT NOT NULL,
      last_used_ms INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO rooms (id, name, created_ms) VALUES (1, 'general', 0);
  )sql");
}

// 2: rooms made before rooms could be deleted have no creator (only the operator can remove them).
bool add_room_creator_column(sqlite3* db) {
  sqlite3_stmt* probe = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT creator FROM rooms LIMIT 0", -1, &probe, nullptr) == SQLITE_OK) {
    sqlite3_finalize(probe);
    return true;
  }
  sqlite3_finalize(probe);
  return exec(db, "ALTER TABLE rooms ADD COLUMN creator TEXT NOT NULL DEFAULT ''");
}

// 3: tokens written before secrets were hashed, tokens(id, secret, user), are rebuilt with each
// secret's SHA-256 (what the server now compares), in one transaction, so tokens held by clients
// keep working. Their expiry counts from this start-up.
bool hash_token_secrets(sqlite3* db) {
  sqlite3_stmt* probe = nullptr;
  sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('tokens') WHERE name = 'secret'", -1, &probe, nullptr);
  const bool old_layout = probe && sqlite3_step(probe) == SQLITE_ROW;
  sqlite3_finalize(probe);
  if (!old_layout) return true;
  // secure_delete: the old table's pages are zeroed, so the secrets do not linger in free pages.
  const char* const kRebuild = R"sql(
    PRAGMA secure_delete = ON;
    BEGIN;
    ALTER TABLE tokens RENAME TO tokens_clear;
    CREATE TABLE tokens (id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, user TEXT NOT NULL,
                         last_used_ms INTEGER NOT NULL) WITHOUT ROWID;
  )sql";
  sqlite3_stmt* select = nullptr;
  sqlite3_stmt* insert = nullptr;
  bool ok = exec(db, kRebuild) &&
            sqlite3_prepare_v2(db, "SELECT id, secret, user FROM tokens_clear", -1, &select, nullptr) == SQLITE_OK &&
            sqlite3_prepare_v2(db, "INSERT INTO tokens VALUES (?, ?, ?, ?)", -1, &insert, nullptr) == SQLITE_OK;
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  int migrated = 0;
  while (ok && sqlite3_step(select) == SQLITE_ROW) {
    const auto* secret = reinterpret_cast<const char*>(sqlite3_column_text(select, 1));
    const std::string hash = sha256_hex(std::string_view(secret ? secret : "", sqlite3_column_bytes(select, 1)));
    sqlite3_bind_value(insert, 1, sqlite3_column_value(select, 0));
    sqlite3_bind_text(insert, 2, hash.data(), static_cast<int>(hash.size()), SQLITE_TRANSIENT);
    sqlite3_bind_value(insert, 3, sqlite3_column_value(select, 2));
    sqlite3_bind_int64(insert, 4, now_ms);
    ok = sqlite3_step(insert) == SQLITE_DONE;
    sqlite3_reset(insert);
    ++migrated;
  }
  sqlite3_finalize(select);
  sqlite3_finalize(insert);
  ok = ok && exec(db, "DROP TABLE tokens_clear; COMMIT; PRAGMA secure_delete = OFF;");
  if (!ok) {
    log_line(LogLevel::error, "store: hashing the stored resume-token secrets failed: %s", sqlite3_errmsg(db));
    exec(db, "ROLLBACK; PRAGMA secure_delete = OFF;");
    return false;
  }
  log_line(LogLevel::info, "store: %d resume tokens now stored as hashes of their secrets (was: clear text)", migrated);
  return true;
}

bool has_column(sqlite3* db, const char* table, const char* column) {
  sqlite3_stmt* probe = nullptr;
  sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", -1, &probe, nullptr);
  sqlite3_bind_text(probe, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text(probe, 2, column, -1, SQLITE_STATIC);
  const bool found = probe && sqlite3_step(probe) == SQLITE_ROW;
  sqlite3_finalize(probe);
  return found;
}

// 4: accounts (docs/ACCOUNTS.md, Storage). A token says whose session it is; the tokens stored
// before accounts existed become guest tokens (account 0) issued at an unknown time (0). One
// transaction, so that a failed step leaves the database as it was.
bool add_accounts(sqlite3* db) {
  std::string sql = R"sql(
    BEGIN;
    CREATE TABLE IF NOT EXISTS accounts (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      identity_key TEXT NOT NULL UNIQUE,
      lookalike_key TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      created_ms INTEGER NOT NULL,
      password_changed_ms INTEGER NOT NULL
    );
  )sql";
  if (!has_column(db, "tokens", "account")) sql += "ALTER TABLE tokens ADD COLUMN account INTEGER NOT NULL DEFAULT 0;";
  if (!has_column(db, "tokens", "created_ms")) sql += "ALTER TABLE tokens ADD COLUMN created_ms INTEGER NOT NULL DEFAULT 0;";
  sql += "COMMIT;";
  if (exec(db, sql.c_str())) return true;
  log_line(LogLevel::error, "store: adding the accounts table failed: %s", sqlite3_errmsg(db));
  exec(db, "ROLLBACK");
  return false;
}

// 5: private rooms and direct conversations (docs/ACCOUNTS.md, step 3). A room says whether it is
// private and whose (0: no owner, a conversation); room_members lists a private room's accounts,
// rowid order being the order they became members. Rooms of older versions are public. One
// transaction, as step 4.
bool add_room_members(sqlite3* db) {
  std::string sql = R"sql(
    BEGIN;
    CREATE TABLE IF NOT EXISTS room_members (
      room INTEGER NOT NULL REFERENCES rooms(id),
      account INTEGER NOT NULL,
      added_ms INTEGER NOT NULL,
      PRIMARY KEY (room, account)
    );
  )sql";
  if (!has_column(db, "rooms", "private")) sql += "ALTER TABLE rooms ADD COLUMN private INTEGER NOT NULL DEFAULT 0;";
  if (!has_column(db, "rooms", "owner")) sql += "ALTER TABLE rooms ADD COLUMN owner INTEGER NOT NULL DEFAULT 0;";
  sql += "COMMIT;";
  if (exec(db, sql.c_str())) return true;
  log_line(LogLevel::error, "store: adding private rooms' members failed: %s", sqlite3_errmsg(db));
  exec(db, "ROLLBACK");
  return false;
}

// 6: read markers (docs/ACCOUNTS.md, step 4): per account and room, the last line id read there
// and the last that mentioned the account. `room` is the rooms row id, so a room made again under
// a deleted one's name starts with no marker; delete_room deletes a room's markers with it.
// The index by room is for that deletion, which would otherwise read every account's markers.
// One transaction, as step 4.
bool add_read_markers(sqlite3* db) {
  if (exec(db, R"sql(
    BEGIN;
    CREATE TABLE IF NOT EXISTS read_markers (
      account INTEGER NOT NULL,
      room INTEGER NOT NULL REFERENCES rooms(id),
      last_read_id INTEGER NOT NULL DEFAULT 0,
      last_mention_id INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (account, room)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS read_markers_by_room ON read_markers (room);
    COMMIT;
  )sql")) {
    return true;
  }
  log_line(LogLevel::error, "store: adding the read markers failed: %s", sqlite3_errmsg(db));
  exec(db, "ROLLBACK");
  return false;
}

// Version N is the state after kSteps[N - 1].
const Step kSteps[] = {
    {"tables", create_tables},
    {"room creators", add_room_creator_column},
    {"hashed resume-token secrets", hash_token_secrets},
    {"accounts", add_accounts},
    {"private rooms' members", add_room_members},
    {"read markers", add_read_markers},
};
constexpr int kVersions = static_cast<int>(sizeof kSteps / sizeof kSteps[0]);

int user_version(sqlite3* db) {
  sqlite3_stmt* statement = nullptr;
  int version = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    version = sqlite3_column_int(statement, 0);
  }
  sqlite3_finalize(statement);
  return version;
}

}  // namespace

int current_schema_version() { return kVersions; }

bool migrate_schema(sqlite3* db, std::string& error) {
  const int found = user_version(db);
  if (found < 0) {
    error = std::string("cannot read the schema version: ") + sqlite3_errmsg(db);
    return false;
  }
  if (found > kVersions) {
    error = "the database has schema version " + std::to_string(found) + ", made by a newer chat_server; this one knows up to " +
            std::to_string(kVersions) + " (restore a backup made for this version, or upgrade)";
    return false;
  }
  for (int version = found + 1; version <= kVersions; ++version) {
    const Step& step = kSteps[version - 1];
    const std::string bump = "PRAGMA user_version = " + std::to_string(version);
    if (!step.apply(db) || !exec(db, bump.c_str())) {
      error = "schema step " + std::to_string(version) + " (" + step.what + ") failed: " + sqlite3_errmsg(db);
      return false;
    }
  }
  if (found != kVersions) log_line(LogLevel::info, "store: schema version %d -> %d", found, kVersions);
  return true;
}

}  // namespace chat
