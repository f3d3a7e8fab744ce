#include "server/lws/server_loop.hpp"

#include <uv.h>

#include <csignal>
#include <utility>

namespace chat {

struct ServerLoop::Handles {
  uv_loop_t loop;
  uv_signal_t sigint;
  uv_signal_t sigterm;
  uv_signal_t sighup;
  uv_check_t iteration_end;
  uv_timer_t grace;
  uv_timer_t tick;
  uv_timer_t wake;
};

namespace {

ServerLoop::Hooks& hooks_of(void* data) { return *static_cast<ServerLoop::Hooks*>(data); }

}  // namespace

ServerLoop::ServerLoop() : handles_(std::make_unique<Handles>()) { uv_loop_init(&handles_->loop); }

ServerLoop::~ServerLoop() = default;

uv_loop_s* ServerLoop::loop() { return &handles_->loop; }

std::uint64_t ServerLoop::now() const { return uv_now(&handles_->loop); }

void ServerLoop::start_handles(Hooks hooks, std::uint64_t tick_ms) {
  hooks_ = std::move(hooks);
  Handles& h = *handles_;
  const auto on_stop = [](uv_signal_t* handle, int signal_number) { hooks_of(handle->data).stop(signal_number); };
  for (auto [handle, number] : {std::pair{&h.sigint, SIGINT}, std::pair{&h.sigterm, SIGTERM}}) {
    uv_signal_init(&h.loop, handle);
    handle->data = &hooks_;
    uv_signal_start(handle, on_stop, number);
  }
  uv_signal_init(&h.loop, &h.sighup);
  h.sighup.data = &hooks_;
  uv_signal_start(&h.sighup, [](uv_signal_t* handle, int) { hooks_of(handle->data).reload(); }, SIGHUP);
  uv_check_init(&h.loop, &h.iteration_end);
  h.iteration_end.data = &hooks_;
  uv_check_start(&h.iteration_end, [](uv_check_t* check) { hooks_of(check->data).iteration_end(); });
  uv_timer_init(&h.loop, &h.grace);
  h.grace.data = &hooks_;
  uv_timer_init(&h.loop, &h.tick);
  h.tick.data = &hooks_;
  uv_timer_start(&h.tick, [](uv_timer_t* timer) { hooks_of(timer->data).tick(); }, tick_ms, tick_ms);
  uv_timer_init(&h.loop, &h.wake);
}

void ServerLoop::start_grace(std::uint64_t delay_ms) {
  uv_timer_start(&handles_->grace, [](uv_timer_t* timer) { hooks_of(timer->data).grace_over(); }, delay_ms, 0);
}

void ServerLoop::wake_after(std::uint64_t delay_ms) {
  uv_timer_t* wake = &handles_->wake;
  // An earlier wake-up that is due sooner stands; the check handle runs after the timer's iteration.
  if (uv_is_active(reinterpret_cast<uv_handle_t*>(wake)) && uv_timer_get_due_in(wake) <= delay_ms) return;
  uv_timer_start(wake, [](uv_timer_t*) {}, delay_ms, 0);
}

void ServerLoop::close_handles() {
  Handles& h = *handles_;
  for (auto* handle : {reinterpret_cast<uv_handle_t*>(&h.sigint), reinterpret_cast<uv_handle_t*>(&h.sigterm),
                       reinterpret_cast<uv_handle_t*>(&h.sighup), reinterpret_cast<uv_handle_t*>(&h.iteration_end),
                       reinterpret_cast<uv_handle_t*>(&h.grace), reinterpret_cast<uv_handle_t*>(&h.tick),
                       reinterpret_cast<uv_handle_t*>(&h.wake)}) {
    uv_close(handle, nullptr);
  }
}

void ServerLoop::run() { uv_run(&handles_->loop, UV_RUN_DEFAULT); }

void ServerLoop::close() { uv_loop_close(&handles_->loop); }

}  // namespace chat
