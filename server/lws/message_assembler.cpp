#include "server/lws/message_assembler.hpp"

namespace chat {

MessageAssembler::Status MessageAssembler::take(std::string_view piece, bool binary, bool last) {
  if (!in_message_) {
    in_message_ = true;
    binary_ = binary;
    if (last) {
      if (piece.size() > max_bytes_) return Status::too_large;
      whole_ = piece;
      whole_piece_ = true;
      return Status::complete;
    }
  }
  if (buffer_.size() + piece.size() > max_bytes_) return Status::too_large;
  buffer_.append(piece);
  return last ? Status::complete : Status::partial;
}

// Pieced messages are rare (larger than lws's receive buffer, or fragmented): their buffer goes
// with them, so no connection keeps one while idle.
void MessageAssembler::reset() {
  in_message_ = false;
  whole_piece_ = false;
  whole_ = {};
  std::string().swap(buffer_);
}

}  // namespace chat
