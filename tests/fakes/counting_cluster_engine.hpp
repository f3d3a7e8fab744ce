// The one-node engine on the memory store, saying it is a cluster: the core's cluster paths
// (names claimed through the engine, typing announced to other nodes) against real storage.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "fakes/memory_store.hpp"
#include "server/ports/engine.hpp"

namespace chat {

// Counts the name calls and the accounts looked up, and records the typing announced;
// claims are answered `claimed`, later, as a real engine's would be.
class CountingClusterEngine final : public Engine {
 public:
  CountingClusterEngine(Engine& inner, MemoryStore& store) : inner_(inner), store_(store) {}
  bool load(StoredState& state) override { return inner_.load(state); }
  void set_inbox(EngineInbox& inbox) override {
    inbox_ = &inbox;
    inner_.set_inbox(inbox);
  }
  void publish(const std::string& room, std::int64_t ts, const std::string& user, const std::string& text,
               PublishDone done) override {
    inner_.publish(room, ts, user, text, std::move(done));
  }
  void read_lines(const LineQuery& query, PageDone done) override { inner_.read_lines(query, std::move(done)); }
  void create_room(const StoredRoom& room, RoomDone done) override { inner_.create_room(room, std::move(done)); }
  void delete_room(const std::string& name, RoomDone done) override { inner_.delete_room(name, std::move(done)); }
  void save_token(const StoredToken& token, Done done) override { inner_.save_token(token, std::move(done)); }
  void delete_tokens(const std::vector<std::string>& ids, Done done) override { inner_.delete_tokens(ids, std::move(done)); }
  void create_account(const StoredAccount& account, SessionId session, AccountDone done) override {
    inner_.create_account(account, session, std::move(done));
  }
  void read_account(AccountId id, AccountRead done) override { inner_.read_account(id, std::move(done)); }
  void set_password(AccountId id, const std::string& hash, std::int64_t changed_ms, const std::string& keep,
                    Done done) override {
    inner_.set_password(id, hash, changed_ms, keep, std::move(done));
  }
  void add_room_member(const std::string& room, AccountId account, RoomDone done) override {
    inner_.add_room_member(room, account, std::move(done));
  }
  void remove_room_member(const std::string& room, AccountId account, RoomDone done) override {
    inner_.remove_room_member(room, account, std::move(done));
  }
  void read_markers(AccountId account, MarkersRead done) override {
    if (!hold_marker_reads) return inner_.read_markers(account, std::move(done));
    held_marker_reads_.push_back([this, account, done = std::move(done)] { inner_.read_markers(account, done); });
  }
  // The marker reads held back (hold_marker_reads) go to the store now.
  void release_marker_reads() {
    for (auto& read : std::exchange(held_marker_reads_, {})) read();
  }
  void raise_read_marker(AccountId account, const std::string& room, std::int64_t id, Done done) override {
    inner_.raise_read_marker(account, room, id, std::move(done));
  }
  void raise_mentions(const std::vector<AccountId>& accounts, const std::string& room, std::int64_t id,
                      Done done) override {
    inner_.raise_mentions(accounts, room, id, std::move(done));
  }
  std::size_t pending() const override { return inner_.pending(); }
  bool cluster() const override { return true; }
  void claim_name(const NameKeys& keys, SessionId, const std::string&, ClaimDone done) override {
    claimed.push_back(keys.identity);
    store_.read_lines(LineQuery{"general", 0, 0, 1}, [done](LinePage) { done(ClaimOutcome::claimed); });  // later
  }
  void reserve_name(const NameKeys& keys, const std::string&, std::int64_t) override { reserved.push_back(keys.identity); }
  void release_name(const NameKeys& keys, SessionId, const std::string&) override { released.push_back(keys.identity); }
  void announce_typing(const std::string& room, const std::string& user) override { typing.emplace_back(room, user); }
  // As the Redis engine's: the store's account with that key, reported to the inbox first.
  void find_account(const std::string& identity_key, AccountRead done) override {
    ++accounts_looked_up;
    AccountId id = 0;
    for (const auto& [stored_id, account] : store_.accounts()) {
      if (account.identity_key == identity_key) id = stored_id;
    }
    if (id == 0) return store_.read_lines(LineQuery{"general", 0, 0, 1}, [done](LinePage) { done(true, std::nullopt); });
    inner_.read_account(id, [this, done](bool ok, std::optional<StoredAccount> account) {
      if (ok && account) {
        StoredAccount known = *account;
        known.password_hash.clear();
        inbox_->account_created(known);
      }
      done(ok, std::move(account));
    });
  }

  std::vector<std::string> claimed, reserved, released;
  std::vector<std::pair<std::string, std::string>> typing;  // (room, user) announced
  bool hold_marker_reads = false;  // read_markers waits for release_marker_reads
  int accounts_looked_up = 0;

 private:
  Engine& inner_;
  MemoryStore& store_;
  EngineInbox* inbox_ = nullptr;
  std::vector<std::function<void()>> held_marker_reads_;
};

}  // namespace chat
