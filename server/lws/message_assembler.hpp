// Reassembles one WebSocket message from the pieces libwebsockets delivers (fragments of a
// message, and chunks of a frame larger than the receive buffer), with a cap on the total size.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chat {

class MessageAssembler {
 public:
  explicit MessageAssembler(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  // Adds a piece; the first piece of a message says whether it is binary. Returns false if the
  // message would exceed the cap (then the caller closes the connection with 1009).
  bool append(std::string_view piece, bool binary);
  bool binary() const { return binary_; }
  std::string_view message() const { return buffer_; }
  // Call once the message has been handled; the next append starts a new message.
  void reset();

 private:
  std::size_t max_bytes_;
  std::string buffer_;
  bool in_message_ = false;
  bool binary_ = false;
};

}  // namespace chat
