// The chat server's entry point: flags, wiring of core and edge, signals. No chat logic here.
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "server/backup_command.hpp"
#include "server/config.hpp"
#include "server/core/chat_service.hpp"
#include "server/engine/commit_deferral.hpp"
#include "server/log.hpp"
#include "server/lws/lws_server.hpp"
#include "server/metrics_report.hpp"
#include "server/process_stats.hpp"
#include "server/service_notify.hpp"
#include "server/loop_password_hasher.hpp"
#include "server/sha256_hasher.hpp"
#include "server/node_engine.hpp"
#include "server/system.hpp"
#include "server/version.hpp"

namespace {

// lws would only say that the context failed: name the file and the reason before it gets there.
bool tls_files_readable(const chat::ServerConfig& config) {
  const std::pair<const char*, const std::string*> files[] = {{"--tls-cert", &config.tls_cert_file},
                                                                {"--tls-key", &config.tls_key_file}};
  for (const auto& [flag, path] : files) {
    if (path->empty()) continue;
    std::FILE* file = std::fopen(path->c_str(), "rb");
    if (!file) {
      chat::log_line(chat::LogLevel::error, "%s %s: %s", flag, path->c_str(), std::strerror(errno));
      return false;
    }
    std::fclose(file);
  }
  return true;
}

}  // namespace

// Each connection is a file descriptor: the usual soft limit (1024) would cap the server near a
// thousand clients. But not the whole hard limit either: lws 4.1.6 sizes its connection table from
// the soft limit, and Debian's build scans that whole table on every connect and close (a sanity
// check left compiled in): a 20 000-entry table was 10 % of the CPU while 10 000 clients
// connected, and a hard limit of a million would make it a hundred times worse. So the soft limit
// is what the connection cap needs, plus room for unfinished requests (up to 1 024), file
// downloads, the store and the loop.
constexpr rlim_t kDescriptorsBesideConnections = 2048;
constexpr rlim_t kConnectionsWithoutCap = 65536;  // --max-connections 0

void fit_descriptor_limit(const chat::ServerConfig& config) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t connections = config.max_connections ? config.max_connections : kConnectionsWithoutCap;
  const rlim_t wanted = std::min<rlim_t>(limit.rlim_max, connections + kDescriptorsBesideConnections);
  if (limit.rlim_cur == wanted) return;
  limit.rlim_cur = wanted;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    chat::log_line(chat::LogLevel::warn, "cannot set the file descriptor limit to %llu: %s",
                   static_cast<unsigned long long>(wanted), std::strerror(errno));
  }
}

// Tests and scripts read the "listening on" line to learn the port (with --port 0 the kernel picks it).
void announce_serving(const chat::ServerConfig& config, chat::LwsServer& server) {
  const bool tls = !config.tls_cert_file.empty();
  const std::string host = config.host.find(':') == std::string::npos ? config.host : "[" + config.host + "]";
  if (server.metrics_port() >= 0) {  // before "listening on": tests read it from stdout
    const std::string metrics_host =
        config.metrics_host.find(':') == std::string::npos ? config.metrics_host : "[" + config.metrics_host + "]";
    std::printf("metrics on http://%s:%d/metrics\n", metrics_host.c_str(), server.metrics_port());
  }
  std::printf("listening on %s://%s:%d/\n", tls ? "https" : "http", host.c_str(), server.port());
  std::fflush(stdout);
  chat::log_line(chat::LogLevel::info, "serving %s, WebSocket on %s://%s:%d/ws", config.web_root.c_str(),
                 tls ? "wss" : "ws", host.c_str(), server.port());
  server.mark_serving();
  chat::notify_service_ready();  // systemd's Type=notify: start the units that wait for us now
}

int main(int argc, char** argv) {
  const chat::EnvironmentLookup env = [](const char* name) { return static_cast<const char*>(std::getenv(name)); };
  if (argc > 1 && std::strcmp(argv[1], "backup") == 0) {
    return chat::run_backup_command(std::vector<std::string>(argv + 2, argv + argc), env);
  }
  const auto command_line = chat::parse_command_line(std::vector<std::string>(argv + 1, argv + argc), env);
  if (!command_line.error.empty()) {
    std::fprintf(stderr, "chat_server: %s\n", command_line.error.c_str());
    return 2;
  }
  if (command_line.show_help) {
    std::fputs(chat::usage().c_str(), stdout);
    return 0;
  }
  if (command_line.show_version) {
    std::puts(chat::version_line().c_str());
    return 0;
  }
  const chat::ServerConfig& config = command_line.config;
  chat::set_log_level(config.log_level);
  chat::set_log_format(config.log_format);
  chat::log_event(chat::LogLevel::info, "starting", {{"version", chat::version_line()}});
  fit_descriptor_limit(config);
  if (!tls_files_readable(config)) return 1;

  // Declared first so it is destroyed last: the engine finishes its last requests when stopped,
  // and their completions may still queue frames to the server.
  chat::LwsServer server(config);
  chat::StoredState stored;
  const auto node = chat::NodeEngine::open(config, stored);
  if (!node) return 1;

  chat::SystemClock clock;
  chat::SystemRandom random;
  chat::Sha256Hasher hasher;
  chat::ServiceOptions options;
  options.limits = config.limits;
  options.name_grace_ms = config.name_grace_ms;
  options.tokens.ttl_ms = config.token_ttl_ms;
  options.new_tokens_per_address_hour = config.new_tokens_per_address_hour;
  options.new_rooms_per_address_hour = config.new_rooms_per_address_hour;
  options.rates = config.rates;
  options.rates.enabled = !config.no_limits;
  options.max_rooms = config.max_rooms;
  options.max_accounts = config.max_accounts;
  options.new_accounts_per_address_hour = config.new_accounts_per_address_hour;
  options.max_room_members = config.max_room_members;
  options.max_conversations = config.max_conversations;
  options.new_conversations_per_hour = config.new_conversations_per_hour;
  options.typing_interval_ms = config.typing_interval_ms;
  // Argon2id off the loop (docs/ACCOUNTS.md, Passwords); it joins the loop once the server made it.
  chat::LoopPasswordHasher passwords;
  chat::ChatService service(chat::Ports{server, node->engine(), clock, random, hasher, passwords}, options);
  service.restore(stored);
  chat::CommitDeferral deferral(config.commit_window_ms);
  server.set_iteration_end_handler([&](const std::function<bool()>& more_input_waiting) {
    // A burst still arriving, or the commit window: their lines go in one commit. Nothing to
    // commit, nothing to wait for.
    const bool commit_waiting = node->commit_waiting();
    // The clock now, not the loop's time cached when the iteration began: a line read in this
    // iteration must wait the whole window.
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now().time_since_epoch()).count();
    const auto verdict = deferral.decide(commit_waiting, commit_waiting && more_input_waiting(), now_ms);
    if (verdict.put_off) {
      if (verdict.wake_in_ms > 0) server.wake_after(static_cast<std::uint64_t>(verdict.wake_in_ms));
      return false;
    }
    service.on_tick();  // its timers (rooms list, token sweep) queue work: committed in the same round
    node->end_of_iteration();
    return true;
  });
  server.set_shutdown_handler([&node, &passwords] {
    node->stop();
    passwords.stop();  // its wake-up handle would keep the loop from ending; no completion runs after
  });
  server.set_readiness_probe([&node, &options] { return node->unready_reason(options.max_store_backlog); });
  server.set_metrics_renderer([&] {
    return chat::render_metrics({service.metrics(), service.room_count(), server.metrics(), server.connection_count(),
                                 node->stats(), node->engine().pending(), chat::read_process_stats()});
  });
  if (!server.start(service)) return 1;
  // SIGINT/SIGTERM are handled by the server's loop (ServerLoop; see LwsServer::start_loop_handles).
  std::signal(SIGPIPE, SIG_IGN);  // a peer that vanished mid-write is handled by the send's error
  // "listening" (and systemd's ready) only once the engine can serve: a cluster node's links to
  // Redis are up (until then /readyz says why not and lines are refused).
  passwords.start(server.loop());
  node->start(server.loop(), [&] { announce_serving(config, server); });
  server.run();
  node->end_of_iteration();  // what the last loop iteration queued, while the core can still complete it
  chat::log_line(chat::LogLevel::info, "stopped");
  return 0;
}
