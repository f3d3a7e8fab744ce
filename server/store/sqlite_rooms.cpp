// SqliteStore's calls for rooms as such: their creation and deletion, the room list load gives,
// and private rooms' members (docs/ACCOUNTS.md, step 3: schema step 5). A private room's row says
// so and names its owner (0: a direct conversation); room_members holds its accounts, rowid order
// being the order they became members. A room and its members are written and deleted together
// (Database::atomically), so no batch ever commits a private room without its members, nor
// members of a room that is gone. Its read markers (schema step 6) go with it the same way.
#include <sqlite3.h>

#include <chrono>
#include <unordered_map>

#include "server/store/sqlite_database.hpp"
#include "server/store/sqlite_store.hpp"

namespace chat {
namespace {

// The port's add_room_member carries no time: a member's added_ms is when the store wrote it
// (kept for the operator's eyes; order comes from the rowid).
std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

bool SqliteStore::load_rooms(StoredState& state) {
  Database& db = *database_;
  sqlite3_stmt* rooms = db.statement(
      "SELECT id, name, (SELECT COALESCE(MAX(id), 0) FROM lines WHERE lines.room = rooms.id), creator, created_ms, "
      "private, owner FROM rooms ORDER BY id");
  if (!rooms) return false;
  std::unordered_map<sqlite3_int64, std::size_t> index_of_row;
  int result;
  while ((result = sqlite3_step(rooms)) == SQLITE_ROW) {
    index_of_row[sqlite3_column_int64(rooms, 0)] = state.rooms.size();
    StoredRoom room;
    room.name = Database::column_text(rooms, 1);
    room.last_line_id = sqlite3_column_int64(rooms, 2);
    room.creator = Database::column_text(rooms, 3);
    room.created_ms = sqlite3_column_int64(rooms, 4);
    room.is_private = sqlite3_column_int64(rooms, 5) != 0;
    room.owner = sqlite3_column_int64(rooms, 6);
    state.rooms.push_back(std::move(room));
  }
  sqlite3_reset(rooms);
  if (result != SQLITE_DONE) return false;
  sqlite3_stmt* members = db.statement("SELECT room, account FROM room_members ORDER BY rowid");
  if (!members) return false;
  while ((result = sqlite3_step(members)) == SQLITE_ROW) {
    const auto it = index_of_row.find(sqlite3_column_int64(members, 0));
    if (it != index_of_row.end()) state.rooms[it->second].members.push_back(sqlite3_column_int64(members, 1));
  }
  sqlite3_reset(members);
  return result == SQLITE_DONE;
}

void SqliteStore::create_room(const StoredRoom& room, Done done) {
  submit(Job{[room](Database& db) {
               sqlite3_stmt* insert = db.statement(
                   "INSERT INTO rooms (name, created_ms, creator, private, owner) VALUES (?, ?, ?, ?, ?)");
               if (!insert) return false;
               Database::bind_text(insert, 1, room.name);
               sqlite3_bind_int64(insert, 2, room.created_ms);
               Database::bind_text(insert, 3, room.creator);
               sqlite3_bind_int(insert, 4, room.is_private ? 1 : 0);
               sqlite3_bind_int64(insert, 5, room.is_private ? room.owner : 0);
               if (!room.is_private) return db.step_done(insert);
               return db.atomically([&] {
                 if (!db.step_done(insert)) return false;
                 const sqlite3_int64 row = db.last_insert_row();
                 for (const AccountId member : room.members) {
                   if (!db.insert_member(row, member, room.created_ms)) return false;
                 }
                 return true;
               });
             },
             std::move(done)});
}

void SqliteStore::delete_room(const std::string& name, Done done) {
  submit(Job{[name](Database& db) {
               const sqlite3_int64 row = db.room_row(name);
               sqlite3_stmt* lines = db.statement("DELETE FROM lines WHERE room = ?");
               sqlite3_stmt* members = db.statement("DELETE FROM room_members WHERE room = ?");
               sqlite3_stmt* markers = db.statement("DELETE FROM read_markers WHERE room = ?");
               sqlite3_stmt* room = db.statement("DELETE FROM rooms WHERE id = ?");
               if (row == 0 || !lines || !members || !markers || !room) return false;
               sqlite3_bind_int64(lines, 1, row);
               sqlite3_bind_int64(members, 1, row);
               sqlite3_bind_int64(markers, 1, row);
               sqlite3_bind_int64(room, 1, row);
               db.forget_room_row(name);  // a failure keeps the room: its row is read again
               return db.atomically([&] {
                 return db.step_done(lines) && db.step_done(members) && db.step_done(markers) && db.step_done(room);
               });
             },
             std::move(done)});
}

void SqliteStore::add_room_member(const std::string& room, AccountId account, Done done) {
  submit(Job{[room, account](Database& db) {
               const sqlite3_int64 row = db.room_row(room);
               return row != 0 && db.insert_member(row, account, wall_clock_ms());
             },
             std::move(done)});
}

void SqliteStore::remove_room_member(const std::string& room, AccountId account, Done done) {
  submit(Job{[room, account](Database& db) {
               const sqlite3_int64 row = db.room_row(room);
               sqlite3_stmt* remove = db.statement("DELETE FROM room_members WHERE room = ? AND account = ?");
               if (row == 0 || !remove) return false;
               sqlite3_bind_int64(remove, 1, row);
               sqlite3_bind_int64(remove, 2, account);
               return db.step_done(remove);
             },
             std::move(done)});
}

}  // namespace chat
