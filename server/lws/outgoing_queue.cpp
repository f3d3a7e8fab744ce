// The bound counts payload bytes only; each entry also costs a shared_ptr (16 bytes) in the
// vector, which the byte bound keeps proportionate.
#include "server/lws/outgoing_queue.hpp"

namespace chat {

bool OutgoingQueue::push(const SharedText& text) {
  if (bytes_ + text->size() > max_bytes_) return false;
  bytes_ += text->size();
  frames_.push_back(text);
  return true;
}

void OutgoingQueue::pop() {
  bytes_ -= frames_[head_]->size();
  frames_[head_].reset();  // release the frame now, not when the queue drains
  if (++head_ == frames_.size()) {
    frames_.clear();  // keeps the capacity: the next burst reuses it
    head_ = 0;
  }
}

void OutgoingQueue::clear() {
  std::vector<SharedText>().swap(frames_);  // also frees the storage
  head_ = 0;
  bytes_ = 0;
}

}  // namespace chat
