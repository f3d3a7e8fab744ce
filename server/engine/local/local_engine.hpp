// LocalEngine: the single-node engine. It numbers each room's lines itself and keeps them in a
// Store (SQLite in the server, memory in tests); every line, room creation and deletion it stores
// goes straight back to the core's inbox, from the store's in-order completions. One node has one
// writer, so the inbox never misses a line; a failed write is reported as a void id, not a hole.
#pragma once

#include <string>
#include <unordered_map>

#include "server/ports/engine.hpp"
#include "server/ports/store.hpp"

namespace chat {

class LocalEngine final : public Engine {
 public:
  explicit LocalEngine(Store& store) : store_(store) {}

  bool load(StoredState& state) override;
  void set_inbox(EngineInbox& inbox) override { inbox_ = &inbox; }
  void publish(const std::string& room, std::int64_t ts, const std::string& user, const std::string& text,
               PublishDone done) override;
  void read_lines(const LineQuery& query, PageDone done) override;
  void create_room(const StoredRoom& room, RoomDone done) override;
  void delete_room(const std::string& name, RoomDone done) override;
  void save_token(const StoredToken& token, Done done) override { store_.save_token(token, std::move(done)); }
  void delete_tokens(const std::vector<std::string>& ids, Done done) override {
    store_.delete_tokens(ids, std::move(done));
  }
  // One node: the store's UNIQUE keys are the whole check (names held by sessions are the core's).
  void create_account(const StoredAccount& account, SessionId, AccountDone done) override {
    store_.create_account(account, std::move(done));
  }
  void read_account(AccountId id, AccountRead done) override { store_.read_account(id, std::move(done)); }
  void set_password(AccountId id, const std::string& password_hash, std::int64_t changed_ms,
                    const std::string& keep_token_id, Done done) override {
    store_.set_password(id, password_hash, changed_ms, keep_token_id, std::move(done));
  }
  void add_room_member(const std::string& room, AccountId account, RoomDone done) override;
  void remove_room_member(const std::string& room, AccountId account, RoomDone done) override;
  void read_markers(AccountId account, MarkersRead done) override;
  void raise_read_marker(AccountId account, const std::string& room, std::int64_t id, Done done) override;
  void raise_mentions(const std::vector<AccountId>& accounts, const std::string& room, std::int64_t id,
                      Done done) override;
  std::size_t pending() const override { return store_.pending(); }

  // A room's epoch: its creation time, so a room deleted and created again numbers anew.
  static std::string epoch_of(const StoredRoom& room);

 private:
  struct Numbering {
    std::string epoch;
    std::int64_t last_id = 0;
  };

  Store& store_;
  EngineInbox* inbox_ = nullptr;
  std::unordered_map<std::string, Numbering> rooms_;
};

}  // namespace chat
