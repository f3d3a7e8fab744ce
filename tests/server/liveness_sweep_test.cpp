// LivenessSweep: ping after 5 s of silence, drop after 10 s, reset an untaken close after 2 s, and
// a stalled loop (a long gap between sweeps) detected so that it does not count as silence.
#include "server/lws/liveness_sweep.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

using Verdict = LivenessSweep::Verdict;

LivenessSweep::Peer heard_at(std::uint64_t ms) {
  LivenessSweep::Peer peer;
  peer.last_heard_ms = ms;
  return peer;
}

TEST(LivenessSweep, PingsAfterFiveSecondsAndDropsAfterTen) {
  const LivenessSweep sweep;
  EXPECT_EQ(sweep.judge(heard_at(1000), 5999), Verdict::fine);
  EXPECT_EQ(sweep.judge(heard_at(1000), 6000), Verdict::ping);
  auto pinged = heard_at(1000);
  pinged.ping_due = true;
  pinged.pinged_ms = 6000;
  EXPECT_EQ(sweep.judge(pinged, 8000), Verdict::fine);  // one ping per silence
  EXPECT_EQ(sweep.judge(pinged, 11000), Verdict::drop);
  EXPECT_TRUE(LivenessSweep::about_silence(Verdict::ping));
  EXPECT_TRUE(LivenessSweep::about_silence(Verdict::drop));
  EXPECT_FALSE(LivenessSweep::about_silence(Verdict::reset));
}

// --ping-after 30: pinged after 30 s of silence, dropped when that ping is 5 s unanswered.
TEST(LivenessSweep, ALongerPingPeriodKeepsTheFiveSecondAnswerWindow) {
  const LivenessSweep sweep(LivenessSweep::pinging_after(30000));
  EXPECT_EQ(sweep.judge(heard_at(1000), 30999), Verdict::fine);
  EXPECT_EQ(sweep.judge(heard_at(1000), 31000), Verdict::ping);
  auto pinged = heard_at(1000);
  pinged.ping_due = true;
  pinged.pinged_ms = 31000;
  EXPECT_EQ(sweep.judge(pinged, 35999), Verdict::fine);
  EXPECT_EQ(sweep.judge(pinged, 36000), Verdict::drop);
}

// A crowd is pinged a slice at a time: a ping that went out late still has its whole 5 s, and a
// ping owed but not yet written (the budget ran out) drops nobody.
TEST(LivenessSweep, OnlyAPingUnansweredForItsWholeWindowDrops) {
  const LivenessSweep sweep;
  auto late = heard_at(1000);
  late.ping_due = true;
  EXPECT_EQ(sweep.judge(late, 20000), Verdict::fine);  // owed, not yet written
  late.pinged_ms = 10500;
  EXPECT_EQ(sweep.judge(late, 11000), Verdict::fine);
  EXPECT_EQ(sweep.judge(late, 15499), Verdict::fine);
  EXPECT_EQ(sweep.judge(late, 15500), Verdict::drop);
  EXPECT_EQ(sweep.judge(heard_at(1000), 30000), Verdict::ping);  // silent long, never pinged: pinged first
}

TEST(LivenessSweep, AnUntakenCloseIsResetAfterTheGrace) {
  const LivenessSweep sweep;
  auto closing = heard_at(1000);
  closing.closing = true;
  closing.closing_since_ms = 2000;
  EXPECT_EQ(sweep.judge(closing, 3999), Verdict::fine);  // never pinged while closing
  EXPECT_EQ(sweep.judge(closing, 4000), Verdict::reset);
}

TEST(LivenessSweep, AGapBetweenSweepsIsAStall) {
  LivenessSweep sweep;
  EXPECT_FALSE(sweep.stalled(0));
  EXPECT_FALSE(sweep.stalled(10));
  EXPECT_FALSE(sweep.stalled(1010));  // a slow iteration, not yet a stall
  EXPECT_TRUE(sweep.stalled(13010));  // 12 s without a sweep: nothing was read meanwhile
  EXPECT_FALSE(sweep.stalled(13020));
}

// The rule the edge applies: after a stall every connection's silence restarts at the sweep's
// time, so a client heard 3 s before a 12 s stall is pinged 5 s after it, not dropped at once.
TEST(LivenessSweep, AfterAStallSilenceStartsAgain) {
  LivenessSweep sweep;
  sweep.stalled(3000);
  auto peer = heard_at(0);
  peer.ping_due = true;
  peer.pinged_ms = 5000;
  const std::uint64_t resumed = 15000;
  EXPECT_EQ(sweep.judge(peer, resumed), Verdict::drop);  // what the stall would have cost
  ASSERT_TRUE(sweep.stalled(resumed));
  peer = heard_at(resumed);
  EXPECT_EQ(sweep.judge(peer, resumed), Verdict::fine);
  EXPECT_EQ(sweep.judge(peer, resumed + 5000), Verdict::ping);
}

// A silent client whose TCP acknowledged a backlog's worth since it was first seen silent is
// reading: alive. The bytes of a ping or two are not enough.
TEST(LivenessSweep, APeerTakingABacklogIsAlive) {
  std::uint64_t baseline = 0;
  EXPECT_FALSE(LivenessSweep::took_backlog(baseline, 5000));  // first seen silent: the baseline
  EXPECT_EQ(baseline, 5000u);
  EXPECT_FALSE(LivenessSweep::took_backlog(baseline, 5006));  // the ping's bytes
  EXPECT_FALSE(LivenessSweep::took_backlog(baseline, 5000 + LivenessSweep::kBacklogBytes - 1));
  EXPECT_TRUE(LivenessSweep::took_backlog(baseline, 5000 + LivenessSweep::kBacklogBytes));
  EXPECT_EQ(baseline, 5000u);  // kept until the peer is heard from (the edge then zeroes it)
}

}  // namespace
}  // namespace chat
