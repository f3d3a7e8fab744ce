// RedisKeys: the reverse mapping, from a pub/sub channel back to its room.
#include "server/engine/redis/redis_keys.hpp"

namespace chat::redis {

std::optional<std::string> RedisKeys::room_of_channel(std::string_view channel) const {
  const std::string head = prefix + "line:";
  if (channel.size() <= head.size() || channel.substr(0, head.size()) != head) return std::nullopt;
  return std::string(channel.substr(head.size()));
}

}  // namespace chat::redis
