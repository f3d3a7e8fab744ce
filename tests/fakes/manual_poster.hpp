// A LoopPoster whose "loop" is the test itself: workers post from their threads, the test waits
// for a number of posts (an event, not a duration) and runs them on its own thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include "server/accounts/loop_poster.hpp"

namespace chat {

class ManualPoster final : public LoopPoster {
 public:
  void post(std::function<void()> task) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tasks_.push_back(std::move(task));
      ++posted_;
    }
    posted_changed_.notify_all();
  }

  // True once at least `count` tasks were posted in all. The bound only stops a broken test from
  // hanging; a passing test never comes near it, however loaded the machine.
  bool wait_for_posts(std::size_t count, std::chrono::seconds bound = std::chrono::seconds(120)) {
    std::unique_lock<std::mutex> lock(mutex_);
    return posted_changed_.wait_for(lock, bound, [&] { return posted_ >= count; });
  }

  // Runs what was posted so far, in order, on the calling thread; returns how many ran.
  std::size_t run_posted() {
    std::deque<std::function<void()>> ready;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ready.swap(tasks_);
    }
    for (auto& task : ready) task();
    return ready.size();
  }

  std::size_t posted() {
    std::lock_guard<std::mutex> lock(mutex_);
    return posted_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable posted_changed_;
  std::deque<std::function<void()>> tasks_;
  std::size_t posted_ = 0;
};

}  // namespace chat
