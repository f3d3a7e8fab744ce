// ViewModel's account screen (docs/PROTOCOL.md, "Accounts"): opening it lists the sessions,
// one is ended by its id, and the password is changed with the current one; the server's
// refusals (invalid_password's rule, bad_password) are shown at the form.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "view_model_private_fixture.hpp"

namespace chat::client {
namespace {

class ViewModelAccountScreenTest : public ViewModelPrivateTest {
 protected:
  // alice's account screen open, her two sessions listed (this device first).
  void alice_looks_at_her_sessions() {
    signed_in_as("alice");
    ASSERT_TRUE(vm_.show_account(true));
    const auto asked = sent_requests();
    ASSERT_EQ(asked.size(), 1u);
    ASSERT_TRUE(std::holds_alternative<ListSessions>(asked[0].frame));
    EXPECT_TRUE(vm_.state().sessions_loading);
    server_sends(SessionsFrame{{SessionInfo{"465c1a131b47671a", 1000, 3000, true}, SessionInfo{"0011223344556677", 500, 900, false}},
                               asked[0].request_id});
  }
  static MessageFrame event(Event what, std::string message) { return notice(what, std::move(message), "", ""); }
};

TEST_F(ViewModelAccountScreenTest, OpeningItListsTheSessionsThisDeviceMarked) {
  alice_looks_at_her_sessions();
  const auto& rows = vm_.state().sessions;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, "465c1a131b47671a");
  EXPECT_TRUE(rows[0].current);
  EXPECT_EQ(rows[0].created_ms, 1000);
  EXPECT_EQ(rows[0].last_used_ms, 3000);
  EXPECT_FALSE(rows[1].current);
  EXPECT_FALSE(vm_.state().sessions_loading);
  EXPECT_TRUE(vm_.state().account_open);
  // Closed: the list goes, the log is shown again.
  ASSERT_TRUE(vm_.show_account(false));
  EXPECT_FALSE(vm_.state().account_open);
  EXPECT_TRUE(vm_.state().sessions.empty());
}

TEST_F(ViewModelAccountScreenTest, EndingASessionSendsItsIdAndItsAnswerTakesItOffTheList) {
  alice_looks_at_her_sessions();
  ASSERT_TRUE(vm_.end_session("0011223344556677"));
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  const auto* end = std::get_if<EndSession>(&frames[0]);
  ASSERT_NE(end, nullptr);
  EXPECT_EQ(end->session, "0011223344556677");
  MessageFrame ended = event(Event::session_ended, "Session ended.");
  ended.session = "0011223344556677";
  server_answers(ended);
  ASSERT_EQ(vm_.state().sessions.size(), 1u);
  EXPECT_EQ(vm_.state().sessions[0].id, "465c1a131b47671a");
}

TEST_F(ViewModelAccountScreenTest, ARefusedEndSessionIsShownAtTheList) {
  alice_looks_at_her_sessions();
  ASSERT_TRUE(vm_.end_session("ffffffffffffffff"));
  sent();
  server_refuses(ErrorCode::bad_token, "no such session");
  EXPECT_NE(vm_.state().sessions_error.find("no such session"), std::string::npos);
  EXPECT_EQ(vm_.state().sessions.size(), 2u);
}

TEST_F(ViewModelAccountScreenTest, ChangingThePasswordSendsBothAndTheAnswerSaysSoAndListsTheSessionsAgain) {
  alice_looks_at_her_sessions();
  ASSERT_TRUE(vm_.change_password("correct horse battery", "staple cow lamp wire"));
  auto asked = sent_requests();
  ASSERT_EQ(asked.size(), 1u);
  const auto* change = std::get_if<ChangePassword>(&asked[0].frame);
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->password, "correct horse battery");
  EXPECT_EQ(change->new_password, "staple cow lamp wire");
  server_answers(asked[0].request_id, event(Event::password_changed, "Password changed."));
  EXPECT_EQ(vm_.state().password_notice, "Password changed.");
  EXPECT_TRUE(vm_.state().password_error.empty());
  asked = sent_requests();
  ASSERT_EQ(asked.size(), 1u) << "the other sessions ended: the list is asked for again";
  EXPECT_TRUE(std::holds_alternative<ListSessions>(asked[0].frame));
}

TEST_F(ViewModelAccountScreenTest, TheServersRefusalsAreShownAtTheForm) {
  alice_looks_at_her_sessions();
  ASSERT_TRUE(vm_.change_password("correct horse battery", "alice2026x"));
  sent();
  server_refuses(ErrorCode::invalid_password, "the password is the name");
  EXPECT_NE(vm_.state().password_error.find("the password is the name"), std::string::npos);
  ASSERT_TRUE(vm_.change_password("wrong one!", "staple cow lamp wire"));
  sent();
  server_refuses(ErrorCode::bad_password, "wrong password");
  EXPECT_NE(vm_.state().password_error.find("wrong password"), std::string::npos);
  EXPECT_TRUE(vm_.state().password_notice.empty());
}

TEST_F(ViewModelAccountScreenTest, AnObviousMistakeIsToldWithoutAskingTheServer) {
  alice_looks_at_her_sessions();
  EXPECT_FALSE(vm_.change_password("", "staple cow lamp wire"));
  EXPECT_NE(vm_.state().password_error.find("current password"), std::string::npos);
  EXPECT_FALSE(vm_.change_password("correct horse battery", "short"));
  EXPECT_NE(vm_.state().password_error.find("8"), std::string::npos);
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelAccountScreenTest, AGuestHasNoAccountScreen) {
  connect_and_login("guest");
  sent();
  EXPECT_FALSE(vm_.show_account(true));
  EXPECT_FALSE(vm_.state().account_open);
  EXPECT_FALSE(vm_.change_password("correct horse battery", "staple cow lamp wire"));
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelAccountScreenTest, SigningOutClosesIt) {
  alice_looks_at_her_sessions();
  ASSERT_TRUE(vm_.sign_out());
  EXPECT_FALSE(vm_.state().account_open);
  EXPECT_TRUE(vm_.state().sessions.empty());
}

}  // namespace
}  // namespace chat::client
