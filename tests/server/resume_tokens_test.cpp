// ResumeTokens: only the secret's hash is kept, tokens expire when unused, a name holds at most
// max_per_name tokens (the least recently used goes), and what goes is reported for the store;
// a dropped v2 user's name, and every name colliding with it, stays theirs during the grace period.
#include "server/core/resume_tokens.hpp"

#include <gtest/gtest.h>

#include "fakes/fake_clock.hpp"
#include "fakes/fake_hasher.hpp"
#include "server/names/name_keys.hpp"

namespace chat {
namespace {

constexpr std::int64_t kStart = 1'700'000'000'000;
constexpr std::int64_t kTtl = 10'000;

class ResumeTokensTest : public testing::Test {
 protected:
  ResumeTokens make(std::size_t max_per_name = 10, std::int64_t ttl = kTtl) {
    return ResumeTokens(60'000, TokenPolicy{ttl, max_per_name}, hasher_);
  }
  static std::string secret_of(const std::string& text) { return text.substr(text.find('.') + 1); }

  FakeHasher hasher_;
  CountingRandom random_;
};

TEST_F(ResumeTokensTest, KeepsTheSecretsHashNotTheSecret) {
  auto tokens = make();
  const auto issued = tokens.issue("alice", random_, kStart);
  ASSERT_EQ(issued.text.size(), 16u + 1 + 32);
  EXPECT_EQ(issued.text.substr(0, 16), issued.record.id);
  EXPECT_EQ(issued.record.secret_hash, hasher_.hash(secret_of(issued.text)));
  EXPECT_EQ(issued.record.secret_hash.find(secret_of(issued.text)), std::string::npos);
  EXPECT_EQ(issued.record.user, "alice");
  EXPECT_EQ(issued.record.last_used_ms, kStart);
  const StoredToken* found = tokens.verify(issued.text, kStart + 1);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->user, "alice");
  EXPECT_NE(found->secret_hash, secret_of(issued.text));
}

// The core renews with the record verify() gave: renew() replaces that record, so it must not
// read its arguments after that (a use after free, which the sanitizer tree catches).
TEST_F(ResumeTokensTest, RenewTakesItsArgumentsFromTheTokensOwnRecord) {
  auto tokens = make(1);
  const auto issued = tokens.issue("alice", random_, kStart);
  const StoredToken* found = tokens.verify(issued.text, kStart + 1);
  ASSERT_NE(found, nullptr);
  const StoredToken* renewed = tokens.renew(found->id, found->user, kStart + 2);
  ASSERT_NE(renewed, nullptr);
  EXPECT_EQ(renewed->id, issued.record.id);
  EXPECT_EQ(renewed->user, "alice");
  EXPECT_EQ(renewed->last_used_ms, kStart + 2);
  EXPECT_TRUE(tokens.take_revoked().empty());
}

TEST_F(ResumeTokensTest, RefusesAWrongSecretAMissingDotAndAnUnknownId) {
  auto tokens = make();
  const auto issued = tokens.issue("alice", random_, kStart);
  std::string wrong = issued.text;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_EQ(tokens.verify(wrong, kStart), nullptr);
  EXPECT_EQ(tokens.verify(issued.record.id, kStart), nullptr);
  EXPECT_EQ(tokens.verify(issued.record.id + "." + issued.record.secret_hash, kStart), nullptr);  // a stolen hash
  EXPECT_EQ(tokens.verify("0000000000000000." + secret_of(issued.text), kStart), nullptr);
  EXPECT_NE(tokens.verify(issued.text, kStart), nullptr);
}

TEST_F(ResumeTokensTest, RestoredTokensVerifyFromTheirHash) {
  auto first = make();
  const auto issued = first.issue("alice", random_, kStart);
  auto restarted = make();
  restarted.restore(issued.record);
  EXPECT_NE(restarted.verify(issued.text, kStart + 1), nullptr);
}

TEST_F(ResumeTokensTest, ATokenUnusedForTheTtlIsRefusedAndReportedGone) {
  auto tokens = make();
  const auto issued = tokens.issue("alice", random_, kStart);
  EXPECT_NE(tokens.verify(issued.text, kStart + kTtl - 1), nullptr);
  EXPECT_TRUE(tokens.take_revoked().empty());
  EXPECT_EQ(tokens.verify(issued.text, kStart + kTtl), nullptr);
  EXPECT_EQ(tokens.take_revoked(), std::vector<std::string>{issued.record.id});
  EXPECT_EQ(tokens.size(), 0u);
}

TEST_F(ResumeTokensTest, UseRenewsTheTtl) {
  auto tokens = make();
  const auto issued = tokens.issue("alice", random_, kStart);
  ASSERT_NE(tokens.renew(issued.record.id, "alice", kStart + kTtl - 1), nullptr);  // a resume
  EXPECT_NE(tokens.verify(issued.text, kStart + 2 * kTtl - 2), nullptr);
  EXPECT_EQ(tokens.renew("unknown", "alice", kStart), nullptr);
}

TEST_F(ResumeTokensTest, SweepRemovesTheExpiredOldestFirstAtMostMax) {
  auto tokens = make();
  std::vector<ResumeTokens::Issued> issued;
  for (int i = 0; i < 5; ++i) issued.push_back(tokens.issue("u" + std::to_string(i), random_, kStart + i));
  tokens.sweep(kStart + kTtl - 1, 100);
  EXPECT_EQ(tokens.size(), 5u);
  tokens.sweep(kStart + kTtl + 3, 2);  // four are expired, two may go
  EXPECT_EQ(tokens.take_revoked(), (std::vector<std::string>{issued[0].record.id, issued[1].record.id}));
  tokens.sweep(kStart + kTtl + 3, 100);
  EXPECT_EQ(tokens.take_revoked(), (std::vector<std::string>{issued[2].record.id, issued[3].record.id}));
  EXPECT_EQ(tokens.size(), 1u);
  EXPECT_NE(tokens.verify(issued[4].text, kStart + kTtl + 3), nullptr);
}

TEST_F(ResumeTokensTest, ZeroTtlNeverExpires) {
  auto tokens = make(10, 0);
  const auto issued = tokens.issue("alice", random_, kStart);
  tokens.sweep(kStart + 100LL * 365 * 24 * 3'600'000, 100);
  EXPECT_NE(tokens.verify(issued.text, kStart + 100LL * 365 * 24 * 3'600'000), nullptr);
}

TEST_F(ResumeTokensTest, ANameHoldsAtMostMaxTokensTheLeastRecentlyUsedGoes) {
  auto tokens = make(3);
  const auto a = tokens.issue("alice", random_, kStart);
  const auto b = tokens.issue("alice", random_, kStart + 1);
  const auto c = tokens.issue("alice", random_, kStart + 2);
  tokens.issue("bob", random_, kStart + 3);  // another name does not count
  ASSERT_NE(tokens.renew(a.record.id, "alice", kStart + 4), nullptr);  // a is used again: b is now the oldest
  EXPECT_TRUE(tokens.take_revoked().empty());
  const auto d = tokens.issue("alice", random_, kStart + 5);
  EXPECT_EQ(tokens.take_revoked(), std::vector<std::string>{b.record.id});
  EXPECT_EQ(tokens.verify(b.text, kStart + 6), nullptr);
  for (const auto* kept : {&a, &c, &d}) EXPECT_NE(tokens.verify(kept->text, kStart + 6), nullptr);
  EXPECT_EQ(tokens.size(), 4u);
}

TEST_F(ResumeTokensTest, AllNamesTogetherHoldAtMostMaxTotalTheLeastRecentlyUsedGoes) {
  ResumeTokens tokens(60'000, TokenPolicy{kTtl, 10, 3}, hasher_);
  const auto a = tokens.issue("a", random_, kStart);
  const auto b = tokens.issue("b", random_, kStart + 1);
  const auto c = tokens.issue("c", random_, kStart + 2);
  ASSERT_NE(tokens.renew(a.record.id, "a", kStart + 3), nullptr);
  const auto d = tokens.issue("d", random_, kStart + 3);  // the same millisecond as a's use
  EXPECT_EQ(tokens.take_revoked(), std::vector<std::string>{b.record.id});
  std::vector<ResumeTokens::Issued> same_ms;
  for (int i = 0; i < 5; ++i) same_ms.push_back(tokens.issue("e" + std::to_string(i), random_, kStart + 9));
  EXPECT_EQ(tokens.size(), 3u);
  EXPECT_NE(tokens.verify(same_ms.back().text, kStart + 9), nullptr);  // the newest never goes
}

TEST_F(ResumeTokensTest, ARenameCountsTowardsTheNewNamesCap) {
  auto tokens = make(2);
  const auto a = tokens.issue("alice", random_, kStart);
  const auto b = tokens.issue("alice", random_, kStart + 1);
  const auto bob = tokens.issue("bob", random_, kStart + 2);
  ASSERT_NE(tokens.renew(bob.record.id, "alice", kStart + 3), nullptr);
  EXPECT_EQ(tokens.take_revoked(), std::vector<std::string>{a.record.id});
  EXPECT_EQ(tokens.verify(bob.text, kStart + 4)->user, "alice");
  EXPECT_NE(tokens.verify(b.text, kStart + 4), nullptr);
}

TEST_F(ResumeTokensTest, RestoreAppliesTheCapToTokensStoredBeforeIt) {
  auto first = make(100);
  std::vector<StoredToken> stored;
  for (int i = 0; i < 12; ++i) stored.push_back(first.issue("alice", random_, kStart + 11 - i).record);
  auto restarted = make(10);
  for (const auto& token : stored) restarted.restore(token);
  EXPECT_EQ(restarted.size(), 10u);
  EXPECT_EQ(restarted.take_revoked(), (std::vector<std::string>{stored[10].id, stored[11].id}));
}

// Reservations are held for tokens that exist: t1 and t2 below are real tokens.
class ResumeTokensReservation : public ResumeTokensTest {
 protected:
  void SetUp() override {
    t1_ = tokens_.issue("alice", random_, 0).record.id;
    t2_ = tokens_.issue("bob", random_, 0).record.id;
  }
  static constexpr std::int64_t kGrace = 60'000;
  ResumeTokens tokens_ = make(10, 0);
  std::string t1_;
  std::string t2_;
};

TEST_F(ResumeTokensReservation, CoversLookAlikesForOthersOnlyUntilGraceEnds) {
  tokens_.reserve(name_keys("alice"), t1_, 0);
  for (const char* name : {"alice", "ALICE", "\u0251lice", "aIice", "\u1EA1lice"}) {
    EXPECT_TRUE(tokens_.reserved_for_other(name_keys(name), t2_, 1)) << name;
    EXPECT_FALSE(tokens_.reserved_for_other(name_keys(name), t1_, 1)) << name;
  }
  EXPECT_FALSE(tokens_.reserved_for_other(name_keys("bob"), t2_, 1));
  EXPECT_FALSE(tokens_.reserved_for_other(name_keys("alice"), t2_, kGrace));
}

TEST_F(ResumeTokensReservation, TakingTheNameBackUnderAnotherSpellingEndsTheWholeReservation) {
  tokens_.reserve(name_keys("alice"), t1_, 0);
  tokens_.unreserve(name_keys("ALICE"));  // identity key only
  EXPECT_FALSE(tokens_.reserved_for_other(name_keys("aIice"), t2_, 1));  // its look-alike key is free too
}

TEST_F(ResumeTokensReservation, ATokenReservesOneNameAtATime) {
  tokens_.reserve(name_keys("alice"), t1_, 0);
  tokens_.reserve(name_keys("alicia"), t1_, 10);
  EXPECT_FALSE(tokens_.reserved_for_other(name_keys("alice"), t2_, 11));
  EXPECT_TRUE(tokens_.reserved_for_other(name_keys("alicia"), t2_, 11));
  EXPECT_FALSE(tokens_.reserved_for_other(name_keys("alicia"), t2_, 10 + kGrace));
}

// A revoked token brings nobody back: its reservation no longer holds the name.
TEST_F(ResumeTokensReservation, ARevokedTokensReservationFreesTheName) {
  auto capped = make(1, 0);
  const std::string first = capped.issue("alice", random_, 0).record.id;
  capped.reserve(name_keys("alice"), first, 0);
  const std::string other = capped.issue("bob", random_, 0).record.id;
  EXPECT_TRUE(capped.reserved_for_other(name_keys("alice"), other, 1));
  capped.issue("alice", random_, 2);  // a second token for alice: the first is revoked
  EXPECT_FALSE(capped.reserved_for_other(name_keys("alice"), other, 3));
}

}  // namespace
}  // namespace chat
