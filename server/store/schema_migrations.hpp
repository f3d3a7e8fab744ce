// The store's schema versions: the ordered list of steps that bring a database of any earlier
// version to the one this build uses, recorded in SQLite's PRAGMA user_version.
#pragma once

#include <string>

struct sqlite3;

namespace chat {

// The version a database has once migrate_schema succeeded.
int current_schema_version();

// Runs, in order, every step newer than the database's user_version, setting user_version after
// each. A database from a newer build (a higher version than this build knows) is refused, not
// touched. False with `error` set if a step failed (steps already done stay done).
bool migrate_schema(sqlite3* db, std::string& error);

}  // namespace chat
