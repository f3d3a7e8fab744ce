// CommitDeferral: a burst still arriving puts the group commit off, for a bounded number of
// iterations; an idle socket commits at once.
#include "server/engine/commit_deferral.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

TEST(CommitDeferral, CommitsAtOnceWhenNoInputIsWaiting) {
  CommitDeferral deferral;
  EXPECT_FALSE(deferral.put_off(false));
  EXPECT_FALSE(deferral.put_off(false));
}

TEST(CommitDeferral, PutsOffWhileInputIsWaitingUntilTheBound) {
  CommitDeferral deferral;
  for (int i = 0; i < CommitDeferral::kMaxDeferredIterations; ++i) EXPECT_TRUE(deferral.put_off(true)) << i;
  EXPECT_FALSE(deferral.put_off(true));  // a client that never stops sending cannot hold the commit
  EXPECT_TRUE(deferral.put_off(true));   // the count starts again after each commit
}

TEST(CommitDeferral, AnIdleIterationEndsTheWaitAndRestartsTheCount) {
  CommitDeferral deferral;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(deferral.put_off(true));
  EXPECT_FALSE(deferral.put_off(false));
  for (int i = 0; i < CommitDeferral::kMaxDeferredIterations; ++i) EXPECT_TRUE(deferral.put_off(true)) << i;
  EXPECT_FALSE(deferral.put_off(true));
}

}  // namespace
}  // namespace chat
