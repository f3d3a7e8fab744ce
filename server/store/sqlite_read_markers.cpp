// SqliteStore's read markers and mentions (docs/ACCOUNTS.md, step 4; schema step 6): a row per
// (account, room) in read_markers, keyed by the room's row id (a room made again under a deleted
// one's name starts with none; delete_room deletes them with the room, in sqlite_rooms.cpp).
// Raising is an upsert that keeps the larger id, so a late or repeated raise never lowers a marker.
#include <sqlite3.h>

#include <memory>

#include "server/store/sqlite_database.hpp"
#include "server/store/sqlite_store.hpp"

namespace chat {
namespace {

// Each raises one column of the (account, room) marker to the bound id, making the marker if
// there was none. A new marker has nothing read, except one a mention makes in a public room,
// which starts read up to the line before the mention (told of the mention, not of the whole past
// of a room never read; members follow a private room from its first line).
constexpr const char* kRaiseRead =
    "INSERT INTO read_markers (account, room, last_read_id) VALUES (?, ?, ?) "
    "ON CONFLICT (account, room) DO UPDATE SET last_read_id = MAX(last_read_id, excluded.last_read_id)";
constexpr const char* kRaiseMention =
    "INSERT INTO read_markers (account, room, last_read_id, last_mention_id) "
    "VALUES (?1, ?2, CASE WHEN (SELECT private FROM rooms WHERE id = ?2) THEN 0 ELSE ?3 - 1 END, ?3) "
    "ON CONFLICT (account, room) DO UPDATE SET last_mention_id = MAX(last_mention_id, excluded.last_mention_id)";

}  // namespace

void SqliteStore::read_markers(AccountId account, MarkersRead done) {
  auto found = std::make_shared<std::vector<ReadMarker>>();
  auto select_markers = [account, found](Database& db) {
    sqlite3_stmt* select = db.statement(
        "SELECT rooms.name, read_markers.last_read_id, read_markers.last_mention_id "
        "FROM read_markers JOIN rooms ON rooms.id = read_markers.room WHERE read_markers.account = ?");
    if (!select) return false;
    sqlite3_bind_int64(select, 1, account);
    int result;
    while ((result = sqlite3_step(select)) == SQLITE_ROW) {
      found->push_back(ReadMarker{Database::column_text(select, 0), sqlite3_column_int64(select, 1),
                                  sqlite3_column_int64(select, 2)});
    }
    sqlite3_reset(select);  // at once: see Database::room_row
    if (result == SQLITE_DONE) return true;
    found->clear();
    return false;
  };
  submit(Job{std::move(select_markers), [found, done = std::move(done)](bool ok) {
               done(ok, ok ? std::move(*found) : std::vector<ReadMarker>{});
             }});
}

void SqliteStore::raise_read_marker(AccountId account, const std::string& room, std::int64_t id, Done done) {
  submit(Job{[account, room, id](Database& db) {
               const sqlite3_int64 row = db.room_row(room);
               return row != 0 && db.raise_marker(kRaiseRead, account, row, id);
             },
             std::move(done)});
}

// Several rows: all of them or none (Database::atomically), so a failure leaves no account
// mentioned and another not.
void SqliteStore::raise_mentions(const std::vector<AccountId>& accounts, const std::string& room, std::int64_t id,
                                 Done done) {
  submit(Job{[accounts, room, id](Database& db) {
               const sqlite3_int64 row = db.room_row(room);
               if (row == 0) return false;
               return db.atomically([&] {
                 for (const AccountId account : accounts) {
                   if (!db.raise_marker(kRaiseMention, account, row, id)) return false;
                 }
                 return true;
               });
             },
             std::move(done)});
}

}  // namespace chat
