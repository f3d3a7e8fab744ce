// chat_soak: minutes of mixed traffic against a running chat server (honest chatters, churn,
// slow readers, hostile clients), watching the server's memory and every honest line.
// tests/soak/run.sh starts a server and runs it; docs/BENCHMARKS.md, "Soak", has its figures.
#include <sys/prctl.h>

#include <csignal>
#include <cstdio>
#include <string>

#include "tests/soak/soak_options.hpp"
#include "tests/soak/soak_run.hpp"

int main(int argc, char** argv) {
  soak::SoakOptions options;
  std::string message;
  if (!soak::parse_soak_options(argc, argv, options, message)) {
    const bool help = message.rfind("Usage", 0) == 0;
    std::fputs(message.c_str(), help ? stdout : stderr);
    return help ? 0 : 2;
  }
  std::signal(SIGPIPE, SIG_IGN);  // a hostile client's socket the server closed must not kill us
  ::prctl(PR_SET_TIMERSLACK, 1UL);
  std::printf("chat soak: %.0f s against %s:%d; %d chatters in %d rooms at %.2f lines/s, busy room %d x %.0f lines/s of "
              "%d bytes + %d readers, %d slow readers, %d churners, %.1f hostile connections/s\n",
              options.duration_s, options.host.c_str(), options.port, options.chatters, options.rooms,
              options.chat_rate, options.fire_senders, options.fire_rate, options.fire_bytes, options.fire_readers,
              options.slow_readers, options.churners, options.hostile_rate);
  std::fflush(stdout);
  soak::SoakRun run(options);
  return run.run();
}
