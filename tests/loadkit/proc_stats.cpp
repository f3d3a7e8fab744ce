// /proc parsing: the stat line's fields after the command name (which may contain spaces), and
// VmRSS from status.
#include "tests/loadkit/proc_stats.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace loadkit {
namespace {

std::optional<std::int64_t> cpu_ns_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  const std::size_t close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 2));
  std::string skip;
  for (int field = 3; field < 14; ++field) fields >> skip;  // state .. cmajflt
  unsigned long long utime = 0, stime = 0;
  if (!(fields >> utime >> stime)) return std::nullopt;
  const long ticks = ::sysconf(_SC_CLK_TCK);
  return static_cast<std::int64_t>((utime + stime) * (1'000'000'000ULL / static_cast<unsigned long long>(ticks)));
}

std::optional<std::int64_t> rss_kb_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, 6, "VmRSS:") == 0) return std::stoll(line.substr(6));
  }
  return std::nullopt;
}

}  // namespace

std::optional<ProcSample> sample_process(pid_t pid) {
  const auto cpu = cpu_ns_of(pid);
  const auto rss = rss_kb_of(pid);
  if (!cpu || !rss) return std::nullopt;
  return ProcSample{*cpu, *rss};
}

int count_sockets(pid_t pid) {
  const std::string folder = "/proc/" + std::to_string(pid) + "/fd";
  DIR* dir = ::opendir(folder.c_str());
  if (!dir) return -1;
  int sockets = 0;
  char target[64];
  while (const dirent* entry = ::readdir(dir)) {
    const std::string link = folder + "/" + entry->d_name;
    const ssize_t size = ::readlink(link.c_str(), target, sizeof target - 1);
    if (size > 7 && std::strncmp(target, "socket:", 7) == 0) ++sockets;
  }
  ::closedir(dir);
  return sockets;
}

std::int64_t tcp_send_buffer_max(std::int64_t fallback) {
  std::ifstream in("/proc/sys/net/ipv4/tcp_wmem");
  std::int64_t minimum = 0, initial = 0, maximum = 0;
  return in >> minimum >> initial >> maximum ? maximum : fallback;
}

std::int64_t own_cpu_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::int64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::uint64_t raise_fd_limit(std::uint64_t wanted) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < wanted) {
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY || limit.rlim_max > wanted ? wanted : limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

}  // namespace loadkit
