// One connection's frames waiting for the socket, bounded in bytes so that a client that stops
// reading cannot grow the server's memory. No libwebsockets here: the edge drains it.
#pragma once

#include <cstddef>
#include <vector>

#include "server/ports/transport.hpp"

namespace chat {

class OutgoingQueue {
 public:
  explicit OutgoingQueue(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // False, queuing nothing, if the frame would take the queue past its bound.
  bool push(const SharedText& text);
  const std::string& front() const { return *frames_[head_]; }
  void pop();
  void clear();

  bool empty() const { return head_ == frames_.size(); }
  std::size_t bytes() const { return bytes_; }

 private:
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  // A vector consumed from head_, not a deque: libstdc++'s deque allocates ~600 bytes even when
  // empty, which every idle connection would pay. The vector is reset whenever it drains.
  std::vector<SharedText> frames_;
  std::size_t head_ = 0;
};

}  // namespace chat
