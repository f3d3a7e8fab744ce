// The embedded Store: SQLite in WAL mode. Requests queue up during a loop iteration and are
// committed together, as one transaction, when the edge calls commit() at the end of the
// iteration (group commit): a burst of lines costs one commit, not one per line, and completions
// run right after it on the loop thread, with no thread hand-off on the hot path. A commit only
// writes to the WAL (no fsync); the fsyncs of checkpoints happen on a checkpointer thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/ports/store.hpp"
#include "server/store_stats.hpp"

struct sqlite3;

namespace chat {

class SqliteStore final : public Store {
 public:
  // Opens (creating if needed) DIR/chat.db. Returns nullptr and sets `error` on failure.
  static std::unique_ptr<SqliteStore> open(const std::string& data_dir, std::string& error);
  // Commits whatever is still queued, without running its completions: a clean shutdown loses no
  // line even if the core is already gone.
  ~SqliteStore() override;

  // On the loop thread, once per iteration: commits the queued requests as one transaction, then
  // runs their completions in request order (and again for requests those completions made).
  // Never waits: while the checkpointer needs the WAL still, the requests wait for a later call.
  void commit();

  bool load(StoredState& state) override;
  void create_room(const StoredRoom& room, Done done) override;
  void delete_room(const std::string& name, Done done) override;
  void append_line(const std::string& room, const ChatLine& line, Done done) override;
  void read_lines(const LineQuery& query, PageDone done) override;
  void save_token(const StoredToken& token, Done done) override;
  void delete_tokens(const std::vector<std::string>& ids, Done done) override;
  void create_account(const StoredAccount& account, AccountDone done) override;
  void read_account(AccountId id, AccountRead done) override;
  void add_room_member(const std::string& room, AccountId account, Done done) override;
  void remove_room_member(const std::string& room, AccountId account, Done done) override;
  void read_markers(AccountId account, MarkersRead done) override;
  void raise_read_marker(AccountId account, const std::string& room, std::int64_t id, Done done) override;
  void raise_mentions(const std::vector<AccountId>& accounts, const std::string& room, std::int64_t id,
                      Done done) override;
  void set_password(AccountId id, const std::string& password_hash, std::int64_t changed_ms,
                    const std::string& keep_token_id, Done done) override;
  std::size_t pending() const override { return queue_.size(); }
  // The last batch that wrote failed to commit (a full or failing disk): readiness says so until a
  // write is committed again. Batches of reads alone (which commit on a full disk) change nothing.
  bool last_write_failed() const { return last_write_failed_; }
  const StoreStats& stats() const { return stats_; }

 private:
  class Database;
  class Checkpointer;
  struct Job {
    std::function<bool(Database&)> run;  // inside the batch's transaction
    Done done;                           // ok = run succeeded and the batch committed
  };

  SqliteStore(std::unique_ptr<Database> database, std::unique_ptr<Checkpointer> checkpointer);
  bool load_rooms(StoredState& state);     // sqlite_rooms.cpp
  bool load_accounts(StoredState& state);  // sqlite_accounts.cpp
  void submit(Job job);
  void commit_queued();
  void commit_batch(std::vector<Job>& batch);

  std::unique_ptr<Database> database_;
  std::unique_ptr<Checkpointer> checkpointer_;
  std::vector<Job> queue_;
  bool last_write_failed_ = false;
  StoreStats stats_;
};

}  // namespace chat
