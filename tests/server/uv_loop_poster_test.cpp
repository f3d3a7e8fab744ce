// UvLoopPoster on a real libuv loop: tasks posted from other threads run on the loop's thread, in
// order, and the poster closes cleanly; with the hasher, a hash made on a worker is answered there.
#include "server/accounts/uv_loop_poster.hpp"

#include <gtest/gtest.h>
#include <uv.h>

#include <optional>
#include <thread>
#include <vector>

#include "server/accounts/sodium_password_hasher.hpp"

namespace chat {
namespace {

class UvLoop : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(uv_loop_init(&loop_), 0); }
  void TearDown() override {
    uv_run(&loop_, UV_RUN_DEFAULT);  // lets closed handles go; returns once none is left
    EXPECT_EQ(uv_loop_close(&loop_), 0);  // UV_EBUSY if a handle leaked
  }
  // Runs the loop until `done` holds; each iteration waits for an event (a post), no timer.
  template <class Condition>
  void run_until(Condition done) {
    while (!done()) uv_run(&loop_, UV_RUN_ONCE);
  }
  uv_loop_t loop_{};
};

TEST_F(UvLoop, TasksPostedFromOtherThreadsRunOnTheLoopThreadInOrder) {
  UvLoopPoster poster(&loop_);
  std::vector<int> ran;
  std::vector<std::thread::id> ran_on;
  std::thread worker([&] {
    for (int i = 0; i < 1000; ++i) poster.post([&ran, &ran_on, i] { ran.push_back(i); ran_on.push_back(std::this_thread::get_id()); });
  });
  run_until([&] { return ran.size() == 1000; });
  worker.join();
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(ran[i], i);
  for (const auto& id : ran_on) ASSERT_EQ(id, std::this_thread::get_id());
}

TEST_F(UvLoop, APosterDestroyedWithTasksQueuedDropsThemAndFreesItsHandle) {
  bool ran = false;
  {
    UvLoopPoster poster(&loop_);
    poster.post([&ran] { ran = true; });
  }
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_FALSE(ran);
}

TEST_F(UvLoop, AHashIsAnsweredOnTheLoop) {
  UvLoopPoster poster(&loop_);
  SodiumPasswordHasher hasher(poster, SodiumHasherOptions{1, 4, ArgonCost::minimum()});
  std::optional<PasswordCheck> verdict;
  ASSERT_TRUE(hasher.hash("correct horse battery staple", [&](PasswordHash made) {
    ASSERT_TRUE(made.ok);
    ASSERT_TRUE(hasher.verify(made.hash, "correct horse battery staple", [&](PasswordCheck check) { verdict = check; }));
  }));
  run_until([&] { return verdict.has_value(); });
  EXPECT_EQ(verdict->verdict, PasswordVerdict::match);
  EXPECT_EQ(hasher.pending(), 0u);
}

}  // namespace
}  // namespace chat
