// What the store's group commits cost, for /metrics: SqliteStore keeps them, metrics_report renders.
#pragma once

#include <cstdint>

#include "server/latency_histogram.hpp"

namespace chat {

struct StoreStats {
  LatencyHistogram commit_seconds;   // BEGIN..COMMIT of each batch, failed ones included
  std::uint64_t commits = 0;         // batches committed
  std::uint64_t failed_commits = 0;  // batches that failed (none of their requests stored)
  std::uint64_t requests = 0;        // requests in all batches: requests / commits = mean batch
};

}  // namespace chat
