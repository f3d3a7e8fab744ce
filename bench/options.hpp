// The load generator's command line and the four scenarios of the benchmark (docs/BENCHMARKS.md
// describes them); flags may override any scenario parameter for experiments.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace bench {

struct ScenarioSpec {
  char name = 'd';
  int clients = 2;
  int rooms = 1;
  int senders = 1;       // 0: hold mode (connect, log in, join, then hold the connections)
  int window = 0;       // > 0: closed loop, each sender keeps this many lines in flight
  double rate = 100.0;  // open loop (window 0): lines per second per sender
};

struct Options {
  std::string mode = "load";  // load | parse-ceiling | peer
  ScenarioSpec spec;
  std::string host = "127.0.0.1";
  int port = 0;
  std::vector<std::string> urls;  // --url, in the order given: clients round-robin over them
  pid_t server_pid = 0;  // 0: no /proc figures for the server
  double warmup_s = 1.0;
  double duration_s = 5.0;
  double drain_s = 3.0;
  double setup_timeout_s = 60.0;
  // Clients connecting/logging in at once. Under the server's 768: once three quarters of its
  // 1 024 header buffers are held by unfinished handshakes it kills the oldest (the handshake
  // guard, server/lws/handshake_guard.hpp), which a crowd of 1 000 from one generator reached.
  int connect_concurrency = 500;
  // Scale runs (issue 18): one address has ~28 000 ephemeral ports, one process ~19 900 descriptors.
  int source_addresses = 1;  // > 1: client g binds to 127.0.0.(1 + g mod N) before connecting
  int first_client = 0;      // this process's clients are b<first>, b<first+1>, ... (several processes)
  bool create_rooms = true;  // false (--no-create): the rooms exist already; every client just joins
  int protocol_version = 1;  // 2: history on every join, presence, tokens
  int prefill_lines = 0;     // lines the creator writes into each room before the crowd connects
};

// Hold mode: no sender; setup is timed, then the connections are held for the duration.
inline bool holds_only(const ScenarioSpec& spec) { return spec.senders == 0; }

// The defaults of scenario a, b, c or d; false for an unknown name.
bool scenario_defaults(char name, ScenarioSpec& spec);
// Parses argv; on error or --help returns false with the text to print in `message`.
bool parse_options(int argc, char** argv, Options& options, std::string& message);

}  // namespace bench
