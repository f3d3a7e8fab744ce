// RedisReply: an owned copy of one hiredis reply, so that decoding is pure (testable without a
// server) and nothing holds a pointer hiredis frees after the callback returns.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chat::redis {

struct RedisReply {
  enum class Type { string, array, integer, nil, status, error };
  Type type = Type::nil;
  std::string text;  // string, status, error (for an error: also the reason the link failed)
  std::int64_t integer = 0;
  std::vector<RedisReply> elements;

  bool is_error() const { return type == Type::error; }
  static RedisReply error(std::string reason) {
    RedisReply reply;
    reply.type = Type::error;
    reply.text = std::move(reason);
    return reply;
  }
};

}  // namespace chat::redis
