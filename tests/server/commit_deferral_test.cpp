// CommitDeferral: a burst still arriving puts the group commit off, for a bounded number of
// iterations; an idle socket commits at once; with a commit window, the first waiting work waits
// up to the window (from when it began waiting), and the loop is told when to wake.
#include "server/engine/commit_deferral.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

constexpr std::int64_t kNow = 1'000'000;

bool put_off(CommitDeferral& deferral, bool more_input_waiting, std::int64_t now_ms = kNow) {
  return deferral.decide(/*commit_waiting=*/true, more_input_waiting, now_ms).put_off;
}

TEST(CommitDeferral, CommitsAtOnceWhenNoInputIsWaiting) {
  CommitDeferral deferral;
  EXPECT_FALSE(put_off(deferral, false));
  EXPECT_FALSE(put_off(deferral, false));
}

TEST(CommitDeferral, PutsOffWhileInputIsWaitingUntilTheBound) {
  CommitDeferral deferral;
  for (int i = 0; i < CommitDeferral::kMaxDeferredIterations; ++i) {
    const auto verdict = deferral.decide(true, true, kNow);
    EXPECT_TRUE(verdict.put_off) << i;
    EXPECT_EQ(0, verdict.wake_in_ms) << "the waiting input wakes the loop";
  }
  EXPECT_FALSE(put_off(deferral, true));  // a client that never stops sending cannot hold the commit
  EXPECT_TRUE(put_off(deferral, true));   // the count starts again after each commit
}

TEST(CommitDeferral, AnIdleIterationEndsTheWaitAndRestartsTheCount) {
  CommitDeferral deferral;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(put_off(deferral, true));
  EXPECT_FALSE(put_off(deferral, false));
  for (int i = 0; i < CommitDeferral::kMaxDeferredIterations; ++i) EXPECT_TRUE(put_off(deferral, true)) << i;
  EXPECT_FALSE(put_off(deferral, true));
}

TEST(CommitDeferral, NothingWaitingIsNeverPutOff) {
  CommitDeferral deferral(/*window_ms=*/20);
  EXPECT_FALSE(deferral.decide(false, true, kNow).put_off);
  EXPECT_FALSE(deferral.decide(false, false, kNow + 5).put_off);
}

TEST(CommitDeferral, TheWindowHoldsTheFirstWaitingWorkAndSaysWhenToWake) {
  CommitDeferral deferral(/*window_ms=*/20);
  auto verdict = deferral.decide(true, false, kNow);
  EXPECT_TRUE(verdict.put_off);
  EXPECT_EQ(20, verdict.wake_in_ms);
  // Later iterations (other clients' lines arriving) count from when the first began waiting.
  verdict = deferral.decide(true, false, kNow + 7);
  EXPECT_TRUE(verdict.put_off);
  EXPECT_EQ(13, verdict.wake_in_ms);
  EXPECT_TRUE(deferral.decide(true, false, kNow + 19).put_off);
  EXPECT_FALSE(deferral.decide(true, false, kNow + 20).put_off) << "the window is over: commit";
  // After the commit a new window starts with the next waiting work.
  verdict = deferral.decide(true, false, kNow + 30);
  EXPECT_TRUE(verdict.put_off);
  EXPECT_EQ(20, verdict.wake_in_ms);
}

TEST(CommitDeferral, ABurstPastItsBoundStillWaitsOutTheWindow) {
  CommitDeferral deferral(/*window_ms=*/20);
  for (int i = 0; i < CommitDeferral::kMaxDeferredIterations; ++i) ASSERT_TRUE(put_off(deferral, true, kNow + 1));
  const auto verdict = deferral.decide(true, true, kNow + 2);
  EXPECT_TRUE(verdict.put_off);
  EXPECT_EQ(19, verdict.wake_in_ms);
  EXPECT_FALSE(put_off(deferral, true, kNow + 21)) << "a client that never stops sending holds it no longer";
}

}  // namespace
}  // namespace chat
