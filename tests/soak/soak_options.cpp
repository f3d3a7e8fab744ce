// chat_soak's flags, parsed with the flag splitting chat_bench uses.
#include "tests/soak/soak_options.hpp"

#include "tests/soak/kit_names.hpp"

namespace soak {
namespace {

const char kUsage[] =
    "Usage: chat_soak --port PORT [--server-pid PID] [options]\n"
    "Mixed traffic against a running chat server for a bounded time: honest chatters (every line\n"
    "checked at every receiver), churners that come and go, slow readers that stop reading, and\n"
    "hostile clients; prints the server's RSS, CPU and sockets every --report-every seconds.\n"
    "  --host ADDR          server address (default 127.0.0.1)\n"
    "  --port PORT          server port\n"
    "  --server-pid PID     read the server's RSS, CPU and sockets from /proc/PID; fail if it dies\n"
    "  --duration S         seconds of traffic (default 180)\n"
    "  --report-every S     seconds between progress lines (default 10)\n"
    "  --drain S            seconds to wait for lines in flight at the end (default 5)\n"
    "  --setup-timeout S    limit for the chatters to log in and join (default 30)\n"
    "  --seed N             random seed (default 1)\n"
    "  --chatters N --rooms N --chat-rate LINES_PER_S   honest chatters (default 200, 20, 0.5)\n"
    "  --fire-senders N --fire-readers N --fire-rate LINES_PER_S --fire-bytes N\n"
    "                       the busy room (default 8, 4, 10, 3000)\n"
    "  --slow-readers N     clients that stop reading for long spells (default 3)\n"
    "  --churners N         clients coming and going, present at once (default 30)\n"
    "  --hostile-rate N     hostile connections per second (default 2)\n"
    "Exit status: 0 no honest line lost, duplicated or reordered and the server alive; 1 a check\n"
    "failed; 2 usage; 3 setup failed.\n";

bool apply_count_flag(const std::string& name, double value, SoakOptions& o) {
  int* const counts[] = {&o.chatters, &o.rooms, &o.fire_senders, &o.fire_readers, &o.fire_bytes, &o.slow_readers,
                         &o.churners, &o.port};
  const char* const names[] = {"--chatters", "--rooms", "--fire-senders", "--fire-readers", "--fire-bytes",
                               "--slow-readers", "--churners", "--port"};
  for (std::size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
    if (name == names[i]) return *counts[i] = static_cast<int>(value), true;
  }
  return false;
}

bool apply_number_flag(const std::string& name, double value, SoakOptions& o) {
  double* const numbers[] = {&o.duration_s, &o.report_every_s, &o.drain_s, &o.setup_timeout_s,
                             &o.chat_rate,  &o.fire_rate,      &o.hostile_rate};
  const char* const names[] = {"--duration",  "--report-every", "--drain",       "--setup-timeout",
                               "--chat-rate", "--fire-rate",    "--hostile-rate"};
  for (std::size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
    if (name == names[i]) return *numbers[i] = value, true;
  }
  if (name == "--server-pid") return o.server_pid = static_cast<pid_t>(value), true;
  if (name == "--seed") return o.seed = static_cast<std::uint64_t>(value), true;
  return false;
}

bool consistent(const SoakOptions& o, std::string& message) {
  if (o.port <= 0) return message = "--port is required\n" + std::string(kUsage), false;
  if (o.chatters < 1 || o.rooms < 1 || o.rooms > o.chatters) {
    return message = "need 1 <= rooms <= chatters\n", false;
  }
  if (o.fire_senders < 1 || o.fire_bytes < 64 || o.report_every_s <= 0 || o.duration_s <= 0) {
    return message = "need --fire-senders >= 1, --fire-bytes >= 64, positive --duration and --report-every\n", false;
  }
  return true;
}

}  // namespace

bool parse_soak_options(int argc, char** argv, SoakOptions& options, std::string& message) {
  FlagList flags;
  if (!split_flags(argc, argv, kUsage, flags, message)) return false;
  for (const auto& [name, text] : flags) {
    if (name == "--host") {
      options.host = text;
      continue;
    }
    double value = 0;
    if (!to_number(text, value)) return message = name + " wants a number, not '" + text + "'\n", false;
    if (!apply_count_flag(name, value, options) && !apply_number_flag(name, value, options)) {
      return message = "unknown flag " + name + "\n" + kUsage, false;
    }
  }
  return consistent(options, message);
}

}  // namespace soak
