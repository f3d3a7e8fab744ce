// The embedded Store: SQLite in WAL mode, written by one worker thread that commits whatever has
// queued up as one transaction (group commit), so the event loop never waits on the disk and a
// burst of lines costs one commit, not one per line.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/ports/store.hpp"

struct sqlite3;

namespace chat {

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) DIR/chat.db. Returns nullptr and sets `error` on failure.
  static std::unique_ptr<SqliteStore> open(const std::string& data_dir, std::string& error);
  // Finishes every queued request, then stops the worker: a clean shutdown loses no line.
  ~SqliteStore() override;

  // Called on the worker thread when completions are ready; it must only wake the loop.
  void set_wake(std::function<void()> wake) { wake_ = std::move(wake); }
  // On the loop thread: runs the ready completions, in request order.
  void run_completions();

  bool load(StoredState& state) override;
  void create_room(const std::string& name, std::int64_t created_ms, Done done) override;
  void append_line(const std::string& room, const ChatLine& line, Done done) override;
  void read_lines(const LineQuery& query, PageDone done) override;
  void save_token(const StoredToken& token, Done done) override;
  std::size_t pending() const override { return pending_; }

 private:
  class Database;
  struct Job {
    std::function<bool(Database&)> run;  // worker thread, inside the batch's transaction
    Done done;                           // loop thread: ok = run succeeded and the batch committed
  };

  explicit SqliteStore(std::unique_ptr<Database> database);
  void submit(Job job);
  void work();
  void commit_batch(std::vector<Job>& batch);

  std::unique_ptr<Database> database_;
  std::function<void()> wake_;
  std::size_t pending_ = 0;  // loop thread only

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::vector<Job> queue_;                                  // guarded by mutex_
  std::vector<std::pair<Done, bool>> completions_;          // guarded by mutex_
  bool stopping_ = false;                                   // guarded by mutex_
  std::thread worker_;
};

}  // namespace chat
