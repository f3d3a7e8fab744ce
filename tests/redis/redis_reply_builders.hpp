// Redis replies made by hand, for the codec tests that read what Redis would answer.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "server/engine/redis/redis_reply.hpp"

namespace chat::redis::test_replies {

inline RedisReply str(std::string text) {
  RedisReply reply;
  reply.type = RedisReply::Type::string;
  reply.text = std::move(text);
  return reply;
}

inline RedisReply integer(std::int64_t value) {
  RedisReply reply;
  reply.type = RedisReply::Type::integer;
  reply.integer = value;
  return reply;
}

inline RedisReply array(std::vector<RedisReply> elements) {
  RedisReply reply;
  reply.type = RedisReply::Type::array;
  reply.elements = std::move(elements);
  return reply;
}

}  // namespace chat::redis::test_replies
