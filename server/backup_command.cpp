// The data folder is found as the server finds it (--data-dir, else CHAT_DATA_DIR, else "data"),
// so that `sudo -u chat chat_server backup --to FILE` with the service's settings just works.
#include "server/backup_command.hpp"

#include <cstdio>
#include <filesystem>

#include "server/store/backup.hpp"

namespace chat {
namespace {

constexpr const char* kUsage =
    "Usage: chat_server backup [--data-dir DIR] --to FILE\n"
    "Copies DIR/chat.db (default: $CHAT_DATA_DIR, else data) to FILE, consistently, while the server runs.\n"
    "FILE must not exist. To restore: stop the server, remove DIR/chat.db, DIR/chat.db-wal and\n"
    "DIR/chat.db-shm, copy FILE to DIR/chat.db, start the server.\n";

}  // namespace

int run_backup_command(const std::vector<std::string>& args, const EnvironmentLookup& env) {
  const char* env_dir = env("CHAT_DATA_DIR");
  std::string data_dir = env_dir ? env_dir : "data";
  std::string to;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::string value;
    const auto eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name == "--help" || name == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (name != "--data-dir" && name != "--to") {
      std::fprintf(stderr, "chat_server backup: unknown argument '%s'\n%s", args[i].c_str(), kUsage);
      return 2;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "chat_server backup: %s needs a value\n", name.c_str());
        return 2;
      }
      value = args[++i];
    }
    (name == "--to" ? to : data_dir) = value;
  }
  if (to.empty()) {
    std::fprintf(stderr, "chat_server backup: --to FILE is required\n%s", kUsage);
    return 2;
  }
  std::string error;
  if (!backup_database(data_dir, to, error)) {
    std::fprintf(stderr, "chat_server backup: %s\n", error.c_str());
    return 1;
  }
  std::error_code ignored;
  std::printf("backed up %s/chat.db to %s (%llu bytes)\n", data_dir.c_str(), to.c_str(),
              static_cast<unsigned long long>(std::filesystem::file_size(to, ignored)));
  return 0;
}

}  // namespace chat
