// Reads a process's CPU time and resident memory from /proc/PID/stat and /proc/PID/status, and
// this process's own CPU time, so a run can report what the server and the generator cost.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace loadkit {

struct ProcSample {
  std::int64_t cpu_ns = 0;  // user + system
  std::int64_t rss_kb = 0;  // VmRSS
};

std::optional<ProcSample> sample_process(pid_t pid);
// Sockets among the process's open descriptors (/proc/PID/fd); -1 if unreadable.
int count_sockets(pid_t pid);
// The most a TCP socket's send buffer grows to by itself (the third field of
// /proc/sys/net/ipv4/tcp_wmem); `fallback` if unreadable.
std::int64_t tcp_send_buffer_max(std::int64_t fallback);
std::int64_t own_cpu_ns();
std::int64_t monotonic_ns();

// Raises RLIMIT_NOFILE to at least `wanted` if the hard limit allows; returns the new soft limit.
std::uint64_t raise_fd_limit(std::uint64_t wanted);

}  // namespace loadkit
