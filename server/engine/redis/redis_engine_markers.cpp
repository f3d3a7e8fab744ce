// RedisEngine's read markers, mentions and typing (docs/ACCOUNTS.md, step 4).
// TODO(issue 16 step 4): the keys, scripts and the typing channel; until then every call fails.
#include "server/engine/redis/redis_engine.hpp"

namespace chat::redis {

void RedisEngine::read_markers(AccountId, MarkersRead done) {
  command({"PING"}, [done = std::move(done)](const RedisReply&) { done(false, {}); });
}

void RedisEngine::raise_read_marker(AccountId, const std::string&, std::int64_t, Done done) {
  command({"PING"}, [done = std::move(done)](const RedisReply&) { done(false); });
}

void RedisEngine::raise_mentions(const std::vector<AccountId>&, const std::string&, std::int64_t, Done done) {
  command({"PING"}, [done = std::move(done)](const RedisReply&) { done(false); });
}

void RedisEngine::announce_typing(const std::string&, const std::string&) {}

}  // namespace chat::redis
