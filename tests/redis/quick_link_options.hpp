// Link options for tests: quick retries (a restarted Redis is found again within ms), a connect
// timeout generous enough for a loaded machine, and probes often enough to notice a frozen Redis
// within the tests' waits.
#pragma once

#include <string>

#include "server/engine/redis/redis_connection.hpp"

namespace chat_redis_test {

inline chat::redis::ConnectionOptions quick_link_options(const std::string& name) {
  chat::redis::ConnectionOptions result;
  result.name = name;
  result.backoff_min_ms = 20;
  result.backoff_max_ms = 200;
  result.connect_timeout_ms = 10000;
  result.probe_interval_ms = 200;
  result.reply_timeout_ms = 3000;
  return result;
}

}  // namespace chat_redis_test
