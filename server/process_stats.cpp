// Zeros when /proc cannot be read (a chroot without it): the series stay, at 0.
#include "server/process_stats.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>

namespace chat {

ProcessStats read_process_stats() {
  ProcessStats stats;
  if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
    unsigned long long size = 0;
    unsigned long long resident = 0;
    if (std::fscanf(statm, "%llu %llu", &size, &resident) == 2) {
      stats.resident_bytes = resident * static_cast<unsigned long long>(::sysconf(_SC_PAGESIZE));
    }
    std::fclose(statm);
  }
  if (DIR* fds = ::opendir("/proc/self/fd")) {
    std::uint64_t count = 0;
    while (const dirent* entry = ::readdir(fds)) {
      if (entry->d_name[0] != '.') ++count;
    }
    ::closedir(fds);
    stats.open_descriptors = count > 0 ? count - 1 : 0;  // not the one this listing holds
  }
  return stats;
}

}  // namespace chat
