// What happened during a soak, counted as it happens: connections by role, lines, refusals by
// code, drops of slow readers, how each kind of hostile client was answered, and the problems
// worth naming in the summary. The verdict is soak_report's.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tests/soak/kit_names.hpp"

namespace soak {

enum class Role : std::uint8_t { chatter, churner, slow_reader, hostile };
constexpr std::size_t kRoleCount = 4;
const char* role_name(Role role);

struct RoleCounts {
  std::uint64_t started = 0;  // connections begun
  std::uint64_t opened = 0;   // WebSocket established (or TCP connected, for raw hostiles)
  std::uint64_t ended = 0;    // closed, whatever the reason
};

// One kind of hostile client: how often it ran and whether the server answered as documented.
struct HostileCounts {
  std::uint64_t runs = 0, as_expected = 0, surprises = 0, cut_short = 0;  // cut short: by the end of the soak
  std::int64_t slowest_answer_ms = 0;  // the longest the server took to give the expected answer
};

struct SoakTally {
  std::array<RoleCounts, kRoleCount> roles{};
  std::uint64_t lines_sent = 0;   // stamped lines written by honest clients
  std::uint64_t chat_frames = 0;  // chat frames received by clients in a room (stamped or not)
  std::uint64_t deliveries = 0;   // first receipts of stamped lines, by every checked receiver
  std::uint64_t malformed = 0;    // chat frames that fail a check (unknown author, wrong room, ...)
  std::uint64_t honest_dropped = 0;  // honest connections the server closed or that failed
  std::map<std::string, std::uint64_t> honest_refusals;   // by code: every one is a failure
  std::map<std::string, std::uint64_t> hostile_refusals;  // by code: what hostile clients earn
  std::uint64_t slow_drops = 0;
  std::map<std::string, std::uint64_t> slow_drop_how;  // "close 1008", "hang-up", ...
  DeliveryCounts closed_windows;   // churners and slow readers that left, counted in the verdict
  DeliveryCounts dropped_windows;  // slow readers the server dropped: reported, not counted
  std::map<std::string, HostileCounts> hostile;  // by kind
  std::vector<std::string> problems;             // the first few, for the summary

  RoleCounts& of(Role role) { return roles[static_cast<std::size_t>(role)]; }
  void problem(const std::string& what);
  std::uint64_t honest_refusal_count() const;
  std::uint64_t hostile_surprises() const;
};

}  // namespace soak
