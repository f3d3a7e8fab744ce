// Type=notify: started with NOTIFY_SOCKET (as systemd does), the server sends READY=1 once it
// listens, so systemd starts what is ordered after it only when the port is open.
#include <sys/socket.h>
#include <sys/un.h>
#include <poll.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "server_process.hpp"

namespace chat_it {
namespace {

// The datagram socket systemd would listen on, at a fresh path.
class NotifySocket {
 public:
  NotifySocket() : path_(std::filesystem::temp_directory_path() / ("chat-notify-" + std::to_string(::getpid()))) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path_.c_str(), sizeof address.sun_path - 1);
    std::filesystem::remove(path_);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      throw HarnessFailure(std::string("notify socket: ") + std::strerror(errno));
    }
  }
  ~NotifySocket() {
    ::close(fd_);
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  // The next datagram, or "" if none came within the timeout.
  std::string receive(milliseconds timeout) {
    pollfd ready{fd_, POLLIN, 0};
    if (::poll(&ready, 1, static_cast<int>(timeout.count())) != 1) return "";
    char buffer[4096];
    const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
    return got > 0 ? std::string(buffer, static_cast<std::size_t>(got)) : "";
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

TEST(ServiceNotify, ReadyIsSentOnceTheServerListens) {
  NotifySocket systemd;
  ::setenv("NOTIFY_SOCKET", systemd.path().c_str(), 1);  // the child inherits it
  auto server = std::make_unique<ServerProcess>();
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_EQ(systemd.receive(milliseconds(30000)), "READY=1");
  // Ready means listening: a connection is taken.
  EXPECT_NO_THROW(TestSocket::connect_loopback(server->port(), milliseconds(10000)));
  EXPECT_EQ(server->stop(), 0) << server->output();
  EXPECT_EQ(systemd.receive(milliseconds(0)), "") << "one READY=1 only";
}

}  // namespace
}  // namespace chat_it
