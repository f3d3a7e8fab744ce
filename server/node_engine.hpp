// NodeEngine: the engine this process runs on, chosen by the flags: SQLite in --data-dir (one node,
// the default) or Redis (--redis: one node of a cluster). The program's one place that knows both;
// the core sees only the Engine port.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "server/config.hpp"
#include "server/ports/engine.hpp"
#include "server/store_stats.hpp"

struct uv_loop_s;

namespace chat {

class NodeEngine {
 public:
  virtual ~NodeEngine() = default;
  // Opens the engine and loads its state (blocking, before the loop runs); nullptr after logging
  // one line that says why (an unreadable store, a bad or unreachable Redis URL).
  static std::unique_ptr<NodeEngine> open(const ServerConfig& config, StoredState& stored);

  virtual Engine& engine() = 0;
  // Once the loop exists: the engine's own I/O joins it; `ready` runs (on the loop, or at once)
  // when the engine can first serve.
  virtual void start(uv_loop_s* loop, std::function<void()> ready) = 0;
  // Why the node should not be sent traffic now (/readyz), or empty when it is ready.
  virtual std::string unready_reason(std::size_t backlog_cap) const = 0;
  // The engine's commit figures for /metrics (SQLite: batches; Redis: each publish's round trip).
  virtual StoreStats stats() const = 0;
  // At the end of every loop iteration (SQLite's group commit).
  virtual void end_of_iteration() = 0;
  // Whether end_of_iteration has work waiting (SQLite: requests queued for the group commit), so
  // that putting it off for a burst's next lines can pay.
  virtual bool commit_waiting() const = 0;
  // When the server stops: what is in flight is finished or dropped, and the engine's handles on
  // the loop are closed, so that the loop can end.
  virtual void stop() = 0;
};

}  // namespace chat
