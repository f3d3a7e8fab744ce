#include "server/engine/commit_deferral.hpp"

namespace chat {

bool CommitDeferral::put_off(bool more_input_waiting) {
  if (more_input_waiting && deferred_iterations_ < kMaxDeferredIterations) {
    ++deferred_iterations_;
    return true;
  }
  deferred_iterations_ = 0;
  return false;
}

}  // namespace chat
