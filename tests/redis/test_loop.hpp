// TestLoop: a libuv loop the test owns, run until a condition holds or a generous deadline passes.
// A 10 ms repeating timer keeps uv_run from sleeping past the deadline when nothing happens.
#pragma once

#include <uv.h>

#include <chrono>
#include <functional>

namespace chat_redis_test {

class TestLoop {
 public:
  TestLoop() {
    uv_loop_init(&loop_);
    uv_timer_init(&loop_, &tick_);
    uv_timer_start(&tick_, [](uv_timer_t*) {}, 10, 10);
  }
  // Declare the loop before everything that uses it, so that it is destroyed last: the handles the
  // others close are released here.
  ~TestLoop() {
    uv_close(reinterpret_cast<uv_handle_t*>(&tick_), nullptr);
    for (int i = 0; i < 1000 && uv_loop_close(&loop_) == UV_EBUSY; ++i) uv_run(&loop_, UV_RUN_NOWAIT);
  }
  TestLoop(const TestLoop&) = delete;
  TestLoop& operator=(const TestLoop&) = delete;

  uv_loop_t* get() { return &loop_; }

  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      uv_run(&loop_, UV_RUN_ONCE);
    }
    return true;
  }

 private:
  uv_loop_t loop_;
  uv_timer_t tick_;
};

}  // namespace chat_redis_test
