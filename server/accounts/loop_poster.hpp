// How work done on another thread gets back to the loop thread: the worker posts a task, the loop
// runs it. The one implementation in the program wakes libuv (uv_loop_poster.hpp); tests use a
// queue they drain themselves. Knows nothing of what the tasks are.
#pragma once

#include <functional>

namespace chat {

class LoopPoster {
 public:
  virtual ~LoopPoster() = default;
  // Callable from any thread. `task` runs later on the loop thread, tasks in the order posted.
  virtual void post(std::function<void()> task) = 0;
};

}  // namespace chat
