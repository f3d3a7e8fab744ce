// Each flag is declared once in kFlags, which drives both parsing and --help, so the two cannot
// drift apart. Environment variables give defaults; flags override them.
#include "server/config.hpp"

#include <array>
#include <charconv>
#include <optional>

namespace chat {
namespace {

using Setter = std::optional<std::string> (*)(ServerConfig&, const std::string&);

struct Flag {
  const char* name;
  const char* env;
  const char* value_name;
  const char* help;
  Setter set;
};

std::optional<std::string> set_port(ServerConfig& config, const std::string& value) {
  int port = -1;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), port);
  if (ec != std::errc() || end != value.data() + value.size() || port < 0 || port > 65535) {
    return "--port wants a number from 0 to 65535, not '" + value + "'";
  }
  config.port = port;
  return std::nullopt;
}

std::optional<std::string> set_log_level(ServerConfig& config, const std::string& value) {
  const auto level = log_level_from_string(value);
  if (!level) return "--log-level wants error, warn, info or debug, not '" + value + "'";
  config.log_level = *level;
  return std::nullopt;
}

const std::array<Flag, 5> kFlags{{
    {"--host", "CHAT_HOST", "ADDRESS", "address to listen on (default 127.0.0.1)",
     [](ServerConfig& c, const std::string& v) -> std::optional<std::string> { c.host = v; return std::nullopt; }},
    {"--port", "CHAT_PORT", "PORT", "TCP port for HTTP and WebSocket (default 8080; 0 picks a free one)",
     set_port},
    {"--web-root", "CHAT_WEB_ROOT", "DIR", "folder served over HTTP: the web client (default web)",
     [](ServerConfig& c, const std::string& v) -> std::optional<std::string> { c.web_root = v; return std::nullopt; }},
    {"--data-dir", "CHAT_DATA_DIR", "DIR", "folder for stored data (default data)",
     [](ServerConfig& c, const std::string& v) -> std::optional<std::string> { c.data_dir = v; return std::nullopt; }},
    {"--log-level", "CHAT_LOG_LEVEL", "LEVEL", "error, warn, info or debug (default info)", set_log_level},
}};

const Flag* find_flag(const std::string& name) {
  for (const auto& flag : kFlags) {
    if (name == flag.name) return &flag;
  }
  return nullptr;
}

}  // namespace

CommandLine parse_command_line(const std::vector<std::string>& args, const EnvironmentLookup& env) {
  CommandLine result;
  for (const auto& flag : kFlags) {
    if (const char* value = env(flag.env)) {
      if (auto error = flag.set(result.config, value)) {
        result.error = std::string(flag.env) + ": " + *error;
        return result;
      }
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::optional<std::string> value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (name == "--help" || name == "-h") {
      result.show_help = true;
      continue;
    }
    const Flag* flag = find_flag(name);
    if (!flag) {
      result.error = "unknown argument '" + args[i] + "' (see --help)";
      return result;
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        result.error = name + " needs a value";
        return result;
      }
      value = args[++i];
    }
    if (auto error = flag->set(result.config, *value)) {
      result.error = *error;
      return result;
    }
  }
  return result;
}

std::string usage() {
  std::string text =
      "Usage: chat_server [options]\n"
      "Serves the chat's WebSocket protocol (on /ws and /) and the web client over HTTP on one port.\n\n"
      "Options (each can also be set by the environment variable shown):\n";
  for (const auto& flag : kFlags) {
    std::string left = std::string("  ") + flag.name + " " + flag.value_name;
    left.resize(std::max<std::size_t>(left.size() + 1, 24), ' ');
    text += left + flag.help + "  [" + flag.env + "]\n";
  }
  text += "  -h, --help            show this help\n";
  return text;
}

}  // namespace chat
