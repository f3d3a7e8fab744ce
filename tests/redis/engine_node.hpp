// EngineNode: one cluster node's RedisEngine on a test's loop, with an inbox that records what the
// engine reported, and blocking-style helpers that run the loop until a request's answer came.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "server/engine/redis/redis_engine.hpp"
#include "test_loop.hpp"

namespace chat_redis_test {

class RecordingInbox final : public chat::EngineInbox {
 public:
  void line_published(const std::string&, const std::string&, const chat::ChatLine&) override {}
  void line_void(const std::string&, const std::string&, std::int64_t) override {}
  void room_live(const std::string&) override {}
  void room_created(const chat::StoredRoom& room) override { rooms_created.push_back(room); }
  void room_deleted(const std::string& room) override { rooms_deleted.push_back(room); }
  void token_saved(const chat::StoredToken& token) override { tokens_saved.push_back(token); }
  void token_deleted(const std::string& id) override { tokens_deleted.push_back(id); }
  void member_joined(const std::string& room, const std::string& user, const std::string& node) override {
    presence.push_back({room, user, node, true});
  }
  void member_left(const std::string& room, const std::string& user, const std::string& node) override {
    presence.push_back({room, user, node, false});
  }
  void account_created(const chat::StoredAccount& account) override { accounts.push_back(account); }
  void room_member_added(const std::string& room, chat::AccountId account) override {
    member_changes.push_back({room, account, true});
  }
  void room_member_removed(const std::string& room, chat::AccountId account) override {
    member_changes.push_back({room, account, false});
  }
  void read_marker_raised(chat::AccountId account, const std::string& room, std::int64_t id) override {
    markers_raised.push_back({account, room, id});
  }
  void typing(const std::string& room, const std::string& user, const std::string& node) override {
    typings.push_back({room, user, node});
  }
  struct MarkerRaised {
    chat::AccountId account;
    std::string room;
    std::int64_t id;
  };
  struct TypingHeard {
    std::string room;
    std::string user;
    std::string node;
  };
  std::vector<MarkerRaised> markers_raised;
  std::vector<TypingHeard> typings;
  struct PresenceHeard {
    std::string room;
    std::string user;
    std::string node;
    bool joined;
  };
  std::vector<PresenceHeard> presence;  // other nodes' members joining and leaving, in order

  struct MemberChange {
    std::string room;
    chat::AccountId account;
    bool added;
  };
  // How many times the inbox heard this change.
  int heard(const std::string& room, chat::AccountId account, bool added) const {
    int times = 0;
    for (const auto& change : member_changes) {
      times += change.room == room && change.account == account && change.added == added;
    }
    return times;
  }
  const chat::StoredRoom* created(const std::string& name) const {
    for (const auto& room : rooms_created) {
      if (room.name == name) return &room;
    }
    return nullptr;
  }

  const chat::StoredAccount* account(chat::AccountId id) const {
    for (const auto& account : accounts) {
      if (account.id == id) return &account;
    }
    return nullptr;
  }
  const chat::StoredToken* saved(const std::string& id) const {
    for (const auto& token : tokens_saved) {
      if (token.id == id) return &token;
    }
    return nullptr;
  }
  bool deleted(const std::string& id) const {
    for (const auto& deleted : tokens_deleted) {
      if (deleted == id) return true;
    }
    return false;
  }

  std::vector<chat::StoredToken> tokens_saved;
  std::vector<std::string> tokens_deleted;
  std::vector<chat::StoredAccount> accounts;
  std::vector<chat::StoredRoom> rooms_created;
  std::vector<std::string> rooms_deleted;
  std::vector<MemberChange> member_changes;
};

struct EngineNode {
  EngineNode(TestLoop& loop, const chat::redis::RedisUrl& url) : loop(loop), engine(url, chat::redis::RedisKeys{}) {
    loaded = engine.load(state);
    EXPECT_TRUE(loaded) << engine.error();
    engine.set_inbox(inbox);
    bool ready = false;
    engine.start(loop.get(), [this, &ready] {
      ready = true;
      presence_when_ready = inbox.presence.size();
    });
    EXPECT_TRUE(loop.run_until([&] { return ready; })) << "the engine never connected";
  }
  ~EngineNode() { engine.stop(); }

  std::pair<chat::AccountOutcome, chat::AccountId> create(const chat::StoredAccount& account, chat::SessionId session) {
    std::optional<std::pair<chat::AccountOutcome, chat::AccountId>> answer;
    engine.create_account(account, session, [&](chat::AccountOutcome outcome, chat::AccountId id) { answer.emplace(outcome, id); });
    EXPECT_TRUE(loop.run_until([&] { return answer.has_value(); }));
    return answer.value_or(std::make_pair(chat::AccountOutcome::failed, chat::AccountId{0}));
  }
  std::pair<bool, std::optional<chat::StoredAccount>> read(chat::AccountId id) {
    std::optional<std::pair<bool, std::optional<chat::StoredAccount>>> answer;
    engine.read_account(id, [&](bool ok, std::optional<chat::StoredAccount> account) { answer.emplace(ok, std::move(account)); });
    EXPECT_TRUE(loop.run_until([&] { return answer.has_value(); }));
    return answer.value_or(std::make_pair(false, std::nullopt));
  }
  std::pair<bool, std::optional<chat::StoredAccount>> find(const std::string& identity_key) {
    std::optional<std::pair<bool, std::optional<chat::StoredAccount>>> answer;
    engine.find_account(identity_key, [&](bool ok, std::optional<chat::StoredAccount> account) { answer.emplace(ok, std::move(account)); });
    EXPECT_TRUE(loop.run_until([&] { return answer.has_value(); }));
    return answer.value_or(std::make_pair(false, std::nullopt));
  }
  chat::ClaimOutcome claim(const chat::NameKeys& keys, chat::SessionId session, const std::string& token_id = "") {
    std::optional<chat::ClaimOutcome> answer;
    engine.claim_name(keys, session, token_id, [&](chat::ClaimOutcome outcome) { answer = outcome; });
    EXPECT_TRUE(loop.run_until([&] { return answer.has_value(); }));
    return answer.value_or(chat::ClaimOutcome::failed);
  }
  // Releases a claim and returns once Redis applied it: the release is sent without an answer,
  // so a round trip on the same commands link follows it (delete_tokens of nothing is a PING).
  void release(const chat::NameKeys& keys, chat::SessionId session) {
    engine.release_name(keys, session, "");
    EXPECT_TRUE(delete_tokens({}));
  }
  bool set_password(chat::AccountId id, const std::string& hash, std::int64_t changed_ms, const std::string& keep) {
    std::optional<bool> answer;
    engine.set_password(id, hash, changed_ms, keep, [&](bool ok) { answer = ok; });
    EXPECT_TRUE(loop.run_until([&] { return answer.has_value(); }));
    return answer.value_or(false);
  }
  bool save(const chat::StoredToken& token) {
    std::optional<bool> answer;
    engine.save_token(token, [&](bool ok) { answer = ok; });
    EXPECT_TRUE(loop.run_until([&] { return answer.has_value(); }));
    return answer.value_or(false);
  }
  chat::RoomOutcome create_room(const chat::StoredRoom& room) {
    std::optional<chat::RoomOutcome> answer;
    engine.create_room(room, [&](chat::RoomOutcome outcome) { answer = outcome; });
    EXPECT_TRUE(loop.run_until([&] { return answer.has_value(); }));
    return answer.value_or(chat::RoomOutcome::failed);
  }
  chat::RoomOutcome delete_room(const std::string& name) {
    std::optional<chat::RoomOutcome> answer;
    engine.delete_room(name, [&](chat::RoomOutcome outcome) { answer = outcome; });
    EXPECT_TRUE(loop.run_until([&] { return answer.has_value(); }));
    return answer.value_or(chat::RoomOutcome::failed);
  }
  // add_room_member (added) or remove_room_member.
  chat::RoomOutcome change_member(const std::string& room, chat::AccountId account, bool added) {
    std::optional<chat::RoomOutcome> answer;
    auto done = [&](chat::RoomOutcome outcome) { answer = outcome; };
    if (added) {
      engine.add_room_member(room, account, done);
    } else {
      engine.remove_room_member(room, account, done);
    }
    EXPECT_TRUE(loop.run_until([&] { return answer.has_value(); }));
    return answer.value_or(chat::RoomOutcome::failed);
  }
  std::optional<std::vector<chat::ReadMarker>> read_markers(chat::AccountId account) {
    std::optional<std::pair<bool, std::vector<chat::ReadMarker>>> answer;
    engine.read_markers(account, [&](bool ok, std::vector<chat::ReadMarker> markers) { answer.emplace(ok, std::move(markers)); });
    EXPECT_TRUE(loop.run_until([&] { return answer.has_value(); }));
    if (!answer || !answer->first) return std::nullopt;
    return std::move(answer->second);
  }
  bool raise_read_marker(chat::AccountId account, const std::string& room, std::int64_t id) {
    std::optional<bool> answer;
    engine.raise_read_marker(account, room, id, [&](bool ok) { answer = ok; });
    EXPECT_TRUE(loop.run_until([&] { return answer.has_value(); }));
    return answer.value_or(false);
  }
  bool raise_mentions(const std::vector<chat::AccountId>& accounts, const std::string& room, std::int64_t id) {
    std::optional<bool> answer;
    engine.raise_mentions(accounts, room, id, [&](bool ok) { answer = ok; });
    EXPECT_TRUE(loop.run_until([&] { return answer.has_value(); }));
    return answer.value_or(false);
  }
  bool delete_tokens(const std::vector<std::string>& ids) {
    std::optional<bool> answer;
    engine.delete_tokens(ids, [&](bool ok) { answer = ok; });
    EXPECT_TRUE(loop.run_until([&] { return answer.has_value(); }));
    return answer.value_or(false);
  }

  TestLoop& loop;
  chat::redis::RedisEngine engine;
  RecordingInbox inbox;
  chat::StoredState state;
  bool loaded = false;
  std::size_t presence_when_ready = 0;  // presence the inbox had heard when the engine said ready
};

}  // namespace chat_redis_test
