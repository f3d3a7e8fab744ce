// RedisClusterMembers: what a node shares with the others about people, and how a dead node's share
// lapses. Names: each name's two look-alike keys hold their claimant (a session of this node, or a
// resume token) and expire `lease_ms` after this node last renewed them, so a node that dies
// (kill -9) frees its names within lease_ms + one tick. Presence: each room's presence set
// (an entry per node a person is on there) plus a pub/sub message per change; a node's heartbeat key expires like a lease,
// and the others then report its members as left. See docs/CLUSTER.md.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "server/engine/redis/redis_connection.hpp"
#include "server/engine/redis/redis_keys.hpp"
#include "server/names/name_keys.hpp"
#include "server/ports/engine.hpp"

namespace chat::redis {

struct MemberTimes {
  std::int64_t lease_ms = 10'000;  // a name or a node heartbeat lives this long unless renewed
  std::int64_t tick_ms = 3'000;    // renewals, heartbeat and the dead-node check run this often
};

class RedisClusterMembers {
 public:
  using Command = std::function<void(std::vector<std::string>, RedisConnection::ReplyCallback)>;

  RedisClusterMembers(std::string node, RedisKeys keys, MemberTimes times, Command command);
  void set_inbox(EngineInbox& inbox) { inbox_ = &inbox; }
  const std::string& node() const { return node_; }
  const MemberTimes& times() const { return times_; }

  void claim(const NameKeys& name, const std::string& holder, Engine::ClaimDone done);
  void hand_over(const NameKeys& name, const std::string& from, const std::string& to);
  void release(const NameKeys& name, const std::string& holder);
  void reserve(const NameKeys& name, const std::string& holder, std::int64_t grace_ms);
  // The holder string of a session of this node, or of a token.
  std::string holder(SessionId session, const std::string& token_id) const;

  void announce(const std::string& room, const std::string& user, bool joined);
  void on_presence_message(const std::string& payload);
  // The presence channel is (again) subscribed: re-read the rooms' members (changes were missed).
  // `done` hears, once every room's members were read, whether all of them were (a read fails
  // only with the link, and the next subscription resyncs again).
  using ResyncDone = std::function<void(bool complete)>;
  void resync(const std::vector<std::string>& rooms, ResyncDone done = {});
  void room_deleted(const std::string& room);
  // Every tick_ms: renew this node's names and heartbeat; report members of dead nodes as left.
  void tick();
  // A resume token was deleted (expired, revoked): the names it held or had reserved are free.
  void token_deleted(const std::string& token_id);
  // The commands a node that stops cleanly runs last (blocking, its links already closed): the
  // names it held or let go of without an answer yet are let go of, its members leave, its
  // heartbeat goes; so others need not wait for its leases to lapse.
  std::vector<std::vector<std::string>> farewell() const;

 private:
  std::vector<std::string> name_keys_of(const NameKeys& name) const;
  void remote_joined(const std::string& room, const std::string& user, const std::string& node);
  void remote_left(const std::string& room, const std::string& user, const std::string& node);
  void check_dead_nodes();
  void apply_snapshot(const std::string& room, std::uint64_t asked, const RedisReply& reply);
  void remember_token_names(const std::vector<std::string>& keys, const std::string& holder);

  std::string node_;
  RedisKeys keys_;
  MemberTimes times_;
  Command command_;
  EngineInbox* inbox_ = nullptr;
  std::map<std::pair<std::string, std::string>, int> held_;  // (key, holder) -> claims by this node
  // Let-go commands sent and not yet answered: (key, holder) -> ms kept (0: deleted).
  std::map<std::pair<std::string, std::string>, std::int64_t> letting_go_;
  // This node's members, (user, room): an account may be in several rooms here at once.
  std::set<std::pair<std::string, std::string>> own_members_;
  // Leaves sent and not yet answered, (user, room): the farewell repeats them.
  std::set<std::pair<std::string, std::string>> leaving_;
  // Other nodes' members as last heard: node -> room -> users.
  std::map<std::string, std::map<std::string, std::set<std::string>>> remote_;
  // Presence messages heard, counted, and the count at each user's last one: a resync's snapshot
  // (SMEMBERS, asked at some count) must not undo what a later message said.
  // Kept only while a resync is in flight, so it never outgrows the messages of that moment.
  std::uint64_t heard_ = 0;
  std::map<std::string, std::uint64_t> last_heard_;  // presence entry -> heard_ at its last message
  int resyncs_in_flight_ = 0;
};

}  // namespace chat::redis
