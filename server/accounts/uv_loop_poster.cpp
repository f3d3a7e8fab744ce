#include "server/accounts/uv_loop_poster.hpp"

#include <uv.h>

#include <deque>
#include <mutex>

namespace chat {

struct UvLoopPoster::Handle {
  uv_async_t async;  // its `data` points back at the Handle
  std::mutex mutex;
  std::deque<std::function<void()>> tasks;

  static void run_tasks(uv_async_t* async) {
    auto* self = static_cast<Handle*>(async->data);
    std::deque<std::function<void()>> ready;
    {
      std::lock_guard<std::mutex> lock(self->mutex);
      ready.swap(self->tasks);
    }
    for (auto& task : ready) task();
  }
};

UvLoopPoster::UvLoopPoster(uv_loop_s* loop) : handle_(new Handle) {
  uv_async_init(loop, &handle_->async, &Handle::run_tasks);
  handle_->async.data = handle_;
}

UvLoopPoster::~UvLoopPoster() {
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_->async),
           [](uv_handle_t* closed) { delete static_cast<Handle*>(closed->data); });
}

void UvLoopPoster::post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(handle_->mutex);
    handle_->tasks.push_back(std::move(task));
  }
  uv_async_send(&handle_->async);  // thread-safe; several sends before the loop wakes run it once
}

}  // namespace chat
