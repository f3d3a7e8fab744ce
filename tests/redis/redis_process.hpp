// RedisProcess: a private redis-server for one test, on a free loopback port with its own
// temporary folder (append-only file, fsync on every write), never the machine's own service.
// It can be killed (-9) and started again on the same port and folder, to test what survives.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace chat_redis_test {

class RedisProcess {
 public:
  RedisProcess();  // throws std::runtime_error (with the server's log) if it never answers PING
  ~RedisProcess();
  RedisProcess(const RedisProcess&) = delete;
  RedisProcess& operator=(const RedisProcess&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }

  void kill9();  // SIGKILL, and waits for the process to be gone
  void start();  // again, same port and folder; returns once it answers PING
  void stop();   // SIGTERM, bounded wait, then SIGKILL
  void pause();  // SIGSTOP: its connections stay open and nothing is answered
  void resume(); // SIGCONT

  // A blocking command on a fresh connection (test set-up only); the reply rendered as text
  // ("OK", "3", "(nil)", "ERR ...", arrays as "[a, b]"). Throws if Redis cannot be reached.
  std::string command(const std::vector<std::string>& argv) const;
  std::string log_tail() const;

 private:
  void spawn();
  bool wait_ready(std::chrono::milliseconds timeout);

  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace chat_redis_test
