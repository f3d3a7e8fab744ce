// Runs the real chat_server binary as a child process on a kernel-chosen loopback port, with its
// own temporary web root and data folder, and stops it (SIGTERM, bounded wait, SIGKILL) at the end.
// It can be started again on the same data folder, to test what survives a stop or a crash.
// With CHAT_IT_ENGINE=redis in the environment, each ServerProcess also starts its own private
// redis-server and makes the server a one-node cluster on it (--redis); restart() keeps that Redis.
#pragma once

#include <sys/types.h>

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kit_names.hpp"

namespace chat_redis_test {
class RedisProcess;
}

namespace chat_it {

// True when the integration suite runs against a one-node cluster (CHAT_IT_ENGINE=redis).
bool engine_is_redis();

class ServerProcess {
 public:
  // Throws HarnessFailure unless the server prints its "listening on" line within the timeout.
  // extra_flags go after the harness's own (host, port, folders, log level), so they override them.
  // fd_limit > 0: the child runs with RLIMIT_NOFILE set to it (soft and hard), for EMFILE tests.
  explicit ServerProcess(std::vector<std::string> extra_flags = {}, int fd_limit = 0);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }  // for reading /proc/<pid> (memory, CPU time)
  const std::filesystem::path& web_root() const { return web_root_; }
  std::filesystem::path data_dir() const { return root_ / "data"; }  // --data-dir: chat.db lives here
  // The private Redis of a one-node cluster (CHAT_IT_ENGINE=redis); nullptr on SQLite.
  chat_redis_test::RedisProcess* redis() const { return redis_.get(); }

  void terminate();  // SIGTERM, returns at once
  void kill9();
  // The wait status once the process has exited, nullopt if it is still running at the deadline.
  std::optional<int> wait_exit(milliseconds timeout);
  // SIGTERM, wait up to `grace`, then SIGKILL; returns the wait status (cached after the first call).
  int stop(milliseconds grace = milliseconds(5000));
  bool exited() const { return status_.has_value(); }
  // Starts the binary again on the same web root and data folder (a new port) once the previous
  // process has exited; throws HarnessFailure if it is still running or never listens.
  void restart();

  // Everything the server wrote so far: stdout, then the tail of stderr.
  std::string output() const;
  // All the server wrote on stderr (its log) so far, across restarts.
  std::string log() const;
  static std::string describe_status(int status);

 private:
  void clean_up();
  void make_site();
  void spawn();
  void drain_stdout(int fd);
  void wait_for_port(milliseconds timeout);
  void start_and_wait();

  std::filesystem::path root_;
  std::unique_ptr<chat_redis_test::RedisProcess> redis_;  // outlives every start of the server
  std::vector<std::string> extra_flags_;
  int fd_limit_ = 0;
  std::filesystem::path web_root_;
  std::filesystem::path stderr_path_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::optional<int> status_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string stdout_;
  std::string earlier_stdout_;  // what the processes before a restart printed
  bool stdout_closed_ = false;
  std::thread reader_;
};

// The binary under test: CHAT_IT_SERVER from the environment if set, else the one CMake built.
std::string server_binary();
// True when that binary is built with the sanitizers (CHAT_IT_SANITIZED=1, set by ./test.sh when
// it runs this suite against the asan tree's server): many times slower, and most of its RSS is
// ASan's own.
bool server_is_sanitized();

}  // namespace chat_it
