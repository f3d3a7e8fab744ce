// Every check-and-set on a key another node may hold is one Lua script, so two nodes never both
// believe they hold a name.
// Over 300 lines: its six Lua scripts, kept beside the calls that run them, are much of it.
#include "server/engine/redis/redis_cluster_members.hpp"

#include <memory>

#include "server/log.hpp"
#include "shared/utf8.hpp"

namespace chat::redis {
namespace {

// KEYS: the account keys hash, then the name's claim keys. ARGV: holder, lease ms, identity key,
// look-alike key. 1 if no account has either key and every claim key was free or the holder's.
// The account check is in the same script as the claim, so a guest claim racing a registration
// on another node loses (the registration script checks the claims in turn).
const char* const kClaimScript = R"LUA(
if redis.call('hexists', KEYS[1], ARGV[3]) == 1 or redis.call('hexists', KEYS[1], ARGV[4]) == 1 then
  return 0
end
for i = 2, #KEYS do
  local v = redis.call('get', KEYS[i])
  if v and v ~= ARGV[1] then return 0 end
end
for i = 2, #KEYS do redis.call('set', KEYS[i], ARGV[1], 'px', ARGV[2]) end
return 1
)LUA";

// KEYS: the name's keys. ARGV: from, to, lease ms.
const char* const kHandOverScript = R"LUA(
for i = 1, #KEYS do
  if redis.call('get', KEYS[i]) == ARGV[1] then redis.call('set', KEYS[i], ARGV[2], 'px', ARGV[3]) end
end
return 1
)LUA";

// KEYS: the name's keys. ARGV: holder, then a time in ms to keep them (0: delete them).
const char* const kLetGoScript = R"LUA(
for i = 1, #KEYS do
  if redis.call('get', KEYS[i]) == ARGV[1] then
    if ARGV[2] == '0' then redis.call('del', KEYS[i]) else redis.call('pexpire', KEYS[i], ARGV[2]) end
  end
end
return 1
)LUA";

// KEYS: keys to renew. ARGV: lease ms, then each key's holder.
const char* const kRenewScript = R"LUA(
for i = 1, #KEYS do
  if redis.call('get', KEYS[i]) == ARGV[i + 1] then redis.call('pexpire', KEYS[i], ARGV[1]) end
end
return 1
)LUA";

// KEYS: the token-names hash. ARGV: token id, its holder string. Frees the names the token holds.
const char* const kForgetTokenScript = R"LUA(
local keys = redis.call('hget', KEYS[1], ARGV[1])
if keys then
  for key in string.gmatch(keys, '[^\n]+') do
    if redis.call('get', key) == ARGV[2] then redis.call('del', key) end
  end
  redis.call('hdel', KEYS[1], ARGV[1])
end
return 1
)LUA";

constexpr std::size_t kKeysPerRenewal = 1000;
constexpr const char* kTokenHolder = "t:";

// A room's presence set has one entry per node a person is on there (an account may be on
// several): "<node>:<user>". Node ids never hold ':'.
std::string presence_entry(const std::string& node, const std::string& user) { return node + ":" + user; }

struct PresenceEntry {
  std::string node;
  std::string user;
};

std::optional<PresenceEntry> decode_presence_entry(std::string_view entry) {
  const auto colon = entry.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 64 || colon + 1 == entry.size()) return std::nullopt;
  PresenceEntry decoded{std::string(entry.substr(0, colon)), std::string(entry.substr(colon + 1))};
  if (!utf8::is_valid(decoded.user)) return std::nullopt;
  return decoded;
}

// Presence message: <+|-><node>:<room byte length>:<room><user>
std::string encode_presence(bool joined, const std::string& node, const std::string& room, const std::string& user) {
  return std::string(joined ? "+" : "-") + node + ":" + std::to_string(room.size()) + ":" + room + user;
}

struct Presence {
  bool joined;
  std::string node, room, user;
};

std::optional<Presence> decode_presence(std::string_view payload) {
  if (payload.size() < 2 || (payload[0] != '+' && payload[0] != '-')) return std::nullopt;
  Presence p{payload[0] == '+', {}, {}, {}};
  std::string_view rest = payload.substr(1);
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 64) return std::nullopt;
  p.node = std::string(rest.substr(0, colon));
  rest.remove_prefix(colon + 1);
  const auto second = rest.find(':');
  if (second == std::string_view::npos || second == 0 || second > 6) return std::nullopt;
  std::size_t length = 0;
  for (const char c : rest.substr(0, second)) {
    if (c < '0' || c > '9') return std::nullopt;
    length = length * 10 + static_cast<std::size_t>(c - '0');
  }
  rest.remove_prefix(second + 1);
  if (length == 0 || length >= rest.size() || rest.size() - length > 1024) return std::nullopt;
  p.room = std::string(rest.substr(0, length));
  p.user = std::string(rest.substr(length));
  if (!utf8::is_valid(p.room) || !utf8::is_valid(p.user)) return std::nullopt;
  return p;
}

}  // namespace

RedisClusterMembers::RedisClusterMembers(std::string node, RedisKeys keys, MemberTimes times, Command command)
    : node_(std::move(node)), keys_(std::move(keys)), times_(times), command_(std::move(command)) {}

std::string RedisClusterMembers::holder(SessionId session, const std::string& token_id) const {
  return token_id.empty() ? "s:" + node_ + ":" + std::to_string(session) : "t:" + token_id;
}

std::vector<std::string> RedisClusterMembers::name_keys_of(const NameKeys& name) const {
  return {keys_.name_identity(name.identity), keys_.name_lookalike(name.lookalike)};
}

void RedisClusterMembers::claim(const NameKeys& name, const std::string& holder, Engine::ClaimDone done) {
  const auto keys = name_keys_of(name);
  std::vector<std::string> argv{"EVAL", kClaimScript, std::to_string(keys.size() + 1), keys_.account_keys()};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), {holder, std::to_string(times_.lease_ms), name.identity, name.lookalike});
  command_(std::move(argv), [this, keys, holder, done = std::move(done)](const RedisReply& reply) {
    if (reply.is_error() || reply.type != RedisReply::Type::integer) {
      log_line(LogLevel::warn, "redis: name claim failed: %s", reply.text.c_str());
      return done(ClaimOutcome::failed);
    }
    if (reply.integer == 0) return done(ClaimOutcome::taken);
    for (const auto& key : keys) ++held_[{key, holder}];
    remember_token_names(keys, holder);
    done(ClaimOutcome::claimed);
  });
}

void RedisClusterMembers::hand_over(const NameKeys& name, const std::string& from, const std::string& to) {
  const auto keys = name_keys_of(name);
  for (const auto& key : keys) {
    const auto found = held_.find({key, from});
    if (found != held_.end() && --found->second == 0) held_.erase(found);
    ++held_[{key, to}];
  }
  remember_token_names(keys, to);
  std::vector<std::string> argv{"EVAL", kHandOverScript, std::to_string(keys.size())};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), {from, to, std::to_string(times_.lease_ms)});
  command_(std::move(argv), [](const RedisReply&) {});
}

void RedisClusterMembers::release(const NameKeys& name, const std::string& holder) { reserve(name, holder, 0); }

// The last claim of this node on the name lets go: deleted (0) or kept grace_ms for a token.
void RedisClusterMembers::reserve(const NameKeys& name, const std::string& holder, std::int64_t grace_ms) {
  const auto keys = name_keys_of(name);
  bool still_held = false;
  for (const auto& key : keys) {
    const auto found = held_.find({key, holder});
    if (found == held_.end()) continue;
    if (--found->second == 0) {
      held_.erase(found);
    } else {
      still_held = true;  // another session here holds it for the same token
    }
  }
  if (still_held) return;
  for (const auto& key : keys) letting_go_[{key, holder}] = grace_ms;
  std::vector<std::string> argv{"EVAL", kLetGoScript, std::to_string(keys.size())};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), {holder, std::to_string(grace_ms)});
  command_(std::move(argv), [this, keys, holder, grace_ms](const RedisReply& reply) {
    if (reply.is_error()) return;  // kept for the farewell
    for (const auto& key : keys) {
      const auto found = letting_go_.find({key, holder});
      if (found != letting_go_.end() && found->second == grace_ms) letting_go_.erase(found);
    }
  });
}

void RedisClusterMembers::remember_token_names(const std::vector<std::string>& keys, const std::string& holder) {
  if (holder.rfind(kTokenHolder, 0) != 0) return;
  std::string joined;
  for (const auto& key : keys) joined += key + "\n";
  command_({"HSET", keys_.prefix + "tokennames", holder.substr(2), joined}, [](const RedisReply&) {});
}

void RedisClusterMembers::token_deleted(const std::string& token_id) {
  command_({"EVAL", kForgetTokenScript, "1", keys_.prefix + "tokennames", token_id, kTokenHolder + token_id},
           [](const RedisReply&) {});
}

std::vector<std::vector<std::string>> RedisClusterMembers::farewell() const {
  std::vector<std::vector<std::string>> commands;
  const auto let_go = [&](const std::string& key, const std::string& holder, std::int64_t keep_ms) {
    commands.push_back({"EVAL", kLetGoScript, "1", key, holder, std::to_string(keep_ms)});
  };
  for (const auto& [key_holder, keep_ms] : letting_go_) let_go(key_holder.first, key_holder.second, keep_ms);
  for (const auto& [key_holder, count] : held_) {
    // A token's name stays as long as its lease would have: its holder may resume on another node.
    if (key_holder.second.rfind(kTokenHolder, 0) != 0) let_go(key_holder.first, key_holder.second, 0);
  }
  for (const auto& [user, room] : leaving_) commands.push_back({"SREM", keys_.present(room), presence_entry(node_, user)});
  for (const auto& [user, room] : own_members_) {
    commands.push_back({"SREM", keys_.present(room), presence_entry(node_, user)});
    commands.push_back({"PUBLISH", keys_.presence_channel(), encode_presence(false, node_, room, user)});
  }
  commands.push_back({"DEL", keys_.prefix + "node:" + node_});
  return commands;
}

void RedisClusterMembers::announce(const std::string& room, const std::string& user, bool joined) {
  const std::pair<std::string, std::string> member{user, room};
  if (joined) {
    own_members_.insert(member);
    command_({"SADD", keys_.present(room), presence_entry(node_, user)}, [](const RedisReply&) {});
  } else {
    own_members_.erase(member);
    leaving_.insert(member);
    command_({"SREM", keys_.present(room), presence_entry(node_, user)}, [this, member](const RedisReply& reply) {
      if (!reply.is_error()) leaving_.erase(member);
    });
  }
  command_({"PUBLISH", keys_.presence_channel(), encode_presence(joined, node_, room, user)}, [](const RedisReply&) {});
}

void RedisClusterMembers::on_presence_message(const std::string& payload) {
  const auto presence = decode_presence(payload);
  if (!presence) {
    log_line(LogLevel::warn, "redis: malformed presence message skipped");
    return;
  }
  if (presence->node == node_) return;  // our own, already told locally
  ++heard_;
  if (resyncs_in_flight_ > 0) last_heard_[presence_entry(presence->node, presence->user)] = heard_;
  if (presence->joined) return remote_joined(presence->room, presence->user, presence->node);
  remote_left(presence->room, presence->user, presence->node);
}

// An account may be in several rooms on one node (a tab in each): a join is no leave elsewhere.
void RedisClusterMembers::remote_joined(const std::string& room, const std::string& user, const std::string& node) {
  remote_[node][room].insert(user);
  inbox_->member_joined(room, user, node);
}

void RedisClusterMembers::remote_left(const std::string& room, const std::string& user, const std::string& node) {
  const auto found = remote_.find(node);
  if (found != remote_.end()) {
    found->second[room].erase(user);
    if (found->second[room].empty()) found->second.erase(room);
    if (found->second.empty()) remote_.erase(found);
  }
  inbox_->member_left(room, user, node);
}

void RedisClusterMembers::resync(const std::vector<std::string>& rooms, ResyncDone done) {
  struct Batch {
    std::size_t unanswered;
    bool complete = true;
    ResyncDone done;
  };
  auto batch = std::make_shared<Batch>(Batch{rooms.size(), true, std::move(done)});
  if (rooms.empty() && batch->done) batch->done(true);
  for (const auto& room : rooms) {
    ++resyncs_in_flight_;
    command_({"SMEMBERS", keys_.present(room)}, [this, room, batch, asked = heard_](const RedisReply& reply) {
      const bool last_resync = --resyncs_in_flight_ == 0;
      batch->complete &= !reply.is_error();
      apply_snapshot(room, asked, reply);
      if (last_resync) last_heard_.clear();
      if (--batch->unanswered == 0 && batch->done) batch->done(batch->complete);
    });
  }
}

// A room's presence set as Redis had it when asked: who is there that we did not know of joined,
// who we thought there and is not left; except entries a later message spoke of.
void RedisClusterMembers::apply_snapshot(const std::string& room, std::uint64_t asked, const RedisReply& reply) {
  if (reply.is_error()) return;  // the link is down again: the next subscription resyncs
  const auto newer = [&](const std::string& node, const std::string& user) {
    const auto found = last_heard_.find(presence_entry(node, user));
    return found != last_heard_.end() && found->second > asked;
  };
  std::set<std::pair<std::string, std::string>> now;  // (node, user), as the snapshot has it
  for (const auto& element : reply.elements) {
    const auto entry = decode_presence_entry(element.text);
    if (!entry) {
      log_line(LogLevel::warn, "redis: malformed presence entry skipped in room %s", room.c_str());
      continue;
    }
    if (entry->node != node_ && !newer(entry->node, entry->user)) now.emplace(entry->node, entry->user);
  }
  std::vector<std::pair<std::string, std::string>> gone;
  for (const auto& [node, by_room] : remote_) {
    const auto users = by_room.find(room);
    if (users == by_room.end()) continue;
    for (const auto& user : users->second) {
      if (!newer(node, user) && !now.count({node, user})) gone.emplace_back(node, user);
    }
  }
  for (const auto& [node, user] : gone) remote_left(room, user, node);
  for (const auto& [node, user] : now) remote_joined(room, user, node);
}

void RedisClusterMembers::room_deleted(const std::string& room) {
  for (auto& [node, by_room] : remote_) by_room.erase(room);
}

void RedisClusterMembers::tick() {
  command_({"SET", keys_.prefix + "node:" + node_, "1", "PX", std::to_string(times_.lease_ms)}, [](const RedisReply&) {});
  std::vector<std::string> argv;
  std::vector<std::string> holders;
  const auto flush = [&] {
    if (argv.empty()) return;
    std::vector<std::string> command{"EVAL", kRenewScript, std::to_string(argv.size())};
    command.insert(command.end(), argv.begin(), argv.end());
    command.push_back(std::to_string(times_.lease_ms));
    command.insert(command.end(), holders.begin(), holders.end());
    command_(std::move(command), [](const RedisReply&) {});
    argv.clear();
    holders.clear();
  };
  for (const auto& [key_holder, count] : held_) {
    argv.push_back(key_holder.first);
    holders.push_back(key_holder.second);
    if (argv.size() == kKeysPerRenewal) flush();
  }
  flush();
  check_dead_nodes();
}

// A node whose heartbeat lapsed is gone (killed, or cut off for longer than a lease): its members
// are reported left here and removed from the shared hashes, once, by whichever node sees it.
void RedisClusterMembers::check_dead_nodes() {
  for (const auto& [node, by_room] : remote_) {
    command_({"EXISTS", keys_.prefix + "node:" + node}, [this, node = node](const RedisReply& reply) {
      if (reply.is_error() || reply.type != RedisReply::Type::integer || reply.integer != 0) return;
      const auto found = remote_.find(node);
      if (found == remote_.end()) return;
      log_line(LogLevel::warn, "cluster: node %s stopped renewing; its members are reported as left", node.c_str());
      const auto rooms = found->second;
      for (const auto& [room, users] : rooms) {
        for (const auto& user : users) {
          command_({"SREM", keys_.present(room), presence_entry(node, user)}, [](const RedisReply&) {});
          remote_left(room, user, node);
        }
      }
    });
  }
}

}  // namespace chat::redis
