// The chat core's counters for /metrics: plain numbers the ChatService bumps as it decides, read
// (by const reference) when a scrape renders them. No locking: both happen on the loop thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "shared/error.hpp"
#include "shared/protocol.hpp"

namespace chat {

struct ServiceMetrics {
  static constexpr std::size_t kErrorCodes = static_cast<std::size_t>(ErrorCode::other) + 1;

  std::uint64_t logins = 0;          // login requests answered with a welcome (renames included)
  std::uint64_t lines_accepted = 0;  // chat lines stored and delivered
  std::uint64_t deliveries = 0;      // chat lines handed to a member's connection (lines x members)
  std::uint64_t history_reads = 0;   // pages of stored lines asked of the store
  std::array<std::uint64_t, kErrorCodes> refusals{};  // refusals sent, by ErrorCode
  // Sessions open now by protocol version (index = version; a session counts as the seed's until
  // its login says otherwise).
  std::array<std::int64_t, kCurrentVersion + 1> sessions{};

  void refused(ErrorCode code) { ++refusals[static_cast<std::size_t>(code)]; }
  void session_version(int from, int to) { --sessions[from]; ++sessions[to]; }
};

}  // namespace chat
