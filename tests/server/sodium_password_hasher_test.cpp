// SodiumPasswordHasher: Argon2id off the loop thread, completions through the poster, a hard cap on
// pending work, and a destruction that leaves nothing to run. Worker results are awaited as events
// (ManualPoster::wait_for_posts), never by sleeping.
#include "server/accounts/sodium_password_hasher.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <thread>

#include "fakes/manual_poster.hpp"

namespace chat {
namespace {

SodiumHasherOptions cheap(std::size_t threads, std::size_t capacity) {
  return SodiumHasherOptions{threads, capacity, ArgonCost::minimum()};
}

// One call's completion, awaited: the poster is drained until the hasher has answered.
std::string hash_of(SodiumPasswordHasher& hasher, ManualPoster& poster, const std::string& password) {
  std::optional<PasswordHash> result;
  const std::size_t answers = poster.posted() + 1;  // counted before the call: a worker may answer at once
  EXPECT_TRUE(hasher.hash(password, [&](PasswordHash hash) { result = std::move(hash); }));
  EXPECT_TRUE(poster.wait_for_posts(answers));
  poster.run_posted();
  EXPECT_TRUE(result && result->ok);
  return result ? result->hash : "";
}

PasswordCheck check(SodiumPasswordHasher& hasher, ManualPoster& poster, const std::string& stored,
                    const std::string& password) {
  std::optional<PasswordCheck> result;
  const std::size_t answers = poster.posted() + 1;
  EXPECT_TRUE(hasher.verify(stored, password, [&](PasswordCheck verdict) { result = verdict; }));
  EXPECT_TRUE(poster.wait_for_posts(answers));
  poster.run_posted();
  EXPECT_TRUE(result.has_value());
  return result.value_or(PasswordCheck{});
}

TEST(SodiumPasswordHasher, AHashVerifiesWithItsPasswordAtTheInteractiveLimits) {
  ManualPoster poster;
  SodiumPasswordHasher hasher(poster);
  const std::string stored = hash_of(hasher, poster, "correct horse battery staple");
  // Argon2id, 64 MiB, 2 passes: what the hash says of itself is what was asked for.
  EXPECT_EQ(stored.rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << stored;
  const PasswordCheck verdict = check(hasher, poster, stored, "correct horse battery staple");
  EXPECT_EQ(verdict.verdict, PasswordVerdict::match);
  EXPECT_FALSE(verdict.needs_rehash);
  EXPECT_EQ(hasher.pending(), 0u);
}

TEST(SodiumPasswordHasher, AWrongPasswordIsAMismatch) {
  ManualPoster poster;
  SodiumPasswordHasher hasher(poster, cheap(2, 8));
  const std::string stored = hash_of(hasher, poster, "correct horse battery staple");
  for (const char* wrong : {"correct horse battery stapl", "Correct horse battery staple", "", "correct horse battery staple "}) {
    EXPECT_EQ(check(hasher, poster, stored, wrong).verdict, PasswordVerdict::mismatch) << wrong;
  }
}

TEST(SodiumPasswordHasher, AHashIsNeverThePasswordNorHoldsItAndIsSaltedEachTime) {
  ManualPoster poster;
  SodiumPasswordHasher hasher(poster, cheap(2, 8));
  const std::string password = "hunter2hunter2";
  const std::string first = hash_of(hasher, poster, password);
  const std::string second = hash_of(hasher, poster, password);
  EXPECT_NE(first, password);
  EXPECT_EQ(first.find(password), std::string::npos);
  EXPECT_EQ(first.find("hunter2"), std::string::npos);
  EXPECT_NE(first, second);  // a fresh random salt per hash
  EXPECT_EQ(check(hasher, poster, second, password).verdict, PasswordVerdict::match);
}

TEST(SodiumPasswordHasher, AStoredHashThatCannotBeReadFailsRatherThanMismatches) {
  ManualPoster poster;
  SodiumPasswordHasher hasher(poster, cheap(1, 8));
  for (const std::string& stored : {std::string(""), std::string("hunter2"), std::string("$argon2id$v=19$m=65536,t=2,p=1$garbage"),
                                   std::string("$argon2id$\0x", 12), std::string(200, 'a')}) {
    EXPECT_EQ(check(hasher, poster, stored, "hunter2").verdict, PasswordVerdict::failed) << stored;
  }
}

TEST(SodiumPasswordHasher, AHashMadeWithOtherLimitsStillMatchesAndAsksToBeRehashed) {
  ManualPoster poster;
  SodiumPasswordHasher cheap_hasher(poster, cheap(1, 8));
  const std::string stored = hash_of(cheap_hasher, poster, "correct horse battery staple");
  SodiumPasswordHasher hasher(poster, SodiumHasherOptions{1, 8, ArgonCost::interactive()});
  const PasswordCheck verdict = check(hasher, poster, stored, "correct horse battery staple");
  EXPECT_EQ(verdict.verdict, PasswordVerdict::match);
  EXPECT_TRUE(verdict.needs_rehash);
}

TEST(SodiumPasswordHasher, PastItsCapacityACallIsRefusedAtOnceAndItsCompletionNeverRuns) {
  ManualPoster poster;  // not drained: every accepted call stays pending, however fast the workers
  SodiumPasswordHasher hasher(poster, cheap(1, 3));
  int completed = 0;
  int refused_completed = 0;
  EXPECT_TRUE(hasher.hash("password one", [&](PasswordHash) { ++completed; }));
  EXPECT_TRUE(hasher.verify("stored", "password two", [&](PasswordCheck) { ++completed; }));
  EXPECT_TRUE(hasher.hash("password three", [&](PasswordHash) { ++completed; }));
  EXPECT_EQ(hasher.pending(), 3u);
  EXPECT_FALSE(hasher.hash("password four", [&](PasswordHash) { ++refused_completed; }));
  EXPECT_FALSE(hasher.verify("stored", "password five", [&](PasswordCheck) { ++refused_completed; }));
  EXPECT_EQ(hasher.pending(), 3u);

  ASSERT_TRUE(poster.wait_for_posts(3));
  EXPECT_EQ(completed, 0);  // completions run on the loop only, never on a worker
  EXPECT_EQ(poster.run_posted(), 3u);
  EXPECT_EQ(completed, 3);
  EXPECT_EQ(refused_completed, 0);
  EXPECT_EQ(hasher.pending(), 0u);
  EXPECT_TRUE(hasher.hash("room again", [&](PasswordHash) { ++completed; }));
  ASSERT_TRUE(poster.wait_for_posts(4));
  poster.run_posted();
  EXPECT_EQ(completed, 4);
  EXPECT_EQ(poster.posted(), 4u);  // the refused calls never reached a worker
}

TEST(SodiumPasswordHasher, DestroyedWithWorkPendingItRunsNoCompletionEvenOnePostedBefore) {
  ManualPoster poster;
  int completions = 0;
  auto owner_state = std::make_unique<int>(0);  // freed before the poster drains: ASan sees any late use
  int* state = owner_state.get();
  {
    SodiumPasswordHasher hasher(poster, cheap(1, 16));
    for (int i = 0; i < 16; ++i) {
      ASSERT_TRUE(hasher.hash("password " + std::to_string(i), [&completions, state](PasswordHash) {
        ++completions;
        ++*state;
      }));
    }
    ASSERT_TRUE(poster.wait_for_posts(1));  // at least one answer is already waiting for the loop
  }  // the rest are queued or under way: dropped, or finished and posted before the join
  owner_state.reset();
  EXPECT_GE(poster.posted(), 1u);
  poster.run_posted();  // runs the posted completions: each must see the hasher gone and do nothing
  EXPECT_EQ(completions, 0);
}

TEST(SodiumPasswordHasher, ThreadsAreCappedAtTheCoreCount) {
  ManualPoster poster;
  SodiumPasswordHasher many(poster, cheap(1000, 8));
  EXPECT_LE(many.threads(), std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_GE(many.threads(), 1u);
  SodiumPasswordHasher none(poster, cheap(0, 8));
  EXPECT_EQ(none.threads(), 1u);
}

}  // namespace
}  // namespace chat
