// RedisReply: an owned copy of one hiredis reply, so that decoding is pure (testable without a
// server) and nothing holds a pointer hiredis frees after the callback returns.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
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

// HGETALL's flat [field, value, field, value ...] as pairs.
inline std::vector<std::pair<std::string, std::string>> pairs_of(const RedisReply& reply) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    out.emplace_back(reply.elements[i].text, reply.elements[i + 1].text);
  }
  return out;
}

}  // namespace chat::redis
