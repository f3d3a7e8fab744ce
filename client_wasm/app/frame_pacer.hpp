// Whether to draw this animation frame: only after something changed (input, network, a timer's
// visible effect, new glyphs), and then for a few frames, because ImGui settles a change over
// more than one frame (a scroll to the bottom, a popup, a hover). Idle, the page draws nothing.
#pragma once

namespace chat::client {

class FramePacer {
 public:
  static constexpr int kFramesAfterChange = 4;

  void wake() { left_ = kFramesAfterChange; }  // something changed: draw the next frames
  // Called once per animation frame; true: draw it.
  bool should_draw() {
    if (left_ <= 0) return false;
    --left_;
    ++drawn_;
    return true;
  }
  long frames_drawn() const { return drawn_; }

 private:
  int left_ = kFramesAfterChange;  // the first frames are drawn
  long drawn_ = 0;
};

}  // namespace chat::client
