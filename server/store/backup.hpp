// Online backup of the store: a consistent copy of DATA_DIR/chat.db taken while the server runs.
#pragma once

#include <string>

namespace chat {

// Copies the database as of one moment into `to` (which must not exist yet): VACUUM INTO on a
// read-only connection, then fsync, written under a temporary name and renamed, so that a file
// named `to` is always a complete backup. False with `error` set on failure (nothing left behind).
bool backup_database(const std::string& data_dir, const std::string& to, std::string& error);

}  // namespace chat
