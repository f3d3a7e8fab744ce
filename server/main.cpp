// The chat server's entry point: flags, wiring of core and edge, signals. No chat logic here.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "server/config.hpp"
#include "server/core/chat_service.hpp"
#include "server/log.hpp"
#include "server/lws/lws_server.hpp"

namespace {

chat::LwsServer* g_server = nullptr;

void on_stop_signal(int) {
  if (g_server) g_server->request_stop();
}

void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a peer that vanished mid-write is handled by the send's error
}

}  // namespace

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

  chat::LwsServer server(config);
  chat::ChatService service(server, config.limits);
  if (!server.start(service)) return 1;
  g_server = &server;
  install_signal_handlers();

  // Tests and scripts read this line to learn the port (with --port 0 the kernel picks it).
  std::printf("listening on http://%s:%d/\n", config.host.c_str(), server.port());
  std::fflush(stdout);
  chat::log_line(chat::LogLevel::info, "serving %s, WebSocket on ws://%s:%d/ws", config.web_root.c_str(),
                 config.host.c_str(), server.port());
  server.run();
  g_server = nullptr;
  chat::log_line(chat::LogLevel::info, "stopped");
  return 0;
}
