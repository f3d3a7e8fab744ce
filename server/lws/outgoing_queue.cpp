// The bound counts payload bytes only; each entry also costs a shared_ptr (16 bytes) in the deque,
// which the byte bound keeps proportionate.
#include "server/lws/outgoing_queue.hpp"

namespace chat {

bool OutgoingQueue::push(const SharedText& text) {
  if (bytes_ + text->size() > max_bytes_) return false;
  bytes_ += text->size();
  frames_.push_back(text);
  return true;
}

void OutgoingQueue::pop() {
  bytes_ -= frames_.front()->size();
  frames_.pop_front();
}

void OutgoingQueue::clear() {
  std::deque<SharedText>().swap(frames_);  // also frees the deque's blocks
  bytes_ = 0;
}

}  // namespace chat
