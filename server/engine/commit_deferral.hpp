// When the end of a loop iteration's group commit (and the writes that carry what it committed) is
// put off, for one of two reasons:
// - A burst: a client that just sent us data has more waiting in its socket (lws reads at most its
//   small receive buffer per iteration). Committing now would commit, and send each receiver, a
//   few lines at a time; a few iterations later one commit and one send per receiver carry the
//   whole burst. An idle socket ends that wait at once, and it is bounded in iterations, so a
//   client that never stops sending cannot hold everyone's lines.
// - The commit window (--commit-window, 0 by default: off): the first line waiting for a commit
//   waits up to that long for others, from any connection, to share its commit. Fewer, larger
//   commits cost the store less CPU; each line is seen up to the window later. Durable before
//   visible holds either way: nothing is sent before its commit.
// Pure: the program passes whether input is waiting and a monotonic time; it asks this before
// committing, and wakes the loop when the window ends.
#pragma once

#include <cstdint>
#include <optional>

namespace chat {

class CommitDeferral {
 public:
  static constexpr int kMaxDeferredIterations = 16;

  explicit CommitDeferral(std::int64_t window_ms = 0) : window_ms_(window_ms) {}

  struct Verdict {
    bool put_off = false;
    // > 0: nothing but the window's end may wake the loop; the caller wakes it in this many ms.
    std::int64_t wake_in_ms = 0;
  };
  // At the end of an iteration, with a monotonic clock's time in ms.
  Verdict decide(bool commit_waiting, bool more_input_waiting, std::int64_t now_ms);

 private:
  Verdict commit_now();

  std::int64_t window_ms_;
  int deferred_iterations_ = 0;
  std::optional<std::int64_t> waiting_since_ms_;  // when the oldest uncommitted work began waiting
};

}  // namespace chat
