// ServerLoop: each hook runs on the loop (a signal, the end of an iteration, the tick, the grace
// timer), and closing the handles lets run() return. Signals are raised by the test itself, so
// nothing waits on a clock.
#include "server/lws/server_loop.hpp"

#include <csignal>

#include <gtest/gtest.h>

namespace chat {
namespace {

TEST(ServerLoop, RunsEachHookAndEndsOnceItsHandlesAreClosed) {
  ServerLoop loop;
  int iteration_ends = 0;
  bool reloaded = false;
  int stopped_by = 0;
  bool grace_over = false;
  ServerLoop::Hooks hooks;
  hooks.iteration_end = [&] { ++iteration_ends; };
  hooks.tick = [] {};
  hooks.reload = [&] {
    reloaded = true;
    std::raise(SIGTERM);  // handled on the loop like SIGHUP was, not by the default action
  };
  hooks.stop = [&](int signal_number) {
    stopped_by = signal_number;
    loop.start_grace(0);
  };
  hooks.grace_over = [&] {
    grace_over = true;
    loop.close_handles();
  };
  loop.start_handles(hooks, 1);
  std::raise(SIGHUP);
  loop.run();
  loop.close();
  EXPECT_TRUE(reloaded);
  EXPECT_EQ(stopped_by, SIGTERM);
  EXPECT_TRUE(grace_over);
  EXPECT_GT(iteration_ends, 0);
}

TEST(ServerLoop, TheTickRepeats) {
  ServerLoop loop;
  int ticks = 0;
  ServerLoop::Hooks hooks;
  hooks.iteration_end = [] {};
  hooks.tick = [&] {
    if (++ticks == 3) loop.close_handles();
  };
  loop.start_handles(hooks, 1);
  loop.run();
  loop.close();
  EXPECT_EQ(ticks, 3);
}

}  // namespace
}  // namespace chat
