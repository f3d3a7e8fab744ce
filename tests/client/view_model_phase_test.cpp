// ViewModel's session phase as events drive it: each transition, what the view's flags say in
// each phase, and events that make no sense in the current phase being ignored.
#include <gtest/gtest.h>

#include <string>

#include "view_model_fixture.hpp"

namespace chat::client {
namespace {

class ViewModelPhaseTest : public ViewModelTest {
 protected:
  void expect_flags(Connection connection, bool logged_in, bool relogging_in) {
    EXPECT_EQ(vm_.state().connection, connection) << to_string(vm_.phase());
    EXPECT_EQ(vm_.state().logged_in, logged_in) << to_string(vm_.phase());
    EXPECT_EQ(vm_.state().relogging_in, relogging_in) << to_string(vm_.phase());
  }
  void reconnect() {
    vm_.on_close(now_);
    EXPECT_EQ(vm_.phase(), Phase::offline);
    vm_.tick(now_ += 10);
    EXPECT_EQ(vm_.phase(), Phase::connecting);
    ASSERT_TRUE(vm_.take_connect_request());
    vm_.on_open(now_);
  }
  void log_in_v2(const std::string& name) {
    vm_.on_open(now_);
    ASSERT_TRUE(vm_.login(name));
    server_accepts_login_v2(name, kToken);
    ASSERT_EQ(vm_.phase(), Phase::online);
  }
};

TEST_F(ViewModelPhaseTest, FirstConnectionAndLogin) {
  EXPECT_EQ(vm_.phase(), Phase::connecting);
  expect_flags(Connection::connecting, false, false);
  vm_.on_open(now_);
  EXPECT_EQ(vm_.phase(), Phase::choosing_name);
  expect_flags(Connection::online, false, false);
  ASSERT_TRUE(vm_.login("bob"));
  EXPECT_EQ(vm_.phase(), Phase::logging_in);
  expect_flags(Connection::online, false, false);
  server_accepts_login("bob");
  EXPECT_EQ(vm_.phase(), Phase::online);
  expect_flags(Connection::online, true, false);
}

TEST_F(ViewModelPhaseTest, ARefusedLoginGoesBackToChoosing) {
  vm_.on_open(now_);
  ASSERT_TRUE(vm_.login("bob"));
  server_refuses(ErrorCode::invalid_name, "bob");
  EXPECT_EQ(vm_.phase(), Phase::choosing_name);
}

TEST_F(ViewModelPhaseTest, ADropClosesAndTheRetryConnects) {
  connect_and_login("bob");
  vm_.on_close(now_);
  EXPECT_EQ(vm_.phase(), Phase::offline);
  expect_flags(Connection::offline, false, false);
  vm_.tick(vm_.state().retry_at);
  EXPECT_EQ(vm_.phase(), Phase::connecting);
  vm_.on_close(now_);  // the attempt failed
  EXPECT_EQ(vm_.phase(), Phase::offline);
}

TEST_F(ViewModelPhaseTest, WithoutATokenTheNameIsTakenBack) {
  connect_and_login("bob");
  reconnect();
  EXPECT_EQ(vm_.phase(), Phase::logging_back_in);
  expect_flags(Connection::online, false, true);
  server_accepts_login("bob");
  EXPECT_EQ(vm_.phase(), Phase::online);
}

TEST_F(ViewModelPhaseTest, TheUserMayTypeANameWhileOurOwnIsRetried) {
  connect_and_login("bob");
  reconnect();
  server_refuses(ErrorCode::name_taken, "bob");  // the old connection lingers: retried later
  EXPECT_EQ(vm_.phase(), Phase::logging_back_in);
  ASSERT_TRUE(vm_.login("bob2"));
  EXPECT_EQ(vm_.phase(), Phase::logging_in);
  sent();
  vm_.tick(now_ += 5);
  EXPECT_TRUE(sent().empty()) << "the retry belonged to logging_back_in";
}

TEST_F(ViewModelPhaseTest, WithATokenTheSessionIsResumed) {
  log_in_v2("alice");
  reconnect();
  EXPECT_EQ(vm_.phase(), Phase::resuming);
  expect_flags(Connection::online, false, true);
  server_resumes("alice", "general", kToken);
  EXPECT_EQ(vm_.phase(), Phase::online);
}

TEST_F(ViewModelPhaseTest, ARefusedTokenLogsBackInAndATakenNameAsksTheUser) {
  log_in_v2("alice");
  reconnect();
  server_refuses(ErrorCode::bad_token, "");
  EXPECT_EQ(vm_.phase(), Phase::logging_back_in);
  server_accepts_login_v2("alice", kToken);
  reconnect();
  ASSERT_EQ(vm_.phase(), Phase::resuming);
  server_refuses(ErrorCode::name_taken, "alice");
  EXPECT_EQ(vm_.phase(), Phase::choosing_name);
  expect_flags(Connection::online, false, false);
}

TEST_F(ViewModelPhaseTest, ARenameKeepsTheSessionOnline) {
  log_in_v2("alice");
  ASSERT_TRUE(vm_.login("alicia"));
  EXPECT_EQ(vm_.phase(), Phase::online);
  server_refuses(ErrorCode::name_taken, "alicia");
  EXPECT_EQ(vm_.phase(), Phase::online);
  EXPECT_EQ(vm_.state().my_name, "alice");
  ASSERT_TRUE(vm_.login("alicia"));
  server_accepts_login_v2("alicia", kToken);
  EXPECT_EQ(vm_.state().my_name, "alicia");
  EXPECT_EQ(vm_.phase(), Phase::online);
}

// ---- Events that make no sense where they come: ignored, nothing changes.

TEST_F(ViewModelPhaseTest, ASecondCloseReschedulesNothing) {
  connect_and_login("bob");
  vm_.on_close(now_);
  const double retry_at = vm_.state().retry_at;
  const int attempts = vm_.state().failed_attempts;
  const auto log_size = vm_.visible_log().size();
  vm_.on_close(now_ + 1);
  EXPECT_EQ(vm_.state().retry_at, retry_at);
  EXPECT_EQ(vm_.state().failed_attempts, attempts);
  EXPECT_EQ(vm_.visible_log().size(), log_size);
}

TEST_F(ViewModelPhaseTest, AnOpenWhileOnlineIsIgnored) {
  connect_and_login("bob");
  server_says_joined("jeux");
  vm_.on_open(now_);
  EXPECT_EQ(vm_.phase(), Phase::online);
  EXPECT_EQ(vm_.state().current_room, "jeux");
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelPhaseTest, AnOpenWhileOfflineIsIgnored) {
  connect_and_login("bob");
  vm_.on_close(now_);
  vm_.on_open(now_);
  EXPECT_EQ(vm_.phase(), Phase::offline) << "no socket was asked for";
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelPhaseTest, AResumedAnswerToNoResumeIsIgnored) {
  connect_and_login("bob");
  const auto log_size = vm_.visible_log().size();
  server_resumes("mallory", "jeux", kToken);
  EXPECT_EQ(vm_.state().my_name, "bob");
  EXPECT_EQ(vm_.state().current_room, "general");
  EXPECT_EQ(vm_.visible_log().size(), log_size);
  EXPECT_FALSE(vm_.take_session_to_save()) << "no token taken from it";
}

TEST_F(ViewModelPhaseTest, ALoginAnswerWhileResumingIsIgnored) {
  log_in_v2("alice");
  reconnect();
  server_accepts_login_v2("mallory", "other.token");
  EXPECT_EQ(vm_.phase(), Phase::resuming);
  EXPECT_EQ(vm_.state().my_name, "alice");
}

TEST_F(ViewModelPhaseTest, NoLoginWhileResuming) {
  log_in_v2("alice");
  reconnect();
  sent();
  EXPECT_FALSE(vm_.login("bob"));
  EXPECT_EQ(vm_.state().login_error, "logging back in: try again in a moment");
  EXPECT_TRUE(sent().empty());
  EXPECT_EQ(vm_.phase(), Phase::resuming);
}

TEST_F(ViewModelPhaseTest, NoLoginBeforeTheSocketOpens) {
  EXPECT_FALSE(vm_.login("bob"));
  EXPECT_EQ(vm_.state().login_error, "not connected yet: try again in a moment");
  EXPECT_EQ(vm_.phase(), Phase::connecting);
}

}  // namespace
}  // namespace chat::client
