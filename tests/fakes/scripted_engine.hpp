// An Engine the test drives step by step, to play a cluster's worst moments against the core:
// publishes answered before or after their lines reach the inbox, lines delivered late, twice,
// out of order or never (Redis pub/sub is at most once), lines from "other nodes", a room whose
// numbering restarts (new epoch). Its stored lines are the truth that history reads return.
#pragma once

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "fakes/account_table.hpp"
#include "server/ports/engine.hpp"

namespace chat {

class ScriptedEngine final : public Engine {
 public:
  struct Published {
    std::string room;
    std::string epoch;
    ChatLine line;
  };

  bool load(StoredState& state) override {
    state.rooms.clear();
    for (const auto& [name, room] : rooms_) state.rooms.push_back(StoredRoom{name, last_id(name), "", 0, room.epoch});
    return true;
  }
  void set_inbox(EngineInbox& inbox) override { inbox_ = &inbox; }

  // Stored at once (the truth for reads); the answer and the inbox copy wait for the test.
  void publish(const std::string& room, std::int64_t ts, const std::string& user, const std::string& text,
               PublishDone done) override {
    Room& stored = rooms_[room];
    const ChatLine line{last_id(room) + 1, ts, user, text};
    if (refuse_publishes) {
      answers_.push_back([done] { done(PublishResult{PublishOutcome::refused, "", 0, "refused by the test"}); });
      return;
    }
    stored.lines.push_back(line);
    outbox_.push_back(Published{room, stored.epoch, line});
    answers_.push_back([done, epoch = stored.epoch, id = line.id] { done(PublishResult{PublishOutcome::stored, epoch, id, ""}); });
  }
  void read_lines(const LineQuery& query, PageDone done) override {
    reads_.push_back([this, query, done] { done(read_now(query)); });
  }
  void create_room(const StoredRoom& room, RoomDone done) override {
    answers_.push_back([this, room, done] {
      rooms_[room.name].epoch = "r" + room.name;
      StoredRoom created = room;
      created.epoch = rooms_[room.name].epoch;
      inbox_->room_created(created);
      done(RoomOutcome::done);
    });
  }
  void delete_room(const std::string& name, RoomDone done) override {
    answers_.push_back([this, name, done] {
      rooms_.erase(name);
      inbox_->room_deleted(name);
      done(RoomOutcome::done);
    });
  }
  void save_token(const StoredToken&, Done done) override { answers_.push_back([done] { done(true); }); }
  void delete_tokens(const std::vector<std::string>&, Done done) override { answers_.push_back([done] { done(true); }); }
  void create_account(const StoredAccount& account, SessionId, AccountDone done) override {
    answers_.push_back([this, account, done] {
      const auto [outcome, id] = accounts_.create(account);
      done(outcome, id);
    });
  }
  void read_account(AccountId id, AccountRead done) override {
    answers_.push_back([this, id, done] { done(true, accounts_.read(id)); });
  }
  void set_password(AccountId id, const std::string& password_hash, std::int64_t changed_ms, const std::string&,
                    Done done) override {
    answers_.push_back([this, id, password_hash, changed_ms, done] { done(accounts_.set_password(id, password_hash, changed_ms)); });
  }
  void add_room_member(const std::string& room, AccountId account, RoomDone done) override {
    answers_.push_back([this, room, account, done] {
      if (rooms_.count(room) == 0) return done(RoomOutcome::conflict);
      inbox_->room_member_added(room, account);
      done(RoomOutcome::done);
    });
  }
  void remove_room_member(const std::string& room, AccountId account, RoomDone done) override {
    answers_.push_back([this, room, account, done] {
      if (rooms_.count(room) == 0) return done(RoomOutcome::conflict);
      inbox_->room_member_removed(room, account);
      done(RoomOutcome::done);
    });
  }
  void read_markers(AccountId account, MarkersRead done) override {
    answers_.push_back([this, account, done] {
      std::vector<ReadMarker> found;
      for (const auto& [key, marker] : markers_) {
        if (key.first == account) found.push_back(marker);
      }
      done(true, std::move(found));
    });
  }
  void raise_read_marker(AccountId account, const std::string& room, std::int64_t id, Done done) override {
    answers_.push_back([this, account, room, id, done] {
      ReadMarker& marker = markers_[{account, room}];
      marker.room = room;
      marker.last_read_id = std::max(marker.last_read_id, id);
      inbox_->read_marker_raised(account, room, id);
      done(true);
    });
  }
  void raise_mentions(const std::vector<AccountId>& accounts, const std::string& room, std::int64_t id,
                      Done done) override {
    answers_.push_back([this, accounts, room, id, done] {
      for (const AccountId account : accounts) {
        ReadMarker& marker = markers_[{account, room}];
        marker.room = room;
        marker.last_mention_id = std::max(marker.last_mention_id, id);
      }
      done(true);
    });
  }
  std::size_t pending() const override { return answers_.size() + reads_.size(); }
  const std::map<std::pair<AccountId, std::string>, ReadMarker>& markers() const { return markers_; }

  // ---- What the test does -------------------------------------------------------------------

  // Runs the answers to every request so far (publish results, room changes, tokens), in order.
  void answer() { run_all(answers_); }
  // Runs the history reads asked so far, against what is stored when they run.
  void run_reads() { run_all(reads_); }
  // Hands the inbox the published lines waiting to be delivered, in the order given by `order`
  // (indexes into outbox(); missing ones are lost, repeated ones delivered twice).
  void deliver(const std::vector<std::size_t>& order) {
    const auto waiting = std::exchange(outbox_, {});
    for (const std::size_t index : order) {
      const Published& p = waiting.at(index);
      inbox_->line_published(p.room, p.epoch, p.line);
    }
  }
  void deliver_all() {
    std::vector<std::size_t> order(outbox_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    deliver(order);
  }
  // A line written by another node: stored, and (unless lost) delivered through the inbox.
  ChatLine publish_from_elsewhere(const std::string& room, const std::string& user, const std::string& text) {
    Room& stored = rooms_[room];
    const ChatLine line{last_id(room) + 1, 5, user, text};
    stored.lines.push_back(line);
    outbox_.push_back(Published{room, stored.epoch, line});
    return line;
  }
  // The engine lost the room's counter and lines (e.g. Redis without persistence): it numbers anew.
  void restart_numbering(const std::string& room, const std::string& epoch) {
    rooms_[room].epoch = epoch;
    rooms_[room].lines.clear();
  }
  void resubscribed(const std::string& room) { inbox_->room_live(room); }

  const std::vector<Published>& outbox() const { return outbox_; }
  bool refuse_publishes = false;

 private:
  struct Room {
    std::string epoch = "e1";
    std::vector<ChatLine> lines;
  };

  std::int64_t last_id(const std::string& room) {
    const auto& lines = rooms_[room].lines;
    return lines.empty() ? 0 : lines.back().id;
  }
  static void run_all(std::deque<std::function<void()>>& queue) {
    while (!queue.empty()) {
      auto next = std::move(queue.front());
      queue.pop_front();
      next();
    }
  }
  LinePage read_now(const LineQuery& query) {
    LinePage page;
    page.epoch = rooms_[query.room].epoch;
    std::vector<ChatLine> matching;
    for (const auto& line : rooms_[query.room].lines) {
      if (line.id > query.after_id && (query.before_id == 0 || line.id < query.before_id)) matching.push_back(line);
    }
    const auto limit = static_cast<std::size_t>(query.limit);
    page.more = matching.size() > limit;
    if (!page.more) {
      page.lines = matching;
    } else if (query.after_id == 0) {
      page.lines.assign(matching.end() - static_cast<std::ptrdiff_t>(limit), matching.end());
    } else {
      page.lines.assign(matching.begin(), matching.begin() + static_cast<std::ptrdiff_t>(limit));
    }
    return page;
  }

  EngineInbox* inbox_ = nullptr;
  std::map<std::string, Room> rooms_{{"general", Room{}}};
  std::vector<Published> outbox_;
  AccountTable accounts_;
  std::map<std::pair<AccountId, std::string>, ReadMarker> markers_;
  std::deque<std::function<void()>> answers_;
  std::deque<std::function<void()>> reads_;
};

}  // namespace chat
