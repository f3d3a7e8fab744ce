// The libuv loop the server owns and lends to lws (a "foreign loop"), with the server's own handles
// on it: the stop and reload signals, a check that runs after each iteration's I/O callbacks, the
// liveness sweep's tick, the shutdown's grace timer and a wake-up timer. Owning the loop is what lets the edge run
// code after each iteration (its end-of-iteration writes): the evlib plugin lws loads by itself
// keeps its loop private. No libwebsockets here; the hooks are the server's.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

struct uv_loop_s;

namespace chat {

class ServerLoop {
 public:
  struct Hooks {
    std::function<void(int signal_number)> stop;  // SIGINT, SIGTERM
    std::function<void()> reload;                 // SIGHUP (the TLS certificate: tls_reload.hpp)
    std::function<void()> iteration_end;          // after each iteration's I/O callbacks
    std::function<void()> tick;                   // every tick_ms (the liveness sweep)
    std::function<void()> grace_over;             // the timer start_grace set ran out
  };

  ServerLoop();
  ~ServerLoop();
  ServerLoop(const ServerLoop&) = delete;
  ServerLoop& operator=(const ServerLoop&) = delete;

  uv_loop_s* loop();
  std::uint64_t now() const;  // the loop's time in ms, as of the start of this iteration
  // Starts every handle; the hooks run on the loop from then on.
  void start_handles(Hooks hooks, std::uint64_t tick_ms);
  // (Re)starts the grace timer: hooks.grace_over runs in delay_ms, from the timer, never inside a
  // callback of lws's (the context must not be destroyed from inside one of its own callbacks).
  void start_grace(std::uint64_t delay_ms);
  // Makes sure an iteration ends (and hooks.iteration_end runs) within delay_ms, even if no I/O
  // comes: a commit put off for its window (CommitDeferral) must not wait for the next packet.
  void wake_after(std::uint64_t delay_ms);
  // Closes every handle of ours: the loop, and so run(), ends once others' handles are closed too.
  void close_handles();
  // Runs the loop until no handle is left on it.
  void run();
  // Frees the loop's own resources; after run() has returned.
  void close();

 private:
  struct Handles;
  std::unique_ptr<Handles> handles_;
  Hooks hooks_;
};

}  // namespace chat
