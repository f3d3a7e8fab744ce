#include "app/keyboard_queue.hpp"

#include <algorithm>
#include <utility>

namespace chat::client {

void KeyboardQueue::push(KeyboardEvent event) { queued_.push_back(std::move(event)); }

std::vector<KeyboardEvent> KeyboardQueue::take_frame() {
  std::vector<KeyboardEvent> frame;
  if (queued_.size() > kMaxQueued) {
    frame.assign(std::make_move_iterator(queued_.begin()), std::make_move_iterator(queued_.end()));
    queued_.clear();
    return frame;
  }
  std::vector<int> pressed;  // keys that went down in this frame
  bool typed = false;        // the frame holds text
  while (!queued_.empty()) {
    const KeyboardEvent& next = queued_.front();
    const bool pressed_here = std::find(pressed.begin(), pressed.end(), next.key) != pressed.end();
    if (next.kind == KeyboardEvent::Kind::release && pressed_here) break;
    if (next.modifier && typed) break;
    typed = typed || next.kind == KeyboardEvent::Kind::text;
    const bool ends_frame = next.kind == KeyboardEvent::Kind::press && !next.modifier;
    if (next.kind == KeyboardEvent::Kind::press) pressed.push_back(next.key);
    frame.push_back(std::move(queued_.front()));
    queued_.pop_front();
    if (ends_frame) break;
  }
  return frame;
}

}  // namespace chat::client
