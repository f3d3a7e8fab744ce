// FramePacer: a few frames after each change, none while idle.
#include "app/frame_pacer.hpp"

#include <gtest/gtest.h>

namespace chat::client {
namespace {

int frames_drawn_of(FramePacer& pacer, int animation_frames) {
  int drawn = 0;
  for (int i = 0; i < animation_frames; ++i) drawn += pacer.should_draw() ? 1 : 0;
  return drawn;
}

TEST(FramePacer, DrawsAFewFramesAfterAChangeThenNone) {
  FramePacer pacer;
  EXPECT_EQ(frames_drawn_of(pacer, 100), FramePacer::kFramesAfterChange);  // start-up
  EXPECT_EQ(frames_drawn_of(pacer, 600), 0);                               // idle: ten seconds
  pacer.wake();
  EXPECT_EQ(frames_drawn_of(pacer, 100), FramePacer::kFramesAfterChange);
  EXPECT_EQ(pacer.frames_drawn(), 2 * FramePacer::kFramesAfterChange);
}

TEST(FramePacer, ChangesInARowExtendTheFramesWithoutAddingUp) {
  FramePacer pacer;
  pacer.wake();
  pacer.wake();
  EXPECT_EQ(frames_drawn_of(pacer, 100), FramePacer::kFramesAfterChange);
}

}  // namespace
}  // namespace chat::client
