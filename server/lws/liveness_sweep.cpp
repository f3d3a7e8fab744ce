// The order of the checks is the order of severity: an overdue close is reset whatever else, then
// silence past the drop time, then past the ping time.
#include "server/lws/liveness_sweep.hpp"

namespace chat {

bool LivenessSweep::stalled(std::uint64_t now_ms) {
  const bool gap = called_ && now_ms - last_call_ms_ > timing_.stall_ms;
  called_ = true;
  last_call_ms_ = now_ms;
  return gap;
}

LivenessSweep::Verdict LivenessSweep::judge(const Peer& peer, std::uint64_t now_ms) const {
  if (peer.closing && now_ms - peer.closing_since_ms >= timing_.close_grace_ms) return Verdict::reset;
  const std::uint64_t silent = now_ms - peer.last_heard_ms;
  if (silent >= timing_.ping_after_ms && !peer.ping_due && !peer.closing) return Verdict::ping;
  // Only a ping left unanswered for its whole window drops: a crowd that fell silent together is
  // pinged a slice at a time (SweepRotation's budget), more slowly on a starved loop, and the last
  // of it gets as long to answer as the first. Once dropped at 10 s of silence whether or not its
  // ping had gone out: 50 000 idle clients on a busy machine lost hundreds that were never pinged.
  const std::uint64_t answer_window = timing_.drop_after_ms - timing_.ping_after_ms;
  if (silent >= timing_.drop_after_ms && peer.pinged_ms != 0 && now_ms - peer.pinged_ms >= answer_window) {
    return Verdict::drop;
  }
  return Verdict::fine;
}

bool LivenessSweep::took_backlog(std::uint64_t& acked_baseline, std::uint64_t acked_now) {
  if (acked_baseline == 0) {
    acked_baseline = acked_now;
    return false;
  }
  return acked_now - acked_baseline >= kBacklogBytes;
}

}  // namespace chat
