// Durability: WAL with synchronous=NORMAL. A committed transaction is in the WAL file through
// write(), so it survives the process being killed (kill -9); only a power loss or kernel crash can
// lose the last commits, which is the usual trade for not paying an fsync per batch.
//
// Checkpoints (copying the WAL back into the database, with fsyncs) would otherwise run inside
// a commit every ~1000 pages and stall the loop for milliseconds; automatic checkpoints are off
// and a thread with its own connection runs passive checkpoints instead, which never block the
// writer. Jobs run in queue order inside one transaction, so a read queued after a write sees it.
// A job that makes several changes makes them atomically (Database::atomically): the batch's
// transaction commits the other jobs even when one fails, so a failing job must undo its own part.
// The connection (sqlite_database.hpp), the calls about rooms and their members
// (sqlite_rooms.cpp), the accounts' calls, the schema's migrations and the backup are files of
// their own.
#include "server/store/sqlite_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/log.hpp"
#include "server/store/schema_migrations.hpp"
#include "server/store/sqlite_database.hpp"

namespace chat {

namespace {

// The connection's settings; the tables are schema_migrations'.
const char* const kPragmas = R"sql(
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = NORMAL;
  PRAGMA wal_autocheckpoint = 0;
  PRAGMA journal_size_limit = 67108864;
)sql";

}  // namespace

// Runs PRAGMA wal_checkpoint(PASSIVE) on its own connection every kCheckpointInterval, off the loop.
class SqliteStore::Checkpointer {
 public:
  explicit Checkpointer(sqlite3* db) : db_(db), thread_([this] { work(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
    sqlite3_close(db_);
  }

  // Held by the checkpointer while the loop must not commit (see finish_round); the loop only
  // ever try-locks it.
  std::mutex& commits() { return commits_; }

 private:
  static constexpr std::chrono::milliseconds kCheckpointInterval{500};
  static constexpr int kRestartAfterFrames = 4096;  // 16 MiB of 4 KiB pages

  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, kCheckpointInterval, [this] { return stopping_; })) {
      lock.unlock();
      int wal_frames = 0;
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames, nullptr);
      if (wal_frames >= kRestartAfterFrames) finish_round();
      lock.lock();
    }
  }

  // The WAL starts over from its beginning only when a write finds every frame in it copied to
  // the database, and under a steady stream of commits (one a millisecond at 2 000 lines/s) there
  // is always a newer frame: it grew by 14 MB/s, without end. Past kRestartAfterFrames, one more
  // checkpoint copies what came meanwhile, then the loop is kept from committing for the length
  // of a last one, which copies the few frames left; the loop's next commit starts the WAL over.
  // The loop never waits for this: it skips committing while commits_ is held (its lines wait a
  // few milliseconds more).
  void finish_round() {
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    std::lock_guard<std::mutex> hold(commits_);
    sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }

  sqlite3* db_;
  std::mutex commits_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;     // last: started once everything above exists
};

namespace {

sqlite3* open_connection(const std::string& path, std::string& error) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    error = "cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_busy_timeout(db, 5000);
  return db;
}

}  // namespace

std::unique_ptr<SqliteStore> SqliteStore::open(const std::string& data_dir, std::string& error) {
  const std::string path = data_dir + "/chat.db";
  sqlite3* db = open_connection(path, error);
  if (!db) return nullptr;
  auto database = std::make_unique<Database>(db);
  if (!database->exec(kPragmas)) {
    error = "cannot initialise " + path + ": " + sqlite3_errmsg(db);
    return nullptr;
  }
  if (std::string why; !migrate_schema(db, why)) {
    error = path + ": " + why;
    return nullptr;
  }
  sqlite3* checkpoint_db = open_connection(path, error);
  if (!checkpoint_db) return nullptr;
  // A connection learns that the database is in WAL mode only by reading it; until then a
  // checkpoint on it does nothing at all (and says nothing), and the WAL would grow forever.
  if (sqlite3_exec(checkpoint_db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) != SQLITE_OK) {
    error = "cannot read " + path + ": " + sqlite3_errmsg(checkpoint_db);
    sqlite3_close(checkpoint_db);
    return nullptr;
  }
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(std::move(database), std::make_unique<Checkpointer>(checkpoint_db)));
}

SqliteStore::SqliteStore(std::unique_ptr<Database> database, std::unique_ptr<Checkpointer> checkpointer)
    : database_(std::move(database)), checkpointer_(std::move(checkpointer)) {}

// Whoever made the requests may be gone by now: their lines are stored, their callbacks not run.
SqliteStore::~SqliteStore() {
  for (auto& job : queue_) job.done = [](bool) {};
  std::lock_guard<std::mutex> wait_for_the_checkpointer(checkpointer_->commits());
  commit_queued();
}

bool SqliteStore::load(StoredState& state) {
  if (!load_rooms(state)) return false;
  Database& db = *database_;
  sqlite3_stmt* tokens = db.statement("SELECT id, secret_hash, user, last_used_ms, account, created_ms FROM tokens");
  if (!tokens) return false;
  int result;
  while ((result = sqlite3_step(tokens)) == SQLITE_ROW) {
    state.tokens.push_back(StoredToken{Database::column_text(tokens, 0), Database::column_text(tokens, 1),
                                       Database::column_text(tokens, 2), sqlite3_column_int64(tokens, 3),
                                       sqlite3_column_int64(tokens, 4), sqlite3_column_int64(tokens, 5)});
  }
  sqlite3_reset(tokens);
  return result == SQLITE_DONE && load_accounts(state);
}

void SqliteStore::append_line(const std::string& room, const ChatLine& line, Done done) {
  submit(Job{[room, line](Database& db) {
               const sqlite3_int64 row = db.room_row(room);
               sqlite3_stmt* insert = db.statement("INSERT INTO lines (room, id, ts_ms, user, text) VALUES (?, ?, ?, ?, ?)");
               if (row == 0 || !insert) return false;
               sqlite3_bind_int64(insert, 1, row);
               sqlite3_bind_int64(insert, 2, line.id);
               sqlite3_bind_int64(insert, 3, line.ts);
               Database::bind_text(insert, 4, line.user);
               Database::bind_text(insert, 5, line.text);
               return db.step_done(insert);
             },
             std::move(done)});
}

void SqliteStore::read_lines(const LineQuery& query, PageDone done) {
  auto page = std::make_shared<LinePage>();
  auto read = [query, page](Database& db) {
    const bool backwards = query.after_id == 0;
    sqlite3_stmt* select = db.statement(
        backwards ? "SELECT id, ts_ms, user, text FROM lines WHERE room = ? AND id > ? AND id < ? ORDER BY id DESC LIMIT ?"
                  : "SELECT id, ts_ms, user, text FROM lines WHERE room = ? AND id > ? AND id < ? ORDER BY id ASC LIMIT ?");
    const sqlite3_int64 row = db.room_row(query.room);
    if (!select || row == 0) return false;
    sqlite3_bind_int64(select, 1, row);
    sqlite3_bind_int64(select, 2, query.after_id);
    sqlite3_bind_int64(select, 3, query.before_id == 0 ? LLONG_MAX : query.before_id);
    sqlite3_bind_int(select, 4, query.limit + 1);  // one extra row tells whether there is more
    int result;
    while ((result = sqlite3_step(select)) == SQLITE_ROW) {
      page->lines.push_back(ChatLine{sqlite3_column_int64(select, 0), sqlite3_column_int64(select, 1),
                                     Database::column_text(select, 2), Database::column_text(select, 3)});
    }
    page->more = page->lines.size() > static_cast<std::size_t>(query.limit);
    if (page->more) page->lines.pop_back();
    if (backwards) std::reverse(page->lines.begin(), page->lines.end());
    return result == SQLITE_DONE;
  };
  submit(Job{std::move(read), [page, done = std::move(done)](bool ok) {
               page->ok = ok;
               done(std::move(*page));
             }});
}

void SqliteStore::save_token(const StoredToken& token, Done done) {
  submit(Job{[token](Database& db) {
               sqlite3_stmt* upsert = db.statement(
                   "INSERT OR REPLACE INTO tokens (id, secret_hash, user, last_used_ms, account, created_ms) "
                   "VALUES (?, ?, ?, ?, ?, ?)");
               if (!upsert) return false;
               Database::bind_text(upsert, 1, token.id);
               Database::bind_text(upsert, 2, token.secret_hash);
               Database::bind_text(upsert, 3, token.user);
               sqlite3_bind_int64(upsert, 4, token.last_used_ms);
               sqlite3_bind_int64(upsert, 5, token.account);
               sqlite3_bind_int64(upsert, 6, token.created_ms);
               return db.step_done(upsert);
             },
             std::move(done)});
}

// The core sends at most a sweep's worth (1 000) at once: a bounded part of one group commit.
void SqliteStore::delete_tokens(const std::vector<std::string>& ids, Done done) {
  submit(Job{[ids](Database& db) {
               return db.atomically([&] {
                 for (const auto& id : ids) {
                   sqlite3_stmt* remove = db.statement("DELETE FROM tokens WHERE id = ?");
                   if (!remove) return false;
                   Database::bind_text(remove, 1, id);
                   if (!db.step_done(remove)) return false;
                 }
                 return true;
               });
             },
             std::move(done)});
}

void SqliteStore::submit(Job job) { queue_.push_back(std::move(job)); }

void SqliteStore::commit() {
  std::unique_lock<std::mutex> allowed(checkpointer_->commits(), std::try_to_lock);
  if (allowed) commit_queued();  // else the checkpointer is finishing a round: next iteration
}

void SqliteStore::commit_queued() {
  std::vector<Job> batch;
  while (!queue_.empty()) {  // completions may queue more (a history read after a token is saved)
    batch.swap(queue_);
    commit_batch(batch);
    batch.clear();
  }
}

// A write error inside a job (a full or failing disk, when the batch spills out of SQLite's page
// cache) can make SQLite roll the whole transaction back by itself. The jobs after it must then
// not run: outside any transaction each would be committed on its own, while reported failed with
// the batch (a line refused with store_unavailable would still be in the history).
void SqliteStore::commit_batch(std::vector<Job>& batch) {
  Database& db = *database_;
  const auto started = std::chrono::steady_clock::now();
  const sqlite3_int64 changes_before = db.total_changes();
  // Prepared once and cached, as every statement here: sqlite3_exec would parse them every batch.
  sqlite3_stmt* begin = db.statement("BEGIN");
  const bool began = begin && db.step_done(begin);
  std::vector<bool> ran(batch.size(), false);
  for (std::size_t i = 0; began && db.in_transaction() && i < batch.size(); ++i) ran[i] = batch[i].run(db);
  sqlite3_stmt* commit = began && db.in_transaction() ? db.statement("COMMIT") : nullptr;
  const bool committed = commit && db.step_done(commit);
  if (db.in_transaction()) db.exec("ROLLBACK");  // a failed COMMIT may leave it open (SQLITE_FULL, BUSY)
  if (!committed || db.total_changes() != changes_before) last_write_failed_ = !committed;
  stats_.commit_seconds.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  ++(committed ? stats_.commits : stats_.failed_commits);
  stats_.requests += batch.size();
  if (!committed) log_line(LogLevel::error, "store: a batch of %zu requests failed, none of it is stored", batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(ran[i] && committed);
}

}  // namespace chat
