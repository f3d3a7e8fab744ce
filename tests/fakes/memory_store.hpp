// A Store kept in memory whose completions run only when the test says so (run_completions), so
// tests can hold a request "in flight" and check what the core does meanwhile. It can also be told
// to fail, like a disk that turned read-only.
#pragma once

#include <algorithm>
#include <deque>
#include <functional>
#include <map>

#include "fakes/account_table.hpp"
#include "server/ports/store.hpp"

namespace chat {

class MemoryStore final : public Store {
 public:
  bool load(StoredState& state) override {
    state.rooms.clear();
    for (StoredRoom room : room_order_) {
      const auto& lines = lines_[room.name];
      room.last_line_id = lines.empty() ? 0 : lines.back().id;
      state.rooms.push_back(room);
    }
    state.tokens.clear();
    for (const auto& [id, token] : tokens_) state.tokens.push_back(token);
    state.accounts.clear();
    for (auto [id, account] : accounts_.all()) {
      account.password_hash.clear();  // never loaded: a login reads it when it needs it
      state.accounts.push_back(account);
    }
    return true;
  }
  void create_room(const StoredRoom& room, Done done) override {
    later([this, room, done] {
      if (!failing) room_order_.push_back(room);
      done(!failing);
    });
  }
  void delete_room(const std::string& name, Done done) override {
    later([this, name, done] {
      const auto found = std::find_if(room_order_.begin(), room_order_.end(),
                                      [&](const StoredRoom& room) { return room.name == name; });
      const bool ok = !failing && found != room_order_.end();
      if (ok) room_order_.erase(found), lines_.erase(name), erase_markers_of(name);
      done(ok);
    });
  }
  void append_line(const std::string& room, const ChatLine& line, Done done) override {
    later([this, room, line, done] {
      if (!failing) lines_[room].push_back(line);
      done(!failing);
    });
  }
  void read_lines(const LineQuery& query, PageDone done) override {
    // The read's result is what is stored when it runs, as in a real store.
    later([this, query, done] { done(read_now(query)); });
  }
  void save_token(const StoredToken& token, Done done) override {
    later([this, token, done] {
      if (!failing) tokens_[token.id] = token;
      done(!failing);
    });
  }
  void delete_tokens(const std::vector<std::string>& ids, Done done) override {
    later([this, ids, done] {
      if (!failing) {
        for (const auto& id : ids) tokens_.erase(id);
      }
      done(!failing);
    });
  }
  void create_account(const StoredAccount& account, AccountDone done) override {
    later([this, account, done] {
      if (failing) return done(AccountOutcome::failed, 0);
      const auto [outcome, id] = accounts_.create(account);
      done(outcome, id);
    });
  }
  void read_account(AccountId id, AccountRead done) override {
    later([this, id, done] { failing ? done(false, std::nullopt) : done(true, accounts_.read(id)); });
  }
  void set_password(AccountId id, const std::string& password_hash, std::int64_t changed_ms,
                    const std::string& keep_token_id, Done done) override {
    later([this, id, password_hash, changed_ms, keep_token_id, done] {
      if (failing || !accounts_.set_password(id, password_hash, changed_ms)) return done(false);
      for (auto it = tokens_.begin(); it != tokens_.end();) {
        const bool ends = it->second.account == id && it->first != keep_token_id;
        it = ends ? tokens_.erase(it) : std::next(it);
      }
      done(true);
    });
  }
  void add_room_member(const std::string& room, AccountId account, Done done) override {
    later([this, room, account, done] {
      StoredRoom* stored = failing ? nullptr : find_room(room);
      if (stored && std::count(stored->members.begin(), stored->members.end(), account) == 0) {
        stored->members.push_back(account);
      }
      done(stored != nullptr);
    });
  }
  void remove_room_member(const std::string& room, AccountId account, Done done) override {
    later([this, room, account, done] {
      StoredRoom* stored = failing ? nullptr : find_room(room);
      if (stored) stored->members.erase(std::remove(stored->members.begin(), stored->members.end(), account),
                                        stored->members.end());
      done(stored != nullptr);
    });
  }
  void read_markers(AccountId account, MarkersRead done) override {
    later([this, account, done] {
      std::vector<ReadMarker> found;
      for (const auto& [key, marker] : markers_) {
        if (key.first == account) found.push_back(marker);
      }
      failing ? done(false, {}) : done(true, std::move(found));
    });
  }
  void raise_read_marker(AccountId account, const std::string& room, std::int64_t id, Done done) override {
    later([this, account, room, id, done] {
      if (!failing) raise(marker(account, room).last_read_id, id);
      done(!failing);
    });
  }
  void raise_mentions(const std::vector<AccountId>& accounts, const std::string& room, std::int64_t id,
                      Done done) override {
    later([this, accounts, room, id, done] {
      if (!failing) {
        for (const AccountId account : accounts) raise(marker(account, room).last_mention_id, id);
      }
      done(!failing);
    });
  }
  std::size_t pending() const override { return queue_.size(); }
  const std::map<std::string, StoredToken>& tokens() const { return tokens_; }
  const std::map<std::pair<AccountId, std::string>, ReadMarker>& markers() const { return markers_; }
  const std::map<AccountId, StoredAccount>& accounts() const { return accounts_.all(); }
  const std::vector<StoredRoom>& rooms() const { return room_order_; }  // general first

  // Runs the queued operations in order, including any queued while running.
  void run_completions() {
    while (!queue_.empty()) {
      auto next = std::move(queue_.front());
      queue_.pop_front();
      next();
    }
  }

  const std::vector<ChatLine>& lines(const std::string& room) { return lines_[room]; }
  bool failing = false;

 private:
  StoredRoom* find_room(const std::string& name) {
    for (StoredRoom& room : room_order_) {
      if (room.name == name) return &room;
    }
    return nullptr;
  }
  void later(std::function<void()> operation) { queue_.push_back(std::move(operation)); }
  ReadMarker& marker(AccountId account, const std::string& room) {
    ReadMarker& found = markers_[{account, room}];
    found.room = room;
    return found;
  }
  static void raise(std::int64_t& stored, std::int64_t id) { stored = std::max(stored, id); }
  void erase_markers_of(const std::string& room) {
    for (auto it = markers_.begin(); it != markers_.end();) it = it->first.second == room ? markers_.erase(it) : std::next(it);
  }

  LinePage read_now(const LineQuery& query) {
    LinePage page;
    if (failing) {
      page.ok = false;
      return page;
    }
    std::vector<ChatLine> matching;
    for (const auto& line : lines_[query.room]) {
      if (line.id > query.after_id && (query.before_id == 0 || line.id < query.before_id)) matching.push_back(line);
    }
    const std::size_t limit = static_cast<std::size_t>(query.limit);
    page.more = matching.size() > limit;
    if (!page.more) {
      page.lines = matching;
    } else if (query.after_id == 0) {
      page.lines.assign(matching.end() - limit, matching.end());
    } else {
      page.lines.assign(matching.begin(), matching.begin() + limit);
    }
    return page;
  }

  std::vector<StoredRoom> room_order_{StoredRoom{"general", 0, "", 0, "", false, 0, {}}};
  std::map<std::string, std::vector<ChatLine>> lines_;
  std::map<std::string, StoredToken> tokens_;
  std::map<std::pair<AccountId, std::string>, ReadMarker> markers_;
  AccountTable accounts_;
  std::deque<std::function<void()>> queue_;
};

}  // namespace chat
