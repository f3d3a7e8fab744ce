// Why VACUUM INTO rather than sqlite3_backup_step: it reads the database inside one read
// transaction, so the copy is one consistent snapshot however busy the server is (in WAL mode a
// reader never blocks the server's commits, nor they it), and the copy comes out compact and
// self-contained (no -wal file to carry along). A backup step loop that yields between steps
// restarts whenever another connection writes, which under steady chat could never finish. The
// cost: the read snapshot holds the server's checkpoints back while the copy runs, so the WAL
// grows by what is written meanwhile, and is brought back by the next checkpoints.
#include "server/store/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace chat {
namespace {

bool sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  return synced;
}

}  // namespace

bool backup_database(const std::string& data_dir, const std::string& to, std::string& error) {
  namespace fs = std::filesystem;
  const std::string source = data_dir + "/chat.db";
  std::error_code ignored;
  if (!fs::exists(source, ignored)) {
    error = source + " does not exist";
    return false;
  }
  if (fs::exists(to, ignored)) {
    error = to + " exists already (a backup never overwrites a file)";
    return false;
  }
  const std::string partial = to + ".partial";
  fs::remove(partial, ignored);  // left by a backup that was killed
  sqlite3* db = nullptr;
  // Read-only, but not immutable: the server's WAL is read through its shm like any reader's.
  if (sqlite3_open_v2(source.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    error = "cannot open " + source + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return false;
  }
  sqlite3_busy_timeout(db, 10000);
  sqlite3_stmt* vacuum = nullptr;
  bool ok = sqlite3_prepare_v2(db, "VACUUM INTO ?", -1, &vacuum, nullptr) == SQLITE_OK &&
            sqlite3_bind_text(vacuum, 1, partial.c_str(), -1, SQLITE_TRANSIENT) == SQLITE_OK &&
            sqlite3_step(vacuum) == SQLITE_DONE;
  if (!ok) error = "copying " + source + ": " + sqlite3_errmsg(db);
  sqlite3_finalize(vacuum);
  sqlite3_close(db);
  if (ok && !sync_file(partial)) {
    ok = false;
    error = "cannot sync " + partial;
  }
  if (ok && std::rename(partial.c_str(), to.c_str()) != 0) {
    ok = false;
    error = "cannot rename " + partial + " to " + to;
  }
  if (!ok) fs::remove(partial, ignored);
  return ok;
}

}  // namespace chat
