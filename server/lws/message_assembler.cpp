// Memory: a connection that once sent a large message does not keep its buffer; after a message
// above kKeepCapacity the buffer is released, so idle connections cost almost nothing here.
#include "server/lws/message_assembler.hpp"

namespace chat {
namespace {
constexpr std::size_t kKeepCapacity = 4096;
}

bool MessageAssembler::append(std::string_view piece, bool binary) {
  if (!in_message_) {
    in_message_ = true;
    binary_ = binary;
  }
  if (buffer_.size() + piece.size() > max_bytes_) return false;
  buffer_.append(piece);
  return true;
}

void MessageAssembler::reset() {
  in_message_ = false;
  if (buffer_.capacity() > kKeepCapacity) {
    std::string().swap(buffer_);
  } else {
    buffer_.clear();
  }
}

}  // namespace chat
