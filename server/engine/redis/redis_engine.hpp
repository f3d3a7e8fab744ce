// RedisEngine: the cluster engine. Every node of a cluster shares one Redis: each room's lines are
// numbered, stored and published there by one atomic script (RedisRoomLog), rooms and resume
// tokens live in hashes, and every change reaches every node through pub/sub and from there the
// core's inbox. Two links on the node's own libuv loop: one for commands (pipelined), one for
// pub/sub; both reconnect by themselves, and on every resubscription the core is told to re-read
// what it may have missed (rooms, tokens, each room's lines). See docs/CLUSTER.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "server/engine/redis/redis_accounts.hpp"
#include "server/engine/redis/redis_cluster_members.hpp"
#include "server/engine/redis/redis_connection.hpp"
#include "server/engine/redis/redis_keys.hpp"
#include "server/engine/redis/redis_room_log.hpp"
#include "server/engine/redis/redis_url.hpp"
#include "server/ports/engine.hpp"
#include "server/store_stats.hpp"

struct uv_loop_s;
struct uv_timer_s;

namespace chat::redis {

class RedisEngine final : public Engine {
 public:
  RedisEngine(RedisUrl url, RedisKeys keys, MemberTimes times = {});
  ~RedisEngine() override;

  // Blocking, once at start-up: makes sure general exists, then reads the rooms with their
  // positions and the tokens. On failure, error() says why in one line naming the URL.
  bool load(StoredState& state) override;
  const std::string& error() const { return error_; }
  // Opens the links on the loop; from then on the inbox hears of every node's changes. `ready`
  // runs once, when both links are first up.
  void start(uv_loop_s* loop, std::function<void()> ready = {});
  // Closes the links (their handles close as the loop runs on); nothing reaches the inbox after.
  void stop();

  void set_inbox(EngineInbox& inbox) override {
    inbox_ = &inbox;
    members_.set_inbox(inbox);
    accounts_.set_inbox(inbox);
  }
  void publish(const std::string& room, std::int64_t ts, const std::string& user, const std::string& text,
               PublishDone done) override;
  void read_lines(const LineQuery& query, PageDone done) override;
  void create_room(const StoredRoom& room, RoomDone done) override;
  void delete_room(const std::string& name, RoomDone done) override;
  void save_token(const StoredToken& token, Done done) override;
  void delete_tokens(const std::vector<std::string>& ids, Done done) override;
  void create_account(const StoredAccount& account, SessionId session, AccountDone done) override;
  void read_account(AccountId id, AccountRead done) override;
  void find_account(const std::string& identity_key, AccountRead done) override;
  void add_room_member(const std::string& room, AccountId account, RoomDone done) override;
  void remove_room_member(const std::string& room, AccountId account, RoomDone done) override;
  void read_markers(AccountId account, MarkersRead done) override;
  void raise_read_marker(AccountId account, const std::string& room, std::int64_t id, Done done) override;
  void raise_mentions(const std::vector<AccountId>& accounts, const std::string& room, std::int64_t id,
                      Done done) override;
  void announce_typing(const std::string& room, const std::string& user) override;
  void set_password(AccountId id, const std::string& password_hash, std::int64_t changed_ms,
                    const std::string& keep_token_id, Done done) override;
  std::size_t pending() const override { return pending_; }
  bool available() const override;
  // Each publish is one "commit" here: the script's round trip, for /metrics.
  const StoreStats& stats() const { return stats_; }

  bool cluster() const override { return true; }
  void claim_name(const NameKeys& name, SessionId session, const std::string& token_id, ClaimDone done) override;
  void name_now_held_by_token(const NameKeys& name, SessionId session, const std::string& token_id) override;
  void release_name(const NameKeys& name, SessionId session, const std::string& token_id) override;
  void reserve_name(const NameKeys& name, const std::string& token_id, std::int64_t grace_ms) override;
  void announce_presence(const std::string& room, const std::string& user, bool joined) override;

 private:
  // The room every cluster has from its first start, and that no one can delete.
  static constexpr const char* kGeneralRoom = "general";

  // Store work (lines, rooms, tokens, accounts, markers): counted in pending() until answered.
  void command(std::vector<std::string> argv, RedisConnection::ReplyCallback callback);
  // The cluster's names, presence, heartbeats and typing notices: not counted. One node keeps
  // these in memory and counts none of them; counted here, a crowd's logins (a claim and presence
  // entries each) filled the backlog and its first lines were refused server_busy.
  void coordinate(std::vector<std::string> argv, RedisConnection::ReplyCallback callback);
  void on_state(const char* link, LinkState state, const std::string& reason);
  void on_channel_message(const std::string& channel, const std::string& payload);
  void become_ready_if_able();
  void on_channel_live(const std::string& channel);
  void apply_room_event(const std::string& payload);
  void apply_token_event(const std::string& payload);
  void resync_rooms();
  void apply_rooms_snapshot(const RedisReply& reply, std::uint64_t asked);
  void resync_tokens();
  void room_appeared(const StoredRoom& room);
  void room_vanished(const std::string& name);
  void member_changed(const std::string& room, AccountId account, bool added);
  void existing_room_found(const std::string& name, const RedisReply& reply);
  void change_member(const std::string& room, AccountId account, bool added, RoomDone done);
  void apply_marker_raised(const std::string& payload);
  void apply_typing(const std::string& payload);
  void resync_markers();
  void remember_session_token(SessionId session, const std::string& token_id);
  void forget_session_token(SessionId session);
  void forget_token(const std::string& token_id);

  RedisUrl url_;
  RedisKeys keys_;
  std::string error_;
  EngineInbox* inbox_ = nullptr;
  std::unique_ptr<RedisConnection> commands_;
  std::unique_ptr<RedisConnection> pubsub_;
  std::unique_ptr<RedisRoomLog> log_;
  std::unordered_set<std::string> rooms_;  // known to this node's core, each one subscribed
  // Each known private room's members in order of addition, as last told to the core, so that a
  // resync reports what changed meanwhile. Bounded by the rooms and the core's member cap.
  std::unordered_map<std::string, std::vector<AccountId>> private_members_;
  // Room messages heard, counted, and the count at the last one about each (room, account) (0 for
  // the room itself), kept while a resync is in flight: its snapshot, asked at some count, must
  // not undo what a later message said (the two come on different links).
  std::uint64_t room_events_heard_ = 0;
  std::map<std::pair<std::string, AccountId>, std::uint64_t> room_events_last_heard_;
  int room_resyncs_in_flight_ = 0;
  // Names this node is creating (requests in flight) and the count at the last room message about
  // each: a conflict's answer, which carries the room that exists, must not undo a later message.
  std::unordered_map<std::string, std::pair<int, std::uint64_t>> creating_;
  RedisClusterMembers members_;            // names and presence shared with the other nodes
  RedisAccounts accounts_;
  // Which token holds each session's name claim (resumed, or handed over once issued), so that a
  // registration accepts its own session's claim whichever holder it carries. An entry lives until
  // its session drops with a name (reserve_name) or its token is deleted; capped all the same.
  std::unordered_map<SessionId, std::string> session_tokens_;
  std::unordered_map<std::string, SessionId> token_sessions_;
  // The accounts whose markers this node's core read (it holds them while they have a session
  // here), so that after a lost pub/sub link their markers are read again: raises published
  // meanwhile were missed. Kept for the node's life (the core does not say when it forgets one);
  // capped, beyond which an account's missed raises wait for its next sign-in here.
  std::unordered_set<AccountId> marker_readers_;
  uv_timer_s* tick_ = nullptr;
  // Called once, when both links are up and the other nodes' members were read: before that a
  // newcomer's `members` would miss them and they would then "join" (so the node is not serving).
  std::function<void()> ready_;
  bool members_known_ = false;
  std::size_t pending_ = 0;
  StoreStats stats_;
};

}  // namespace chat::redis
