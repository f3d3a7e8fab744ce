#include "server/lws/message_assembler.hpp"

namespace chat {

MessageAssembler::Status MessageAssembler::take(std::string_view piece, bool binary, bool last) {
  if (!in_message_) {
    in_message_ = true;
    binary_ = binary;
    if (last) {
      if (piece.size() > max_bytes_) return Status::too_large;
      message_ = piece;
      return Status::complete;
    }
  }
  if (buffer_.size() + piece.size() > max_bytes_) return Status::too_large;
  buffer_.append(piece);
  if (!last) return Status::partial;
  message_ = buffer_;
  return Status::complete;
}

// Pieced messages are rare (larger than lws's receive buffer, or fragmented): their buffer goes
// with them, so no connection keeps one while idle.
void MessageAssembler::reset() {
  in_message_ = false;
  message_ = {};
  std::string().swap(buffer_);
}

}  // namespace chat
