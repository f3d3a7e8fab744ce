// The keyboard's events (keys and typed text) in the order the browser sent them, handed to ImGui
// a frame's worth at a time. ImGui 1.86 samples key state once per frame, and its text field
// applies one editing key per frame, after that frame's typed text. Events that come faster than
// frames (a script, a slow frame under load) would otherwise be seen in the wrong order or not at
// all: Ctrl let go before the A it was held for was seen, Backspace taken before the Ctrl+A
// that came first, a key down and up unseen in between. Pure: no ImGui, no browser.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <vector>

namespace chat::client {

struct KeyboardEvent {
  enum class Kind { press, release, text };
  Kind kind = Kind::text;
  int key = 0;            // press and release: the key's code (GLFW's)
  int mods = 0;           // press and release: GLFW's modifier bits, passed on (ImGui 1.86 reads its own)
  bool modifier = false;  // press and release: Ctrl, Shift, Alt or Super itself
  std::string text;       // text: UTF-8 typed or pasted by the page

  static KeyboardEvent press(int key, int mods, bool modifier) {
    return {Kind::press, key, mods, modifier, {}};
  }
  static KeyboardEvent release(int key, int mods, bool modifier) {
    return {Kind::release, key, mods, modifier, {}};
  }
  static KeyboardEvent typed(std::string text) { return {Kind::text, 0, 0, false, std::move(text)}; }
};

class KeyboardQueue {
 public:
  // A page that stops drawing (a hidden tab) must not pile up events: past this many the next
  // frame takes them all at once, as ImGui alone would have.
  static constexpr std::size_t kMaxQueued = 256;

  void push(KeyboardEvent event);

  // The events of the next frame, oldest first. A frame ends after a key other than a modifier
  // goes down (ImGui takes one such key a frame, and it sees the frame's text before its keys),
  // before a key goes up that went down in the same frame (it would never be seen down), and
  // before a modifier changes after text (ImGui drops a frame's text if Ctrl is down as it ends).
  std::vector<KeyboardEvent> take_frame();

  bool empty() const { return queued_.empty(); }

 private:
  std::deque<KeyboardEvent> queued_;
};

}  // namespace chat::client
