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
    std::uint64_t drop_after_ms = 10000;  // silent this long (and pinged kPongWindowMs ago): dropped
    std::uint64_t close_grace_ms = 2000;  // a decided close not sent by then: reset
    // The sweep runs every few milliseconds; a gap this long between two calls means the loop
    // did not run: no socket was read meanwhile.
    std::uint64_t stall_ms = 1000;
  };

  struct Peer {
    std::uint64_t last_heard_ms = 0;  // loop time of the last frame, pong or other sign of life
    bool ping_due = false;            // a ping is owed or was sent since then
    std::uint64_t pinged_ms = 0;      // loop time the ping was written; 0: not yet
    bool closing = false;             // a close was decided
    std::uint64_t closing_since_ms = 0;
  };

  enum class Verdict {
    fine,
    ping,   // silent past ping_after: owe it a ping (unless a sign of life is found now)
    drop,   // silent past drop_after, its ping unanswered for drop_after - ping_after (unless a
            // sign of life is found now)
    reset,  // its close frame was not taken within close_grace
  };

  // How long a ping is given for its answer.
  static constexpr std::uint64_t kPongWindowMs = 5000;
  // Pings after `ping_after_ms` of silence (--ping-after), each given kPongWindowMs to be answered.
  static Timing pinging_after(std::uint64_t ping_after_ms) {
    Timing timing;
    timing.ping_after_ms = ping_after_ms;
    timing.drop_after_ms = ping_after_ms + kPongWindowMs;
    return timing;
  }

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

  // Bytes a silent client must have acknowledged to count as reading (took_backlog).
  static constexpr std::uint64_t kBacklogBytes = 16 * 1024;
  // A client reading a long backlog cannot answer the ping queued behind it, but its TCP keeps
  // acknowledging what it reads: it is alive. A dead one acknowledges nothing. Only a backlog's
  // worth counts: a few bytes (the ping itself) are acknowledged by the peer's kernel even when
  // nobody reads them, which would keep a client that stopped answering alive for ever. The
  // kernel's count of acknowledged bytes sees the progress wherever the backlog sits (our queue,
  // lws's, the socket's). `acked_baseline` is the count when the peer was first seen silent
  // (0: not yet; then `acked_now` becomes it, and the answer is no).
  static bool took_backlog(std::uint64_t& acked_baseline, std::uint64_t acked_now);

 private:
  Timing timing_;
  std::uint64_t last_call_ms_ = 0;
  bool called_ = false;
};

}  // namespace chat
