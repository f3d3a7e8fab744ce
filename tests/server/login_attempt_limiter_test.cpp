// LoginAttemptLimiter: attempts spaced per name and per address, doubling delays, refusals with a
// retry time, successes taken back, bounded memory. On a fake clock: nothing sleeps.
#include "server/accounts/login_attempt_limiter.hpp"

#include <gtest/gtest.h>

#include "fakes/fake_clock.hpp"

namespace chat {
namespace {

constexpr AttemptSpacing kLoose{1000, 1, 1, 1000, 60'000};  // a kind of key that never limits

LoginAttemptPolicy names_only(std::int64_t max_hold_ms = 1'000'000) {
  LoginAttemptPolicy policy;
  policy.per_name = {3, 1'000, 60'000, 6, 15 * 60'000};
  policy.per_address = kLoose;
  policy.max_hold_ms = max_hold_ms;
  return policy;
}

class LoginAttempts : public ::testing::Test {
 protected:
  LoginAttemptDecision attempt(const std::string& name, const std::string& address = "198.51.100.7") {
    return limiter.begin(name, address);
  }
  FakeClock clock;
  LoginAttemptLimiter limiter{names_only(), clock};
};

TEST_F(LoginAttempts, TheFirstAttemptsGoAtOnceThenEachWaitsTwiceAsLongAsTheOneBefore) {
  for (int i = 0; i < 3; ++i) {
    const auto decision = attempt("alice");
    EXPECT_FALSE(decision.refused);
    EXPECT_EQ(decision.wait_ms, 0) << i;
  }
  // Sent together, before any verdict: held to slots 1 s, then 2 s, then 4 s apart.
  EXPECT_EQ(attempt("alice").wait_ms, 1'000);
  EXPECT_EQ(attempt("alice").wait_ms, 3'000);
  EXPECT_EQ(attempt("alice").wait_ms, 7'000);
  const auto seventh = attempt("alice");
  EXPECT_TRUE(seventh.refused);
  EXPECT_EQ(seventh.wait_ms, 15'000);  // the 7th slot: 8 s after the 6th
  EXPECT_EQ(attempt("bob").wait_ms, 0);  // another name is not affected
}

TEST_F(LoginAttempts, AGuesserWhoWaitsForEachSlotSettlesAtTheCappedDelay) {
  std::int64_t last_wait = 0;
  for (int i = 0; i < 20; ++i) {
    const auto early = attempt("alice");
    if (early.wait_ms > 0) {
      clock.now += early.wait_ms;  // comes back exactly when told
      last_wait = early.wait_ms;
    }
    ASSERT_FALSE(attempt("alice").refused) << i;
  }
  EXPECT_EQ(last_wait, 60'000);
  clock.now += 59'999;
  const auto early = attempt("alice");
  EXPECT_TRUE(early.refused);
  EXPECT_EQ(early.wait_ms, 1);
}

TEST_F(LoginAttempts, ARefusedAttemptCountsNothing) {
  for (int i = 0; i < 6; ++i) ASSERT_FALSE(attempt("alice").refused);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(attempt("alice").wait_ms, 15'000);
  clock.now += 15'000;
  const auto at_slot = attempt("alice");
  EXPECT_FALSE(at_slot.refused);
  EXPECT_EQ(at_slot.wait_ms, 0);
}

TEST_F(LoginAttempts, ASuccessStartsTheNameOver) {
  for (int i = 0; i < 5; ++i) ASSERT_FALSE(attempt("alice").refused);
  limiter.succeeded("alice", "198.51.100.7");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(attempt("alice").wait_ms, 0) << i;
  EXPECT_EQ(attempt("alice").wait_ms, 1'000);
}

TEST_F(LoginAttempts, AnAbandonedAttemptIsGivenBack) {
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(attempt("alice").refused);
  limiter.abandoned("alice", "198.51.100.7");  // e.g. the hasher was busy: no verdict
  EXPECT_EQ(attempt("alice").wait_ms, 0);
  EXPECT_EQ(attempt("alice").wait_ms, 1'000);
}

TEST_F(LoginAttempts, AnAttemptIsNeverHeldLongerThanTheHoldLimit) {
  LoginAttemptLimiter strict(names_only(2'500), clock);
  for (int i = 0; i < 4; ++i) ASSERT_FALSE(strict.begin("alice", "a").refused);  // the 4th waits 1 s
  const auto fifth = strict.begin("alice", "a");
  EXPECT_TRUE(fifth.refused);  // it would wait 3 s
  EXPECT_EQ(fifth.wait_ms, 3'000);
}

TEST(LoginAttemptsPerAddress, OneAddressIsSpacedAcrossNamesAndASuccessGivesBackOnlyItsOwnAttempt) {
  FakeClock clock;
  LoginAttemptPolicy policy;
  policy.per_name = kLoose;
  policy.per_address = {2, 500, 60'000, 4, 15 * 60'000};
  LoginAttemptLimiter limiter(policy, clock);
  EXPECT_EQ(limiter.begin("n1", "a").wait_ms, 0);
  EXPECT_EQ(limiter.begin("n2", "a").wait_ms, 0);
  EXPECT_EQ(limiter.begin("n3", "a").wait_ms, 500);  // a new name each time does not help
  EXPECT_EQ(limiter.begin("n1", "b").wait_ms, 0);    // another address is not affected
  // Back to two counted: the slot already given (500 ms) stands, but the delay after it is the
  // second one's, 500 ms, not the third's, 1 s.
  limiter.succeeded("n3", "a");
  EXPECT_EQ(limiter.begin("n4", "a").wait_ms, 1'000);
  limiter.succeeded("n4", "a");
  limiter.succeeded("n2", "a");
  limiter.succeeded("n1", "a");  // every attempt of "a" succeeded: none is held against it
  EXPECT_EQ(limiter.begin("n5", "a").wait_ms, 0);
  EXPECT_EQ(limiter.begin("n6", "a").wait_ms, 0);
  EXPECT_EQ(limiter.begin("n7", "a").wait_ms, 500);
}

TEST_F(LoginAttempts, ANameQuietLongEnoughIsForgotten) {
  for (int i = 0; i < 6; ++i) ASSERT_FALSE(attempt("alice").refused);
  EXPECT_EQ(limiter.tracked_names(), 1u);
  clock.now += 15'000 + 15 * 60'000 - 1;  // its next slot, plus the quiet time, less 1 ms
  EXPECT_EQ(attempt("bob").wait_ms, 0);
  EXPECT_EQ(limiter.tracked_names(), 2u);
  clock.now += 1;
  EXPECT_EQ(attempt("carol").wait_ms, 0);
  EXPECT_EQ(limiter.tracked_names(), 2u);  // alice is gone: bob and carol
  for (int i = 0; i < 3; ++i) EXPECT_EQ(attempt("alice").wait_ms, 0) << i;
}

TEST(LoginAttemptsMemory, PastTheCapTheLeastRecentlyTriedKeyStartsOver) {
  FakeClock clock;
  LoginAttemptPolicy policy = names_only();
  policy.per_name = {1, 1'000, 60'000, 1, 15 * 60'000};
  policy.max_tracked = 3;
  LoginAttemptLimiter limiter(policy, clock);
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(limiter.begin("n" + std::to_string(i), "a" + std::to_string(i)).refused);
    clock.now += 1;
  }
  EXPECT_EQ(limiter.tracked_names(), 3u);
  EXPECT_EQ(limiter.tracked_addresses(), 3u);
  EXPECT_EQ(limiter.begin("n0", "z").wait_ms, 0);   // evicted: starts over
  EXPECT_TRUE(limiter.begin("n4", "z").refused);    // still tracked
}

}  // namespace
}  // namespace chat
