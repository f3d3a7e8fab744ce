// LoopPoster on a libuv loop: post() queues the task under a lock and wakes the loop with a
// uv_async_t, whose callback runs every queued task. libuv coalesces wake-ups, so a burst of posts
// costs one loop iteration, not one each.
#pragma once

#include <functional>

#include "server/accounts/loop_poster.hpp"

struct uv_loop_s;

namespace chat {

class UvLoopPoster final : public LoopPoster {
 public:
  // On the loop's thread, before any post().
  explicit UvLoopPoster(uv_loop_s* loop);
  // On the loop's thread, once nothing can post any more (the hashers using it are gone): tasks
  // not yet run are dropped. The handle is closed; the loop frees it on its next iteration.
  ~UvLoopPoster() override;
  UvLoopPoster(const UvLoopPoster&) = delete;
  UvLoopPoster& operator=(const UvLoopPoster&) = delete;

  void post(std::function<void()> task) override;

 private:
  struct Handle;  // the uv_async_t and the queue, freed by libuv's close callback
  Handle* handle_;
};

}  // namespace chat
