// The phase table: every legal move, and every other (phase, step) pair refused.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <utility>

#include "app/session_phase.hpp"

namespace chat::client {
namespace {

constexpr Phase kPhases[] = {Phase::offline, Phase::connecting, Phase::choosing_name, Phase::logging_in,
                             Phase::logging_back_in, Phase::resuming, Phase::online};
constexpr Step kSteps[] = {Step::retry_due, Step::opened_with_token, Step::opened_with_name,
                           Step::opened_without_name, Step::login_sent, Step::account_login_sent,
                           Step::logout_sent, Step::logged_in, Step::resumed, Step::login_refused,
                           Step::token_refused, Step::closed};

using Move = std::pair<Phase, Step>;

// Written out by hand from the design, not from the code: the test's point.
const std::map<Move, Phase>& legal_moves() {
  static const std::map<Move, Phase> moves = {
      {{Phase::offline, Step::retry_due}, Phase::connecting},
      {{Phase::connecting, Step::opened_with_token}, Phase::resuming},
      {{Phase::connecting, Step::opened_with_name}, Phase::logging_back_in},
      {{Phase::connecting, Step::opened_without_name}, Phase::choosing_name},
      {{Phase::connecting, Step::closed}, Phase::offline},
      {{Phase::choosing_name, Step::login_sent}, Phase::logging_in},
      {{Phase::choosing_name, Step::account_login_sent}, Phase::logging_in},
      {{Phase::choosing_name, Step::logged_in}, Phase::online},
      {{Phase::choosing_name, Step::login_refused}, Phase::choosing_name},
      {{Phase::choosing_name, Step::closed}, Phase::offline},
      {{Phase::logging_in, Step::login_sent}, Phase::logging_in},
      {{Phase::logging_in, Step::account_login_sent}, Phase::logging_in},
      {{Phase::logging_in, Step::logged_in}, Phase::online},
      {{Phase::logging_in, Step::login_refused}, Phase::choosing_name},
      {{Phase::logging_in, Step::closed}, Phase::offline},
      {{Phase::logging_back_in, Step::login_sent}, Phase::logging_in},
      {{Phase::logging_back_in, Step::account_login_sent}, Phase::logging_in},
      {{Phase::logging_back_in, Step::logged_in}, Phase::online},
      {{Phase::logging_back_in, Step::login_refused}, Phase::choosing_name},
      {{Phase::logging_back_in, Step::closed}, Phase::offline},
      {{Phase::resuming, Step::resumed}, Phase::online},
      {{Phase::resuming, Step::token_refused}, Phase::logging_back_in},
      {{Phase::resuming, Step::login_refused}, Phase::choosing_name},
      {{Phase::resuming, Step::closed}, Phase::offline},
      {{Phase::online, Step::login_sent}, Phase::online},     // a rename
      {{Phase::online, Step::logged_in}, Phase::online},      // its answer
      {{Phase::online, Step::login_refused}, Phase::online},  // refused: the old name stays
      {{Phase::online, Step::logout_sent}, Phase::choosing_name},  // signed out: the name is given up
      {{Phase::online, Step::closed}, Phase::offline},
  };
  return moves;
}

TEST(SessionPhase, EachLegalStepLeadsWhereTheDesignSays) {
  for (const auto& [move, to] : legal_moves()) {
    const std::optional<Phase> next = next_phase(move.first, move.second);
    ASSERT_TRUE(next) << to_string(move.first) << " + " << to_string(move.second) << " was refused";
    EXPECT_EQ(*next, to) << to_string(move.first) << " + " << to_string(move.second) << " led to "
                         << to_string(*next);
  }
}

TEST(SessionPhase, EveryOtherStepIsRefused) {
  int refused = 0;
  for (const Phase from : kPhases) {
    for (const Step step : kSteps) {
      if (legal_moves().count({from, step}) > 0) continue;
      EXPECT_FALSE(next_phase(from, step)) << to_string(from) << " + " << to_string(step) << " was allowed";
      ++refused;
    }
  }
  EXPECT_EQ(refused, 7 * 12 - 29);
}

// The ones worth naming: each would be a real bug.
TEST(SessionPhase, NotableIllegalSteps) {
  EXPECT_FALSE(next_phase(Phase::offline, Step::closed)) << "a second close reschedules nothing";
  EXPECT_FALSE(next_phase(Phase::online, Step::opened_with_token)) << "an open socket cannot open";
  EXPECT_FALSE(next_phase(Phase::online, Step::resumed)) << "a resume answer to no resume";
  EXPECT_FALSE(next_phase(Phase::resuming, Step::login_sent)) << "the resume's answer would name another";
  EXPECT_FALSE(next_phase(Phase::resuming, Step::logged_in));
  EXPECT_FALSE(next_phase(Phase::connecting, Step::retry_due)) << "one socket at a time";
  EXPECT_FALSE(next_phase(Phase::logging_back_in, Step::token_refused)) << "no token was sent";
  EXPECT_FALSE(next_phase(Phase::online, Step::account_login_sent)) << "signing in is for a logged-out connection";
  EXPECT_FALSE(next_phase(Phase::resuming, Step::account_login_sent)) << "the resume's answer would name another";
  EXPECT_FALSE(next_phase(Phase::choosing_name, Step::logout_sent)) << "nothing to sign out of";
  EXPECT_FALSE(next_phase(Phase::resuming, Step::logout_sent)) << "not signed in yet";
}

}  // namespace
}  // namespace chat::client
