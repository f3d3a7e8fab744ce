#include "server/lws/descriptor_reserve.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "server/log.hpp"
#include "server/lws/socket_options.hpp"

namespace chat {

namespace {

// Set when lws fails to accept for want of descriptors (see the header).
std::atomic<bool> accept_failed_for_descriptors{false};

}  // namespace

// lws's connection table is sized from this; without it lws sizes it from `ulimit -n`, which can
// be a million entries. It must not be smaller than the limit: lws 4.1.6 then finds each socket's
// connection by a linear scan of the table (18 % of the CPU while 10 000 clients connect), and a
// descriptor numbered beyond the table corrupts it (the wrong connection is dropped).
unsigned fd_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 65536;
  return static_cast<unsigned>(std::min<rlim_t>(limit.rlim_cur, 1 << 20));
}

int find_listening_fd(int port) {
  std::error_code error;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end; it.increment(error)) {
    const int fd = std::atoi(it->path().filename().c_str());
    int listening = 0;
    socklen_t length = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &length) != 0 || !listening) continue;
    sockaddr_storage address{};
    socklen_t address_length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &address_length) != 0) continue;
    const int bound = address.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port)
                                                    : ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
    if (bound == port) return fd;
  }
  return -1;
}

bool says_accept_lacked_descriptors(std::string_view lws_log_line) {
  return lws_log_line == "accept: errno " + std::to_string(EMFILE) ||
         lws_log_line == "accept: errno " + std::to_string(ENFILE);
}

DescriptorReserve::~DescriptorReserve() {
  if (spare_fd_ >= 0) ::close(spare_fd_);
}

void DescriptorReserve::arm(int port) {
  listening_fd_ = find_listening_fd(port);
  spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

int DescriptorReserve::turn_away_waiting_connections() {
  if (listening_fd_ < 0) return -1;
  if (spare_fd_ >= 0) ::close(spare_fd_);
  int turned_away = 0;
  for (; turned_away < kMaxTurnedAwayPerIteration; ++turned_away) {
    const int fd = ::accept4(listening_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) break;
    reset_on_close(fd);
    ::close(fd);
  }
  spare_fd_ = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  log_line(LogLevel::warn, "out of file descriptors (ulimit -n %u): turned away %d waiting connections", fd_limit(),
           turned_away);
  return turned_away;
}

void DescriptorReserve::hear_lws_log(std::string_view line) {
  if (says_accept_lacked_descriptors(line)) accept_failed_for_descriptors = true;
}

bool DescriptorReserve::accept_lacked_descriptors() { return accept_failed_for_descriptors.exchange(false); }

}  // namespace chat
