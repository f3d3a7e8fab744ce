// Counters of the soak; see soak_tally.hpp.
#include "tests/soak/soak_tally.hpp"

namespace soak {
namespace {

constexpr std::size_t kProblemsKept = 20;

}  // namespace

const char* role_name(Role role) {
  switch (role) {
    case Role::chatter: return "chatter";
    case Role::churner: return "churner";
    case Role::slow_reader: return "slow reader";
    case Role::hostile: return "hostile";
  }
  return "?";
}

void SoakTally::problem(const std::string& what) {
  if (problems.size() < kProblemsKept) problems.push_back(what.substr(0, 300));
}

std::uint64_t SoakTally::honest_refusal_count() const {
  std::uint64_t total = 0;
  for (const auto& [code, count] : honest_refusals) total += count;
  return total;
}

std::uint64_t SoakTally::hostile_surprises() const {
  std::uint64_t total = 0;
  for (const auto& [kind, counts] : hostile) total += counts.surprises;
  return total;
}

}  // namespace soak
