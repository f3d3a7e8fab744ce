// Reassembles one WebSocket message from the pieces libwebsockets delivers (fragments of a
// message, and chunks of a frame larger than the receive buffer), with a cap on the total size.
// A message that comes in one piece, as nearly all do, is not copied: message() is then a view
// of libwebsockets' own buffer, valid until the receive callback returns, and an idle connection
// holds no buffer of its own.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chat {

class MessageAssembler {
 public:
  explicit MessageAssembler(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  enum class Status {
    partial,    // more pieces to come
    complete,   // message() and binary() hold it
    too_large,  // over the cap: the caller closes the connection with 1009
  };
  // Adds a piece; the first piece of a message says whether it is binary, `last` whether it ends
  // the message.
  Status take(std::string_view piece, bool binary, bool last);
  bool binary() const { return binary_; }
  std::string_view message() const { return message_; }
  // Call once the message has been handled; the next piece starts a new message.
  void reset();

 private:
  std::size_t max_bytes_;
  std::string buffer_;
  std::string_view message_;  // once complete: the piece itself, or buffer_
  bool in_message_ = false;
  bool binary_ = false;
};

}  // namespace chat
