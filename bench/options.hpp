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
  int senders = 1;
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
};

// The defaults of scenario a, b, c or d; false for an unknown name.
bool scenario_defaults(char name, ScenarioSpec& spec);
// Parses argv; on error or --help returns false with the text to print in `message`.
bool parse_options(int argc, char** argv, Options& options, std::string& message);

}  // namespace bench
