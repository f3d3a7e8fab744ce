// ResumeTokens' name reservations: a dropped v2 user's name, and every name colliding with it,
// stays theirs during the grace period.
#include "server/core/resume_tokens.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

constexpr std::int64_t kGrace = 60'000;

TEST(ResumeTokensReservation, CoversLookAlikesForOthersOnlyUntilGraceEnds) {
  ResumeTokens tokens(kGrace);
  tokens.reserve(name_keys("alice"), "t1", 0);
  for (const char* name : {"alice", "ALICE", "\u0251lice", "aIice", "\u1EA1lice"}) {
    EXPECT_TRUE(tokens.reserved_for_other(name_keys(name), "t2", 1)) << name;
    EXPECT_FALSE(tokens.reserved_for_other(name_keys(name), "t1", 1)) << name;
  }
  EXPECT_FALSE(tokens.reserved_for_other(name_keys("bob"), "t2", 1));
  EXPECT_FALSE(tokens.reserved_for_other(name_keys("alice"), "t2", kGrace));
}

TEST(ResumeTokensReservation, TakingTheNameBackUnderAnotherSpellingEndsTheWholeReservation) {
  ResumeTokens tokens(kGrace);
  tokens.reserve(name_keys("alice"), "t1", 0);
  tokens.unreserve(name_keys("ALICE"));  // identity key only
  EXPECT_FALSE(tokens.reserved_for_other(name_keys("aIice"), "t2", 1));  // its look-alike key is free too
}

TEST(ResumeTokensReservation, ATokenReservesOneNameAtATime) {
  ResumeTokens tokens(kGrace);
  tokens.reserve(name_keys("alice"), "t1", 0);
  tokens.reserve(name_keys("alicia"), "t1", 10);
  EXPECT_FALSE(tokens.reserved_for_other(name_keys("alice"), "t2", 11));
  EXPECT_TRUE(tokens.reserved_for_other(name_keys("alicia"), "t2", 11));
  EXPECT_FALSE(tokens.reserved_for_other(name_keys("alicia"), "t2", 10 + kGrace));
}

}  // namespace
}  // namespace chat
