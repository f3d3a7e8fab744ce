#include "server/core/request_order.hpp"

#include <utility>

namespace chat {

bool RequestOrder::wait(ClientRequest request, std::size_t bytes) {
  bytes += kOverheadBytes;
  if (waiting_bytes_ + bytes > kMaxBytes) return false;
  waiting_bytes_ += bytes;
  if (!waiting_) waiting_ = std::make_unique<std::deque<Waiting>>();
  waiting_->push_back(Waiting{std::move(request), bytes});
  return true;
}

ClientRequest RequestOrder::next() {
  Waiting oldest = std::move(waiting_->front());
  waiting_->pop_front();
  waiting_bytes_ -= oldest.bytes;
  return std::move(oldest.request);
}

}  // namespace chat
