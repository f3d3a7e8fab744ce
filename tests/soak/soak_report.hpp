// The soak's output: one progress line every few seconds while it runs, and at the end a summary
// for people, the RSS-over-time table (markdown, ready for docs/BENCHMARKS.md) and one
// "SOAK key=value ..." line for scripts.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/soak/kit_names.hpp"
#include "tests/soak/soak_options.hpp"
#include "tests/soak/soak_tally.hpp"

namespace soak {

struct ProgressRow {
  double elapsed_s = 0;
  std::int64_t rss_kb = -1;   // -1: no server figures
  double cpu_percent = -1;    // of one core, since the previous row
  int sockets = -1;           // the server's open sockets (listening one included)
  std::array<std::uint64_t, kRoleCount> live{};  // our clients connected or connecting, by role
  std::uint64_t lines_sent = 0, deliveries = 0;
  std::uint64_t in_flight = 0;  // deliveries to full receivers still awaited
  std::uint64_t gaps = 0;       // lines full receivers miss behind a later one, right now
  DeliveryCounts full;          // full receivers so far (lost is only known at the end)
  DeliveryCounts windows;       // open and closed windows so far, dropped slow readers aside
  std::uint64_t slow_drops = 0, hostile_refusals = 0;
};

struct SoakOutcome {
  std::string setup_error;  // non-empty: the traffic never started
  bool server_died = false;
  double traffic_s = 0;
  DeliveryCounts full;     // the final reckoning of full receivers
  std::uint64_t full_receivers = 0;
  bool have_server = false;
  ProcSample idle, ready, loaded_end, after_leaving;  // before any client, after setup, end, all gone
  std::int64_t peak_rss_kb = 0;
  double server_cpu_percent = 0;  // over the traffic phase
  double own_cpu_percent = 0;
  std::vector<ProgressRow> rows;
  bool passed(const SoakTally& tally) const;
};

void print_progress(const ProgressRow& row, const SoakTally& tally, std::FILE* out);
void print_summary(const SoakOptions& options, const SoakOutcome& outcome, const SoakTally& tally, std::FILE* out);

}  // namespace soak
