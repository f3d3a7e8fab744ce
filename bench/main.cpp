// chat_bench: the chat server's load generator (docs/BENCHMARKS.md). Modes: load (one scenario
// against a running server), parse-ceiling (the receive path with no socket), peer (a trivial
// broadcast server to measure the generator against).
#include <signal.h>
#include <sys/prctl.h>

#include <cstdio>
#include <string>

#include "bench/broadcast_peer.hpp"
#include "bench/load_run.hpp"
#include "bench/options.hpp"
#include "bench/report.hpp"

namespace {

constexpr std::uint64_t kCeilingFrames = 200'000;
constexpr int kCeilingRounds = 10;

int run_parse_ceiling(bench::Options options) {
  bench::scenario_defaults('d', options.spec);
  bench::LoadRun run(options);
  const double per_second = run.measure_parse_ceiling(kCeilingFrames, kCeilingRounds);
  if (per_second < 0) {
    std::fprintf(stderr, "parse ceiling: the receive path miscounted the pre-built frames\n");
    return 1;
  }
  std::printf("parse ceiling: %.2f M chat frames/s through frame parsing, scanning, sequence checks and "
              "latency recording (one core, no syscalls)\nRESULT mode=parse-ceiling frames_per_s=%.0f\n",
              per_second / 1e6, per_second);
  return 0;
}

void on_end_of_hold(int) { bench::request_end_of_hold(); }

}  // namespace

int main(int argc, char** argv) {
  bench::Options options;
  std::string message;
  if (!bench::parse_options(argc, argv, options, message)) {
    std::fputs(message.c_str(), message.rfind("Usage", 0) == 0 ? stdout : stderr);
    return message.rfind("Usage", 0) == 0 ? 0 : 2;
  }
  // Open-loop sends are timed by epoll_pwait2's timeout; the default 50 us slack would make
  // every line late by up to that much.
  ::prctl(PR_SET_TIMERSLACK, 1UL);
  struct sigaction end_hold{};
  end_hold.sa_handler = on_end_of_hold;
  ::sigaction(SIGUSR1, &end_hold, nullptr);
  if (options.mode == "peer") return bench::run_broadcast_peer(options.port, options.duration_s);
  if (options.mode == "parse-ceiling") return run_parse_ceiling(options);
  bench::LoadRun run(options);
  const bench::RunResult result = run.run();
  bench::print_report(result, stdout);
  if (!result.setup_error.empty()) return 3;
  return result.passed() ? 0 : 1;
}
