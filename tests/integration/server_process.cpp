// Child-process management for the integration tests. stdout is read by a thread until EOF so the
// server never blocks on a full pipe; stderr (the log) goes to a file shown when a test fails.
#include "server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "redis_process.hpp"

namespace chat_it {
namespace {

std::filesystem::path make_temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "chat-it-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw HarnessFailure("mkdtemp failed");
  return pattern;
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string read_tail(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  const std::string text = all.str();
  return text.size() > max_bytes ? "..." + text.substr(text.size() - max_bytes) : text;
}

}  // namespace

bool engine_is_redis() {
  const char* engine = std::getenv("CHAT_IT_ENGINE");
  return engine != nullptr && std::string(engine) == "redis";
}

bool server_is_sanitized() {
  const char* sanitized = std::getenv("CHAT_IT_SANITIZED");
  return sanitized != nullptr && std::string(sanitized) == "1";
}

std::string server_binary() {
  const char* override_path = std::getenv("CHAT_IT_SERVER");
  return override_path && *override_path ? override_path : CHAT_SERVER_BINARY;
}

ServerProcess::ServerProcess(std::vector<std::string> extra_flags, int fd_limit)
    : root_(make_temp_dir()), extra_flags_(std::move(extra_flags)), fd_limit_(fd_limit) {
  if (engine_is_redis()) {
    try {
      redis_ = std::make_unique<chat_redis_test::RedisProcess>();
    } catch (const std::exception& error) {
      clean_up();  // no destructor runs for a half-built object
      throw HarnessFailure(error.what());
    }
  }
  make_site();
  start_and_wait();
}

void ServerProcess::start_and_wait() {
  spawn();
  try {
    wait_for_port(milliseconds(10000));
  } catch (const HarnessFailure& failure) {
    stop(milliseconds(1000));
    const std::string text = std::string(failure.what()) + "\n--- server output ---\n" + output();
    clean_up();  // no destructor runs for a half-built object
    throw HarnessFailure(text);
  }
}

ServerProcess::~ServerProcess() { clean_up(); }

void ServerProcess::restart() {
  if (!status_) throw HarnessFailure("restart: the server is still running");
  if (reader_.joinable()) reader_.join();  // the old process's stdout has ended with it
  {
    std::lock_guard lock(mutex_);
    earlier_stdout_ += stdout_ + "[restarted]\n";
    stdout_.clear();
    stdout_closed_ = false;
  }
  status_.reset();
  pid_ = -1;
  start_and_wait();
}

void ServerProcess::clean_up() {
  if (pid_ > 0) stop(milliseconds(2000));
  if (reader_.joinable()) reader_.join();
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

void ServerProcess::make_site() {
  web_root_ = root_ / "web";
  std::filesystem::create_directories(web_root_);
  std::filesystem::create_directories(root_ / "data");
  write_file(web_root_ / "index.html", "<!doctype html><title>chat test</title><p>integration index</p>\n");
  // The wasm magic number and version, then bytes that are not valid UTF-8, as in a real module.
  write_file(web_root_ / "x.wasm", std::string("\0asm\x01\0\0\0\xff\xfe\x80\x81", 12));
  stderr_path_ = root_ / "server.stderr";
}

void ServerProcess::spawn() {
  const std::string binary = server_binary();
  std::vector<std::string> args = {binary, "--host", "127.0.0.1", "--port", "0", "--web-root", web_root_.string(),
                                   "--data-dir", (root_ / "data").string(), "--log-level", "info"};
  if (redis_) args.insert(args.end(), {"--redis", redis_->url()});
  args.insert(args.end(), extra_flags_.begin(), extra_flags_.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw HarnessFailure("pipe failed");
  const int err_fd = ::open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    // Only async-signal-safe calls until exec. The server dies with the test process.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(pipe_fds[1], STDOUT_FILENO);
    if (err_fd >= 0) ::dup2(err_fd, STDERR_FILENO);
    if (fd_limit_ > 0) {
      const rlimit limit{static_cast<rlim_t>(fd_limit_), static_cast<rlim_t>(fd_limit_)};
      if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) ::_exit(126);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  if (err_fd >= 0) ::close(err_fd);
  if (pid_ < 0) {
    ::close(pipe_fds[0]);
    throw HarnessFailure("fork failed");
  }
  reader_ = std::thread([this, fd = pipe_fds[0]] { drain_stdout(fd); });
}

void ServerProcess::drain_stdout(int fd) {
  char buffer[4096];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    std::lock_guard lock(mutex_);
    if (got <= 0) {
      stdout_closed_ = true;
      changed_.notify_all();
      break;
    }
    stdout_.append(buffer, static_cast<std::size_t>(got));
    changed_.notify_all();
  }
  ::close(fd);
}

void ServerProcess::wait_for_port(milliseconds timeout) {
  // The contract: exactly this line, flushed, once the server listens.
  static const std::regex kListening(R"((^|\n)listening on https?://(127\.0\.0\.1|\[::1\]):([0-9]{1,5})/\r?\n)");
  std::unique_lock lock(mutex_);
  std::smatch match;
  const bool found = changed_.wait_for(lock, timeout, [&] {
    return std::regex_search(stdout_, match, kListening) || stdout_closed_;
  });
  if (!found || match.empty()) {
    throw HarnessFailure(std::string("server ") + server_binary() + " printed no \"listening on " +
                         "http(s)://127.0.0.1:PORT/\" line " + (stdout_closed_ ? "before closing stdout" : "in time"));
  }
  port_ = static_cast<std::uint16_t>(std::stoi(match[3].str()));
  if (port_ == 0) throw HarnessFailure("server announced port 0");
}

void ServerProcess::terminate() {
  if (pid_ > 0 && !status_) ::kill(pid_, SIGTERM);
}

void ServerProcess::kill9() {
  if (pid_ > 0 && !status_) ::kill(pid_, SIGKILL);
}

std::optional<int> ServerProcess::wait_exit(milliseconds timeout) {
  const Deadline deadline = deadline_in(timeout);
  while (!status_ && pid_ > 0) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      status_ = status;
      break;
    }
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return status_;
}

int ServerProcess::stop(milliseconds grace) {
  if (pid_ <= 0) return -1;
  terminate();
  if (!wait_exit(grace)) {
    kill9();
    wait_exit(milliseconds(5000));
  }
  return status_.value_or(-1);
}

std::string ServerProcess::output() const {
  std::string text;
  {
    std::lock_guard lock(mutex_);
    text = "[stdout]\n" + earlier_stdout_ + stdout_;
  }
  text += "\n[stderr, tail]\n" + read_tail(stderr_path_, 6000);
  return redis_ ? text + "\n[redis-server log, tail]\n" + redis_->log_tail() : text;
}

std::string ServerProcess::log() const {
  std::ifstream in(stderr_path_, std::ios::binary);
  std::stringstream all;
  all << in.rdbuf();
  return all.str();
}

std::string ServerProcess::describe_status(int status) {
  if (status == -1) return "not reaped";
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by signal ") + ::strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace chat_it
