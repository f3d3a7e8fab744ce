// The chat server's entry point: flags, wiring of core and edge, signals. No chat logic here.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "server/config.hpp"
#include "server/core/chat_service.hpp"
#include "server/log.hpp"
#include "server/lws/lws_server.hpp"
#include "server/store/sqlite_store.hpp"
#include "server/system.hpp"

int main(int argc, char** argv) {
  const auto command_line =
      chat::parse_command_line(std::vector<std::string>(argv + 1, argv + argc), [](const char* name) {
        return static_cast<const char*>(std::getenv(name));
      });
  if (!command_line.error.empty()) {
    std::fprintf(stderr, "chat_server: %s\n", command_line.error.c_str());
    return 2;
  }
  if (command_line.show_help) {
    std::fputs(chat::usage().c_str(), stdout);
    return 0;
  }
  const chat::ServerConfig& config = command_line.config;
  chat::set_log_level(config.log_level);

  // Declared first so it is destroyed last: the store's worker may still wake it while finishing.
  chat::LwsServer server(config);
  std::error_code ignored;
  std::filesystem::create_directories(config.data_dir, ignored);
  std::string error;
  auto store = chat::SqliteStore::open(config.data_dir, error);
  chat::StoredState stored;
  if (!store || !store->load(stored)) {
    chat::log_line(chat::LogLevel::error, "store: %s", error.empty() ? "cannot load" : error.c_str());
    return 1;
  }
  chat::log_line(chat::LogLevel::info, "store: %s/chat.db, %zu rooms", config.data_dir.c_str(), stored.rooms.size());

  chat::SystemClock clock;
  chat::SystemRandom random;
  chat::ServiceOptions options;
  options.limits = config.limits;
  options.name_grace_ms = config.name_grace_ms;
  chat::ChatService service(chat::Ports{server, *store, clock, random}, options);
  service.restore(stored);
  store->set_wake([&server] { server.wake(); });
  server.set_wake_handler([&store] { store->run_completions(); });
  if (!server.start(service)) return 1;
  // SIGINT/SIGTERM are handled by the server's loop (see LwsServer::run).
  std::signal(SIGPIPE, SIG_IGN);  // a peer that vanished mid-write is handled by the send's error

  // Tests and scripts read this line to learn the port (with --port 0 the kernel picks it).
  std::printf("listening on http://%s:%d/\n", config.host.c_str(), server.port());
  std::fflush(stdout);
  chat::log_line(chat::LogLevel::info, "serving %s, WebSocket on ws://%s:%d/ws", config.web_root.c_str(),
                 config.host.c_str(), server.port());
  server.run();
  chat::log_line(chat::LogLevel::info, "stopped");
  return 0;
}
