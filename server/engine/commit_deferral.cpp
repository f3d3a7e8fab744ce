#include "server/engine/commit_deferral.hpp"

namespace chat {

CommitDeferral::Verdict CommitDeferral::decide(bool commit_waiting, bool more_input_waiting, std::int64_t now_ms) {
  if (!commit_waiting) return commit_now();
  if (!waiting_since_ms_) waiting_since_ms_ = now_ms;
  if (more_input_waiting && deferred_iterations_ < kMaxDeferredIterations) {
    ++deferred_iterations_;
    return {true, 0};  // the waiting input wakes the loop
  }
  const std::int64_t waited = now_ms - *waiting_since_ms_;
  if (waited < window_ms_) return {true, window_ms_ - waited};
  return commit_now();
}

CommitDeferral::Verdict CommitDeferral::commit_now() {
  deferred_iterations_ = 0;
  waiting_since_ms_.reset();
  return {false, 0};
}

}  // namespace chat
