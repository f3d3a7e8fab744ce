// What the edge does when the process runs out of file descriptors. lws 4.1.6, failing to accept
// for want of one (EMFILE, ENFILE), leaves the connection in the listen backlog: the listening
// socket stays readable and lws tries again at once, forever, at 100 % CPU, and its log line is
// the only sign it gives. As libuv and nginx do, one descriptor is held spare for that moment: it
// is let go, the connections waiting in the backlog are accepted with it and reset at once, until
// the backlog is empty and the listening socket quiet, and it is taken again. Those clients learn
// at once that the server is full, instead of hanging in the backlog while the loop spins.
// Plain POSIX calls on descriptors; no libwebsockets here.
#pragma once

#include <string_view>

namespace chat {

// The descriptor limit lws sizes its connection table from (notes in the .cpp).
unsigned fd_limit();
// The listening socket on `port` in this process (lws does not give its descriptor out); -1: none.
int find_listening_fd(int port);
// True for lws's log line (its line end removed) that says an accept failed for want of descriptors.
bool says_accept_lacked_descriptors(std::string_view lws_log_line);

class DescriptorReserve {
 public:
  static constexpr int kMaxTurnedAwayPerIteration = 1000;  // the loop must go on even under a flood

  DescriptorReserve() = default;
  ~DescriptorReserve();
  DescriptorReserve(const DescriptorReserve&) = delete;
  DescriptorReserve& operator=(const DescriptorReserve&) = delete;

  // Once listening: finds the listening socket on `port` and takes the spare descriptor.
  void arm(int port);
  // Lets the spare go, accepts and resets what waits in the backlog (at most
  // kMaxTurnedAwayPerIteration), takes the spare again and logs it. How many were turned away;
  // -1 (nothing done) when no listening socket was found.
  int turn_away_waiting_connections();

  // lws's log hook is process-wide, hence a process-wide flag: each log line is shown to
  // hear_lws_log, and the loop asks accept_lacked_descriptors (which clears it) once an iteration.
  static void hear_lws_log(std::string_view line);
  static bool accept_lacked_descriptors();

 private:
  int listening_fd_ = -1;
  int spare_fd_ = -1;
};

}  // namespace chat
