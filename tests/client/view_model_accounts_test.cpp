// ViewModel's accounts: signing in and creating an account, the password checks made before
// sending, the server's refusals at the form, a guest refused a registered name asked for its
// password, a server without accounts, the session kept for a reload, signing out, and a session
// ended elsewhere (close code 4001). A little over 300 lines: one feature's moves, each test
// short, read best side by side.
#include <gtest/gtest.h>

#include <string>

#include "view_model_fixture.hpp"

namespace chat::client {
namespace {

constexpr const char* kPassword = "correct horse battery";

class ViewModelAccountsTest : public ViewModelTest {
 protected:
  void open() {
    ASSERT_TRUE(vm_.take_connect_request());
    vm_.on_open(now_);
    server_sends_rooms({"general", "jeux"});
  }
  void server_accepts_account(const std::string& name, const std::string& token = kToken) {
    MessageFrame ack = notice(Event::logged_in, "Welcome, " + name + "!", name, "");
    ack.token = token;
    ack.version = kCurrentVersion;
    ack.account = true;
    server_answers(ack);
  }
  void signed_in_as(const std::string& name) {
    open();
    ASSERT_TRUE(vm_.sign_in(name, kPassword));
    sent();
    server_accepts_account(name);
    ASSERT_EQ(vm_.phase(), Phase::online);
    ASSERT_TRUE(vm_.state().signed_in);
  }
  void server_refuses_registered(const std::string& name) {
    MessageFrame refused = refusal(Error{ErrorCode::name_taken, name});
    refused.registered = true;
    server_answers(refused);
  }
};

TEST_F(ViewModelAccountsTest, SigningInSendsThePasswordLoginAndMarksTheClientSignedIn) {
  open();
  EXPECT_FALSE(vm_.state().signed_in);
  ASSERT_TRUE(vm_.sign_in("alice", kPassword));
  EXPECT_EQ(vm_.phase(), Phase::logging_in);
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  const auto* login = std::get_if<PasswordLogin>(&frames[0]);
  ASSERT_NE(login, nullptr);
  EXPECT_EQ(login->user, "alice");
  EXPECT_EQ(login->password, kPassword);
  server_accepts_account("Alice");  // the account's own spelling
  EXPECT_EQ(vm_.phase(), Phase::online);
  EXPECT_TRUE(vm_.state().signed_in);
  EXPECT_EQ(vm_.state().my_name, "Alice");
  EXPECT_FALSE(shows_login(vm_.state()));
}

TEST_F(ViewModelAccountsTest, CreatingAnAccountSendsRegister) {
  open();
  ASSERT_TRUE(vm_.create_account("alice", kPassword));
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  const auto* reg = std::get_if<Register>(&frames[0]);
  ASSERT_NE(reg, nullptr);
  EXPECT_EQ(reg->user, "alice");
  EXPECT_EQ(reg->password, kPassword);
  server_accepts_account("alice");
  EXPECT_TRUE(vm_.state().signed_in);
}

// The server's policy, in its words, before anything is sent.
TEST_F(ViewModelAccountsTest, ANewPasswordTheServerWouldRefuseIsNotSent) {
  open();
  struct Case {
    std::string password;
    const char* words;
  };
  for (const Case& c : {Case{"short", "shorter than 8 characters"}, Case{"sept 7c", "shorter than 8"},
                        Case{std::string(1025, 'a'), "longer than 1024 bytes"},
                        Case{"line\nbreak!", "control character"}, Case{"tab\there!", "control character"},
                        Case{"alice-in-wonderland", "the name itself"}}) {
    const std::string name = c.password == "alice-in-wonderland" ? c.password : "alice";
    EXPECT_FALSE(vm_.create_account(name, c.password)) << c.words;
    EXPECT_NE(vm_.state().login_error.find(c.words), std::string::npos) << vm_.state().login_error;
    EXPECT_TRUE(sent().empty()) << c.words;
    EXPECT_EQ(vm_.phase(), Phase::choosing_name);
  }
  // Eight code points, not eight bytes: "éééééééé" is 16 bytes and is long enough.
  EXPECT_TRUE(vm_.create_account("alice", "éééééééé"));
}

TEST_F(ViewModelAccountsTest, SigningInNeedsAPasswordButNoRules) {
  open();
  EXPECT_FALSE(vm_.sign_in("alice", ""));
  EXPECT_TRUE(sent().empty());
  EXPECT_FALSE(vm_.state().login_error.empty());
  EXPECT_FALSE(vm_.sign_in("bad\nname", kPassword)) << "the name rules still apply";
  EXPECT_TRUE(vm_.sign_in("alice", "short")) << "an old password keeps working if the rules grow";
}

TEST_F(ViewModelAccountsTest, AGuestRefusedARegisteredNameIsAskedForItsPassword) {
  open();
  ASSERT_TRUE(vm_.login("alice"));
  sent();
  server_refuses_registered("alice");
  EXPECT_EQ(vm_.phase(), Phase::choosing_name);
  EXPECT_EQ(vm_.state().login_mode, LoginMode::sign_in);
  EXPECT_NE(vm_.state().login_error.find("belongs to an account"), std::string::npos);
  EXPECT_TRUE(shows_login(vm_.state()));
  // A plain name_taken leaves the form as it was.
  vm_.choose_login_mode(LoginMode::guest);
  ASSERT_TRUE(vm_.login("bob"));
  server_refuses(ErrorCode::name_taken, "bob");
  EXPECT_EQ(vm_.state().login_mode, LoginMode::guest);
}

// Logging back in by itself retries a taken name for a while (the old connection may linger);
// a name an account owns will not come free, so it stops at once.
TEST_F(ViewModelAccountsTest, ARegisteredNameStopsTheRetriesOfLoggingBackIn) {
  connect_and_login("alice");  // a version-1 guest: no token, so a drop logs in again
  vm_.on_close(now_);
  vm_.tick(now_ += 10);
  ASSERT_TRUE(vm_.take_connect_request());
  vm_.on_open(now_);
  ASSERT_EQ(vm_.phase(), Phase::logging_back_in);
  sent();
  server_refuses_registered("alice");
  EXPECT_EQ(vm_.phase(), Phase::choosing_name);
  EXPECT_EQ(vm_.state().login_mode, LoginMode::sign_in);
  vm_.tick(now_ += 5);
  EXPECT_TRUE(sent().empty()) << "no retry of a name an account owns";
}

TEST_F(ViewModelAccountsTest, TheServersRefusalsAreShownAtTheForm) {
  open();
  for (const ErrorCode code : {ErrorCode::bad_password, ErrorCode::rate_limited, ErrorCode::server_busy}) {
    ASSERT_TRUE(vm_.sign_in("alice", kPassword));
    const MessageFrame refused = refusal(Error{code, ""});
    server_refuses(code, "");
    EXPECT_EQ(vm_.phase(), Phase::choosing_name) << to_string(code);
    EXPECT_EQ(vm_.state().login_error, refused.message);
    EXPECT_FALSE(vm_.state().signed_in);
  }
  ASSERT_TRUE(vm_.create_account("alice", kPassword));
  server_refuses(ErrorCode::invalid_password, "the password is the name itself");
  EXPECT_EQ(vm_.state().login_error, "this password cannot be used: the password is the name itself");
  EXPECT_EQ(vm_.state().login_mode, LoginMode::guest) << "the form stays as the person chose it";
  EXPECT_TRUE(shows_login(vm_.state()));
}

// An older server ignores "password" and logs the connection in as a guest.
TEST_F(ViewModelAccountsTest, AServerWithoutAccountsIsSaidToHaveNone) {
  open();
  vm_.choose_login_mode(LoginMode::sign_in);
  ASSERT_TRUE(vm_.sign_in("alice", kPassword));
  server_accepts_login("alice");  // no "account":true
  EXPECT_EQ(vm_.phase(), Phase::choosing_name);
  EXPECT_FALSE(vm_.state().signed_in);
  EXPECT_EQ(vm_.state().login_error, "This server has no accounts: join as a guest");
  EXPECT_EQ(vm_.state().login_mode, LoginMode::guest);
  EXPECT_TRUE(shows_login(vm_.state()));
  EXPECT_FALSE(vm_.take_session_to_save()) << "nothing to keep";
  // It does not know `register` at all.
  ASSERT_TRUE(vm_.create_account("alice", kPassword));
  server_refuses(ErrorCode::unknown_action, "\"register\"");
  EXPECT_EQ(vm_.state().login_error, "This server has no accounts: join as a guest");
  // Joining as a guest still works.
  ASSERT_TRUE(vm_.login("alice"));
  server_accepts_login_v2("alice", kToken);
  EXPECT_EQ(vm_.phase(), Phase::online);
  EXPECT_FALSE(vm_.state().signed_in);
}

TEST_F(ViewModelAccountsTest, TheSessionIsKeptForAReloadAndResumedSignedIn) {
  signed_in_as("alice");
  const auto saved = vm_.take_session_to_save();
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->token, kToken);
  EXPECT_EQ(saved->user, "alice");
  EXPECT_TRUE(saved->account);
  EXPECT_EQ(saved->token.find(kPassword), std::string::npos);

  ViewModel reloaded(ViewModel::Options{}, *saved);
  EXPECT_TRUE(reloaded.state().signed_in) << "shown signed in while the resume is on its way";
  EXPECT_FALSE(shows_login(reloaded.state()));
  ASSERT_TRUE(reloaded.take_connect_request());
  reloaded.on_open(now_);
  const auto outgoing = reloaded.take_outgoing();
  ASSERT_EQ(outgoing.size(), 1u);
  const ClientRequest resume = decode_client_request(outgoing[0], Limits{});
  ASSERT_TRUE(resume.frame.ok());
  ASSERT_TRUE(std::holds_alternative<Resume>(resume.frame.value()));
  EXPECT_EQ(std::get<Resume>(resume.frame.value()).token, kToken);
  MessageFrame ack = notice(Event::resumed, "Welcome, alice!", "alice", "general");
  ack.token = kToken;
  ack.version = kCurrentVersion;
  ack.account = true;
  ack.request_id = resume.request_id;
  reloaded.on_text(encode(ServerFrame{ack}), now_);
  EXPECT_EQ(reloaded.phase(), Phase::online);
  EXPECT_TRUE(reloaded.state().signed_in);
}

TEST_F(ViewModelAccountsTest, AnAccountsSessionResumesAfterADropLikeAGuests) {
  signed_in_as("alice");
  vm_.on_close(now_);
  EXPECT_TRUE(vm_.state().signed_in);
  vm_.tick(now_ += 10);
  ASSERT_TRUE(vm_.take_connect_request());
  vm_.on_open(now_);
  EXPECT_EQ(vm_.phase(), Phase::resuming);
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<Resume>(frames[0]));
}

TEST_F(ViewModelAccountsTest, SigningOutSendsLogoutForgetsTheTokenAndShowsTheForm) {
  signed_in_as("alice");
  vm_.take_session_to_save();
  vm_.join_room("jeux");
  server_says_joined("jeux");
  sent();
  ASSERT_TRUE(vm_.sign_out());
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<Logout>(frames[0]));
  EXPECT_EQ(vm_.phase(), Phase::choosing_name);
  EXPECT_FALSE(vm_.state().signed_in);
  EXPECT_FALSE(vm_.state().logged_in);
  EXPECT_TRUE(shows_login(vm_.state()));
  EXPECT_EQ(vm_.state().login_mode, LoginMode::sign_in);
  EXPECT_EQ(vm_.state().login_notice, "You signed out.");
  const auto saved = vm_.take_session_to_save();
  ASSERT_TRUE(saved);
  EXPECT_TRUE(saved->token.empty()) << "a reload now starts signed out";
  server_answers(notice(Event::logged_out, "You are signed out", "", ""));
  EXPECT_EQ(vm_.phase(), Phase::choosing_name);

  // Signing in again goes back to the room it left.
  ASSERT_TRUE(vm_.sign_in("alice", kPassword));
  EXPECT_TRUE(vm_.state().login_notice.empty());
  sent();
  server_accepts_account("alice");
  const auto rejoin = sent();
  ASSERT_EQ(rejoin.size(), 1u);
  EXPECT_TRUE(is_join(rejoin[0], "jeux"));
}

TEST_F(ViewModelAccountsTest, OnlyAnAccountSignsOut) {
  open();
  EXPECT_FALSE(vm_.sign_out()) << "not logged in";
  ASSERT_TRUE(vm_.login("guest"));
  server_accepts_login_v2("guest", kToken);
  sent();
  EXPECT_FALSE(vm_.sign_out()) << "a guest";
  EXPECT_TRUE(sent().empty());
  EXPECT_EQ(vm_.phase(), Phase::online);
}

TEST_F(ViewModelAccountsTest, ASessionEndedElsewhereReturnsToTheSignInForm) {
  signed_in_as("alice");
  vm_.take_session_to_save();
  vm_.on_close(now_, 4001);
  EXPECT_FALSE(vm_.state().signed_in);
  EXPECT_EQ(vm_.state().login_mode, LoginMode::sign_in);
  EXPECT_NE(vm_.state().login_error.find("session was ended"), std::string::npos) << vm_.state().login_error;
  EXPECT_TRUE(shows_login(vm_.state()));
  EXPECT_EQ(vm_.state().my_name, "alice") << "the form offers the name again";
  const auto saved = vm_.take_session_to_save();
  ASSERT_TRUE(saved);
  EXPECT_TRUE(saved->token.empty()) << "the token is forgotten";
  // The next connection neither resumes nor logs in by itself: the person signs in.
  vm_.tick(now_ += 10);
  ASSERT_TRUE(vm_.take_connect_request());
  vm_.on_open(now_);
  EXPECT_EQ(vm_.phase(), Phase::choosing_name);
  EXPECT_TRUE(sent().empty());
}

// A reload after the session ended elsewhere: the token is refused; the name is the account's.
TEST_F(ViewModelAccountsTest, AnAccountsTokenRefusedOnResumeAsksForThePassword) {
  ViewModel reloaded(ViewModel::Options{}, SavedSession{"alice", kToken, "general", true});
  ASSERT_TRUE(reloaded.take_connect_request());
  reloaded.on_open(now_);
  const auto outgoing = reloaded.take_outgoing();
  ASSERT_EQ(outgoing.size(), 1u);
  MessageFrame refused = refusal(Error{ErrorCode::bad_token, ""});
  refused.request_id = decode_client_request(outgoing[0], Limits{}).request_id;
  reloaded.on_text(encode(ServerFrame{refused}), now_);
  EXPECT_EQ(reloaded.phase(), Phase::choosing_name);
  EXPECT_TRUE(reloaded.take_outgoing().empty()) << "no guest login under the account's name";
  EXPECT_FALSE(reloaded.state().signed_in);
  EXPECT_EQ(reloaded.state().login_mode, LoginMode::sign_in);
  EXPECT_TRUE(shows_login(reloaded.state()));
}

TEST_F(ViewModelAccountsTest, NoSignInWhileResumingOrLoggedIn) {
  ViewModel reloaded(ViewModel::Options{}, SavedSession{"alice", kToken, "general", true});
  reloaded.take_connect_request();
  reloaded.on_open(now_);
  EXPECT_FALSE(reloaded.sign_in("alice", kPassword));
  signed_in_as("bob");
  EXPECT_FALSE(vm_.create_account("carol", kPassword));
  EXPECT_EQ(vm_.state().login_error, "already logged in");
}

TEST_F(ViewModelAccountsTest, ChoosingAFormClearsTheNoticeOnly) {
  signed_in_as("alice");
  ASSERT_TRUE(vm_.sign_out());
  vm_.choose_login_mode(LoginMode::create_account);
  EXPECT_EQ(vm_.state().login_mode, LoginMode::create_account);
  EXPECT_TRUE(vm_.state().login_notice.empty());
  EXPECT_TRUE(shows_login(vm_.state()));
}

}  // namespace
}  // namespace chat::client
