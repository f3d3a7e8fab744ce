// KeyboardQueue: keys and text that came faster than frames reach ImGui in their order, each key
// seen down for a frame, one editing key a frame.
#include "app/keyboard_queue.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chat::client {
namespace {

constexpr int kCtrl = 341;  // GLFW's codes, as the page's events carry them
constexpr int kShift = 340;
constexpr int kA = 65;
constexpr int kBackspace = 259;
constexpr int kEnter = 257;

KeyboardEvent down(int key) { return KeyboardEvent::press(key, 0, key == kCtrl || key == kShift); }
KeyboardEvent up(int key) { return KeyboardEvent::release(key, 0, key == kCtrl || key == kShift); }

// One frame's events written down as "+key", "-key" or "'text'", space separated.
std::string describe(const std::vector<KeyboardEvent>& frame) {
  std::string out;
  for (const KeyboardEvent& event : frame) {
    if (!out.empty()) out += ' ';
    switch (event.kind) {
      case KeyboardEvent::Kind::press: out += '+' + std::to_string(event.key); break;
      case KeyboardEvent::Kind::release: out += '-' + std::to_string(event.key); break;
      case KeyboardEvent::Kind::text: out += '\'' + event.text + '\''; break;
    }
  }
  return out;
}

std::vector<std::string> frames_of(KeyboardQueue& queue) {
  std::vector<std::string> frames;
  while (!queue.empty()) frames.push_back(describe(queue.take_frame()));
  return frames;
}

std::string str(int key) { return std::to_string(key); }

TEST(KeyboardQueue, CtrlLetGoAtOnceAfterATapIsStillHeldWhileTheTapIsSeen) {
  // Ctrl went down in an earlier frame; A down, A up and Ctrl up then came before the next one.
  KeyboardQueue queue;
  queue.push(down(kCtrl));
  EXPECT_EQ(describe(queue.take_frame()), "+" + str(kCtrl));
  queue.push(down(kA));
  queue.push(up(kA));
  queue.push(up(kCtrl));
  EXPECT_EQ(frames_of(queue), (std::vector<std::string>{"+" + str(kA), "-" + str(kA) + " -" + str(kCtrl)}));
}

TEST(KeyboardQueue, OneEditingKeyAFrameInTheOrderTheyCame) {
  // Ctrl+A then Backspace in one frame: ImGui would take Backspace alone, and the field would
  // lose one character instead of its text.
  KeyboardQueue queue;
  for (const KeyboardEvent& event : {down(kCtrl), down(kA), up(kA), up(kCtrl), down(kBackspace), up(kBackspace)}) {
    queue.push(event);
  }
  EXPECT_EQ(frames_of(queue), (std::vector<std::string>{
                                  "+" + str(kCtrl) + " +" + str(kA),
                                  "-" + str(kA) + " -" + str(kCtrl) + " +" + str(kBackspace),
                                  "-" + str(kBackspace)}));
}

TEST(KeyboardQueue, TextAfterAKeyWaitsForTheNextFrame) {
  // ImGui applies a frame's text before its keys: "x" typed after Backspace must come after it.
  KeyboardQueue queue;
  queue.push(KeyboardEvent::typed("ab"));
  queue.push(down(kBackspace));
  queue.push(KeyboardEvent::typed("x"));
  queue.push(up(kBackspace));
  EXPECT_EQ(frames_of(queue), (std::vector<std::string>{"'ab' +" + str(kBackspace), "'x' -" + str(kBackspace)}));
}

TEST(KeyboardQueue, TextIsSeenBeforeCtrlGoesDown) {
  // "hi" typed then Ctrl+V at once: ImGui ignores a frame's text if Ctrl is down as it ends.
  KeyboardQueue queue;
  queue.push(KeyboardEvent::typed("i"));
  queue.push(down(kCtrl));
  queue.push(down(kA));
  EXPECT_EQ(frames_of(queue), (std::vector<std::string>{"'i'", "+" + str(kCtrl) + " +" + str(kA)}));
}

TEST(KeyboardQueue, AModifierGoingDownJoinsTheKeyAfterIt) {
  // Shift+Enter: the Shift and the Enter are one frame, so the field sees Enter with Shift held.
  KeyboardQueue queue;
  queue.push(down(kShift));
  queue.push(down(kEnter));
  queue.push(up(kEnter));
  queue.push(up(kShift));
  EXPECT_EQ(frames_of(queue), (std::vector<std::string>{"+" + str(kShift) + " +" + str(kEnter),
                                                        "-" + str(kEnter) + " -" + str(kShift)}));
}

TEST(KeyboardQueue, AModifierTappedAloneIsSeenDownForAFrame) {
  KeyboardQueue queue;
  queue.push(down(kCtrl));
  queue.push(up(kCtrl));
  EXPECT_EQ(frames_of(queue), (std::vector<std::string>{"+" + str(kCtrl), "-" + str(kCtrl)}));
}

TEST(KeyboardQueue, PastTheCapTheNextFrameTakesEverything) {
  KeyboardQueue queue;
  for (std::size_t i = 0; i <= KeyboardQueue::kMaxQueued; i += 2) {
    queue.push(down(kBackspace));
    queue.push(up(kBackspace));
  }
  EXPECT_GT(queue.take_frame().size(), KeyboardQueue::kMaxQueued);
  EXPECT_TRUE(queue.empty());
}

TEST(KeyboardQueue, AnEmptyQueueGivesAnEmptyFrame) {
  KeyboardQueue queue;
  EXPECT_TRUE(queue.take_frame().empty());
}

}  // namespace
}  // namespace chat::client
