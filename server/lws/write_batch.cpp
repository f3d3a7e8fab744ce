#include "server/lws/write_batch.hpp"

#include "server/lws/websocket_frame.hpp"

namespace chat {

std::size_t fill_write_batch(std::string& out, OutgoingQueue& queue, bool ping_owed, std::size_t max_bytes) {
  const std::size_t start = out.size();
  if (ping_owed) append_ping_frame(out);
  while (!queue.empty() &&
         (out.size() == start || out.size() - start + text_frame_size(queue.front().size()) <= max_bytes)) {
    append_text_frame(out, queue.front());
    queue.pop();
  }
  return out.size() - start;
}

}  // namespace chat
