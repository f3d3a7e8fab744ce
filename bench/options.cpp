// Flag parsing: "--name value" or "--name=value"; scenario flags apply after --scenario so that
// "--scenario a --clients 50" means scenario a with 50 clients, in any order.
#include "bench/options.hpp"

#include "bench/kit_names.hpp"

#include <cstdlib>
#include <vector>

namespace bench {
namespace {

constexpr int kMaxSourceAddresses = 254;   // 127.0.0.1 to 127.0.0.254
constexpr int kMaxPrefillLines = 1'000'000;  // per room; a history far beyond what a join reads (50)

const char kUsage[] =
    "Usage: chat_bench [--mode load|parse-ceiling|peer] [--scenario a|b|c|d] (--port PORT | --url URL...) [options]\n"
    "  --host ADDR            server address (default 127.0.0.1)\n"
    "  --port PORT            server port (peer mode: port to listen on, 0 = any)\n"
    "  --url ws://ADDR:PORT/PATH  a server node, instead of --host/--port; give it once per node\n"
    "                         (a cluster): client i connects to the (i mod nodes)-th, client 0, which\n"
    "                         creates the rooms, to the first. ADDR is an IPv4 address; no PATH: /ws\n"
    "  --server-pid PID       read the server's CPU time and RSS from /proc/PID (one node only)\n"
    "  --warmup S             seconds of load before measuring (default 1)\n"
    "  --duration S           seconds measured (default 5)\n"
    "  --drain S              seconds to wait for lines in flight after the last send (default 3)\n"
    "  --setup-timeout S      limit for connecting, logging in and joining (default 60)\n"
    "  --connect-concurrency N  clients in their handshake/login at once (default 500)\n"
    "  --clients N --rooms N --senders N --rate LINES_PER_S --window N   override the scenario\n"
    "  --senders 0            hold mode: connect, log in, join, then hold every connection for\n"
    "                         --duration seconds (no warm-up, no lines) while the server's RSS is read\n"
    "  --source-addresses N   client g binds to 127.0.0.(1 + g mod N) (default 1: no bind); one source\n"
    "                         address has ~28 000 ephemeral ports\n"
    "  --first-client K       this process's clients are b<K>, b<K+1>, ...: several generator processes\n"
    "                         in one run (hold mode only), each with its own K\n"
    "  --create-rooms 0|1     0: the rooms r0.. exist already (another process made them): no creator,\n"
    "                         every client connects in the crowd and joins (default 1)\n"
    "  --protocol-version 1|2 the login's version (default 1); 2: history and members on every join,\n"
    "                         which then counts as done when the room's history frame arrives\n"
    "  --prefill N            the creator writes N lines into each room before the crowd connects (a\n"
    "                         history for the joins to read; default 0)\n"
    "Scenarios: a fan-out 100 clients/1 room/1 sender/window 100; b 1000/100/100 at 20/s;\n"
    "           c 10000/100/10 at 10/s; d 2/1/1 at 100/s.\n"
    "Exit status: 0 all lines delivered once and in order, 1 a check failed, 2 usage, 3 setup failed.\n";

bool apply_scenario_flag(const std::string& name, double value, ScenarioSpec& spec) {
  if (name == "--clients") spec.clients = static_cast<int>(value);
  else if (name == "--rooms") spec.rooms = static_cast<int>(value);
  else if (name == "--senders") spec.senders = static_cast<int>(value);
  else if (name == "--window") spec.window = static_cast<int>(value);
  else if (name == "--rate") spec.rate = value;
  else return false;
  return true;
}

bool apply_run_flag(const std::string& name, const std::string& text, double value, Options& options) {
  if (name == "--host") options.host = text;
  else if (name == "--port") options.port = static_cast<int>(value);
  else if (name == "--server-pid") options.server_pid = static_cast<pid_t>(value);
  else if (name == "--warmup") options.warmup_s = value;
  else if (name == "--duration") options.duration_s = value;
  else if (name == "--drain") options.drain_s = value;
  else if (name == "--setup-timeout") options.setup_timeout_s = value;
  else if (name == "--connect-concurrency") options.connect_concurrency = static_cast<int>(value);
  else if (name == "--source-addresses") options.source_addresses = static_cast<int>(value);
  else if (name == "--first-client") options.first_client = static_cast<int>(value);
  else if (name == "--create-rooms") options.create_rooms = value != 0;
  else if (name == "--protocol-version") options.protocol_version = static_cast<int>(value);
  else if (name == "--prefill") options.prefill_lines = static_cast<int>(value);
  else return false;
  return true;
}

bool spec_valid(const ScenarioSpec& spec, std::string& message) {
  if (spec.clients < 1 || spec.rooms < 1 || spec.senders < 0 || spec.rooms > spec.clients ||
      spec.senders > spec.rooms || (spec.window == 0 && spec.rate <= 0)) {
    message = "inconsistent scenario: need 1 <= rooms <= clients, senders <= rooms, and a rate or a window\n";
    return false;
  }
  return true;
}

// The flags of several processes sharing one run, and of the scale runs.
bool scale_flags_valid(const Options& options, std::string& message) {
  if (options.source_addresses < 1 || options.source_addresses > kMaxSourceAddresses) {
    return message = "--source-addresses must be 1 to " + std::to_string(kMaxSourceAddresses) + "\n", false;
  }
  // Another process's members would receive this one's lines and count them as strangers.
  if ((options.first_client > 0 || !options.create_rooms) && !holds_only(options.spec)) {
    return message = "--first-client and --create-rooms 0 share a run with other processes: hold mode only (--senders 0)\n", false;
  }
  if (options.protocol_version != 1 && options.protocol_version != 2) return message = "--protocol-version is 1 or 2\n", false;
  if (options.prefill_lines > kMaxPrefillLines || (options.prefill_lines > 0 && !options.create_rooms)) {
    return message = "--prefill is at most " + std::to_string(kMaxPrefillLines) + " and needs the creator (--create-rooms 1)\n", false;
  }
  return true;
}

}  // namespace

bool scenario_defaults(char name, ScenarioSpec& spec) {
  switch (name) {
    case 'a': spec = {'a', 100, 1, 1, 100, 0.0}; return true;
    case 'b': spec = {'b', 1000, 100, 100, 0, 20.0}; return true;
    case 'c': spec = {'c', 10000, 100, 10, 0, 10.0}; return true;
    case 'd': spec = {'d', 2, 1, 1, 0, 100.0}; return true;
    default: return false;
  }
}

bool parse_options(int argc, char** argv, Options& options, std::string& message) {
  FlagList args;
  if (!split_flags(argc, argv, kUsage, args, message)) return false;
  char scenario = 'd';
  for (const auto& [name, text] : args) {
    if (name == "--scenario") scenario = text.size() == 1 ? text[0] : '?';
    if (name == "--mode") options.mode = text;
  }
  if (!scenario_defaults(scenario, options.spec)) return message = "unknown scenario\n" + std::string(kUsage), false;
  for (const auto& [name, text] : args) {
    if (name == "--scenario" || name == "--mode") continue;
    if (name == "--url") {
      options.urls.push_back(text);
      continue;
    }
    double value = 0;
    const bool numeric = to_number(text, value);
    if (name != "--host" && !numeric) return message = name + " wants a number, not '" + text + "'\n", false;
    if (!apply_scenario_flag(name, value, options.spec) && !apply_run_flag(name, text, value, options)) {
      return message = "unknown flag " + name + "\n" + kUsage, false;
    }
  }
  if (options.mode != "load" && options.mode != "parse-ceiling" && options.mode != "peer") {
    return message = "unknown mode " + options.mode + "\n", false;
  }
  if (options.mode == "load" && options.port <= 0 && options.urls.empty()) {
    return message = "--port or --url is required\n" + std::string(kUsage), false;
  }
  return spec_valid(options.spec, message) && scale_flags_valid(options, message);
}

}  // namespace bench
