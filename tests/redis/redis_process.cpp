// RedisProcess: fork/exec of redis-server, readiness by PING (with a deadline, never a fixed
// sleep), and a small blocking hiredis client for the tests' own set-up commands.
#include "redis_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace chat_redis_test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "chat-redis-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

// A port the kernel has just handed out; another process could take it before redis-server binds,
// so the constructor retries with a new one if the server does not come up.
std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string render(const redisReply* reply) {
  switch (reply->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR: return std::string(reply->str, reply->len);
    case REDIS_REPLY_INTEGER: return std::to_string(reply->integer);
    case REDIS_REPLY_ARRAY: {
      std::string text = "[";
      for (std::size_t i = 0; i < reply->elements; ++i) text += (i ? ", " : "") + render(reply->element[i]);
      return text + "]";
    }
    default: return "(nil)";
  }
}

std::string redis_server_binary() {
  const char* path = std::getenv("CHAT_REDIS_SERVER");
  return path && *path ? path : "redis-server";
}

}  // namespace

RedisProcess::RedisProcess() : dir_(make_temp_dir()) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    port_ = free_port();
    spawn();
    if (wait_ready(milliseconds(30000))) return;
    stop();
  }
  const std::string log = log_tail();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
  throw std::runtime_error("redis-server (" + redis_server_binary() + ", installed by toolchains/setup.sh) did not " +
                           "answer PING on a loopback port; its log:\n" + log);
}

RedisProcess::~RedisProcess() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void RedisProcess::spawn() {
  const std::string binary = redis_server_binary();
  // appendfsync always: a write is on disk before Redis answers it or publishes it (the setting
  // that durable-before-visible needs, docs/CLUSTER.md). No RDB snapshots: the AOF is the truth.
  std::vector<std::string> args = {binary, "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                   "--dir", dir_.string(), "--appendonly", "yes", "--appendfsync", "always",
                                   "--save", "", "--daemonize", "no", "--logfile", (dir_ / "redis.log").string()};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test binary
    if (::getppid() != parent) ::_exit(127);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  if (pid_ < 0) throw std::runtime_error("fork failed");
}

bool RedisProcess::wait_ready(milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;  // exited: port taken, or redis-server missing
    }
    const timeval connect_timeout{0, 200 * 1000};
    redisContext* context = redisConnectWithTimeout("127.0.0.1", port_, connect_timeout);
    if (context != nullptr && context->err == 0) {
      auto* reply = static_cast<redisReply*>(redisCommand(context, "PING"));
      // While it loads its append-only file Redis answers -LOADING: not ready yet.
      const bool pong = reply != nullptr && reply->type == REDIS_REPLY_STATUS && std::string(reply->str) == "PONG";
      if (reply != nullptr) freeReplyObject(reply);
      redisFree(context);
      if (pong) return true;
    } else if (context != nullptr) {
      redisFree(context);
    }
    std::this_thread::sleep_for(milliseconds(20));  // a poll interval, not a wait for an outcome
  }
  return false;
}

void RedisProcess::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

void RedisProcess::start() {
  if (pid_ > 0) throw std::runtime_error("redis-server is still running");
  spawn();
  if (!wait_ready(milliseconds(30000))) {
    throw std::runtime_error("redis-server did not come back on port " + std::to_string(port_) + "; its log:\n" +
                             log_tail());
  }
}

void RedisProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGCONT);  // in case a test left it paused
  ::kill(pid_, SIGTERM);
  const auto deadline = Clock::now() + milliseconds(10000);
  int status = 0;
  while (Clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  kill9();
}

void RedisProcess::pause() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void RedisProcess::resume() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

std::string RedisProcess::command(const std::vector<std::string>& argv) const {
  const timeval timeout{10, 0};
  redisContext* context = redisConnectWithTimeout("127.0.0.1", port_, timeout);
  if (context == nullptr || context->err != 0) {
    if (context != nullptr) redisFree(context);
    throw std::runtime_error("cannot reach the test redis-server on port " + std::to_string(port_));
  }
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
  for (const auto& arg : argv) {
    pointers.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context, static_cast<int>(argv.size()), pointers.data(), lengths.data()));
  if (reply == nullptr) {
    redisFree(context);
    throw std::runtime_error("the test redis-server dropped the connection");
  }
  std::string text = render(reply);
  freeReplyObject(reply);
  redisFree(context);
  return text;
}

std::string RedisProcess::log_tail() const {
  std::ifstream in(dir_ / "redis.log");
  std::stringstream all;
  all << in.rdbuf();
  const std::string text = all.str();
  return text.size() > 4000 ? "..." + text.substr(text.size() - 4000) : text;
}

}  // namespace chat_redis_test
