// The whole /metrics page: every series the server exports, from the core's, the edge's and the
// store's counters and the process's own figures. Pure: the callers gather the numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "server/core/service_metrics.hpp"
#include "server/lws/edge_metrics.hpp"
#include "server/store_stats.hpp"

namespace chat {

struct ProcessStats {
  std::uint64_t resident_bytes = 0;
  std::uint64_t open_descriptors = 0;
};

struct MetricsSources {
  const ServiceMetrics& service;
  std::size_t rooms;
  const EdgeMetrics& edge;
  std::size_t connections;  // WebSocket connections open now
  const StoreStats& store;
  std::size_t store_queue;  // store requests waiting for the next group commit
  ProcessStats process;
};

std::string render_metrics(const MetricsSources& sources);

}  // namespace chat
