// When a quiet WebSocket is pinged and when it is dropped, judged against the time the server could
// read: a loop that did not run (the process stopped, a starved machine) heard nobody, so a stall
// restarts everyone's silence instead of counting against them. Pure: times in, verdicts out.
#pragma once

#include <cstdint>

namespace chat {

class LivenessSweep {
 public:
  struct Timing {
    std::uint64_t ping_after_ms = 5000;   // silent this long: pinged
    std::uint64_t drop_after_ms = 10000;  // silent this long: dropped
    std::uint64_t close_grace_ms = 2000;  // a decided close not sent by then: reset
    // The sweep runs every few milliseconds; a gap this long between two calls means the loop
    // did not run: no socket was read meanwhile.
    std::uint64_t stall_ms = 1000;
  };

  struct Peer {
    std::uint64_t last_heard_ms = 0;  // loop time of the last frame, pong or other sign of life
    bool ping_due = false;            // a ping is owed or was sent since then
    bool closing = false;             // a close was decided
    std::uint64_t closing_since_ms = 0;
  };

  enum class Verdict {
    fine,
    ping,   // silent past ping_after: owe it a ping (unless a sign of life is found now)
    drop,   // silent past drop_after (unless a sign of life is found now)
    reset,  // its close frame was not taken within close_grace
  };

  LivenessSweep() = default;
  explicit LivenessSweep(Timing timing) : timing_(timing) {}

  // Called at each sweep before any judge(), and whenever else the loop runs: true when the
  // previous call was more than stall_ms ago. Then the caller restarts every connection's silence
  // at now_ms (and its handshakes').
  bool stalled(std::uint64_t now_ms);
  Verdict judge(const Peer& peer, std::uint64_t now_ms) const;
  // ping and drop are about silence: bytes the server has not read yet, or a peer reading a
  // backlog, overrule them. A reset is not.
  static bool about_silence(Verdict verdict) { return verdict == Verdict::ping || verdict == Verdict::drop; }

 private:
  Timing timing_;
  std::uint64_t last_call_ms_ = 0;
  bool called_ = false;
};

}  // namespace chat
