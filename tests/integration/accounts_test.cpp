// Accounts over real sockets (docs/ACCOUNTS.md): register, sign in from a second connection, wrong
// passwords, guests refused a registered name and its look-alikes, logout, change_password and
// end_session closing the other connection with 4001, sessions, and guesses refused with
// rate_limited. The server hashes with the real Argon2id (0.2 to 0.4 s a hash here), so each test
// hashes a handful of times only.
#include "chat_fixture.hpp"

namespace chat_it {
namespace {

using chat::ErrorCode;
using chat::Event;

constexpr int kSessionEnded = 4001;

class AccountsTest : public ChatServerTest {
 protected:
  // Sends `frame` (register or a password login) and expects logged_in with "account":true for
  // `user`, then general's members and history. Returns the session token.
  std::string sign_in(ChatTestClient& client, const chat::ClientFrame& frame, const std::string& user) {
    client.send(frame);
    const chat::MessageFrame ack = client.expect_message(kHashTimeout);
    if (ack.event != Event::logged_in || ack.error || !ack.account || ack.user != user ||
        ack.version != chat::kCurrentVersion || ack.token.find('.') == std::string::npos) {
      client.fail("expected an account's logged_in for " + user + ", got " + client.last_raw());
    }
    client.expect_members("general");
    client.expect_history("general");
    client.set_label(user);
    return ack.token;
  }
  std::unique_ptr<ChatTestClient> registered(const std::string& name, std::string* token = nullptr) {
    auto client = connect();
    const std::string given = sign_in(*client, chat::Register{name, kPassword}, name);
    if (token) *token = given;
    return client;
  }
  std::unique_ptr<ChatTestClient> signed_in(const std::string& typed, const std::string& user,
                                            const std::string& password, std::string* token = nullptr) {
    auto client = connect();
    const std::string given = sign_in(*client, chat::PasswordLogin{typed, password}, user);
    if (token) *token = given;
    return client;
  }
  static std::string id_of(const std::string& token) { return token.substr(0, token.find('.')); }
};

TEST_F(AccountsTest, RegisterThenSignInFromASecondConnectionWithAnySpelling) {
  auto laptop = registered("Alice");
  auto phone = signed_in("alice", "Alice", kPassword);  // the account's own spelling comes back
  phone->send(chat::SendMessage{"from the phone"});
  phone->expect_chat_v2("Alice", "general", "from the phone");
  laptop->expect_chat_v2("Alice", "general", "from the phone");  // both connections are served at once
}

TEST_F(AccountsTest, AWrongPasswordAndAnUnknownNameGetTheSameRefusal) {
  registered("alice");
  auto guesser = connect();
  guesser->send(chat::PasswordLogin{"alice", "not the password"});
  const std::string wrong = guesser->expect_refusal(ErrorCode::bad_password, kHashTimeout).message;
  guesser->send(chat::PasswordLogin{"nobody", "not the password"});
  EXPECT_EQ(guesser->expect_refusal(ErrorCode::bad_password, kHashTimeout).message, wrong);
}

TEST_F(AccountsTest, AGuestIsRefusedARegisteredNameAndItsLookAlikesWithRegisteredTrue) {
  registered("alice");
  for (const std::string name : {"alice", "ALICE", "aIice"}) {
    auto guest = connect();
    guest->send(chat::Login{name});  // a seed client: name_taken, which it understands
    guest->expect_refusal(ErrorCode::name_taken);
    EXPECT_NE(guest->last_raw().find("\"registered\":true"), std::string::npos) << guest->last_raw();
  }
}

TEST_F(AccountsTest, LogoutEndsTheSessionButNotTheConnection) {
  std::string token;
  auto alice = registered("alice", &token);
  alice->send(chat::Logout{});
  EXPECT_EQ(alice->expect_message().event, Event::logged_out);
  alice->send(chat::SendMessage{"still here?"});
  alice->expect_refusal(ErrorCode::not_logged_in);
  auto back = connect();
  back->send(chat::Resume{token, "general", 0});
  back->expect_refusal(ErrorCode::bad_token);
  sign_in(*alice, chat::PasswordLogin{"alice", kPassword}, "alice");  // the same connection signs in again
}

TEST_F(AccountsTest, ChangePasswordClosesTheOtherConnectionWith4001) {
  auto laptop = registered("alice");
  auto phone = signed_in("alice", "alice", kPassword);
  laptop->send(chat::ChangePassword{kPassword, "a brand new secret"});
  EXPECT_EQ(laptop->expect_message(kHashTimeout).event, Event::password_changed);
  phone->expect_close(kSessionEnded);
  auto old = connect();
  old->send(chat::PasswordLogin{"alice", kPassword});
  old->expect_refusal(ErrorCode::bad_password, kHashTimeout);
  signed_in("alice", "alice", "a brand new secret");
  laptop->send(chat::SendMessage{"still signed in"});
  laptop->expect_chat_v2("alice", "general", "still signed in");
}

TEST_F(AccountsTest, SessionsListsTheDevicesAndEndSessionClosesOneWith4001) {
  std::string laptop_token;
  std::string phone_token;
  auto laptop = registered("alice", &laptop_token);
  auto phone = signed_in("alice", "alice", kPassword, &phone_token);
  laptop->send(chat::ListSessions{});
  const auto listed = laptop->next_json();
  ASSERT_TRUE(std::holds_alternative<chat::SessionsFrame>(listed)) << laptop->last_raw();
  const auto& sessions = std::get<chat::SessionsFrame>(listed).sessions;
  ASSERT_EQ(sessions.size(), 2u);
  EXPECT_EQ(sessions[0].id, id_of(phone_token));  // most recently used first
  EXPECT_FALSE(sessions[0].current);
  EXPECT_EQ(sessions[1].id, id_of(laptop_token));
  EXPECT_TRUE(sessions[1].current);
  laptop->send(chat::EndSession{"0123456789abcdef"});
  laptop->expect_refusal(ErrorCode::bad_token);
  laptop->send(chat::EndSession{id_of(phone_token)});
  const chat::MessageFrame ended = laptop->expect_message();
  EXPECT_EQ(ended.event, Event::session_ended);
  EXPECT_EQ(ended.session, id_of(phone_token));
  phone->expect_close(kSessionEnded);
  auto back = connect();
  back->send(chat::Resume{phone_token, "general", 0});
  back->expect_refusal(ErrorCode::bad_token);
}

TEST_F(AccountsTest, GuestsAreNotAllowedTheAccountActions) {
  auto guest = connect_as("guest");
  guest->send(chat::ListSessions{});
  guest->expect_refusal(ErrorCode::not_allowed);
  guest->send(chat::ChangePassword{"whatever one", "a brand new secret"});
  guest->expect_refusal(ErrorCode::not_allowed);
}

// Seven guesses at once from seven connections: three are checked at once, the next ones wait
// 1, 2 and 4 s for their turn, and the seventh is refused with when to retry.
TEST_F(AccountsTest, GuessesAreSlowedDownThenRefusedWithRateLimited) {
  registered("alice");
  std::vector<std::unique_ptr<ChatTestClient>> guessers;
  for (int i = 0; i < 7; ++i) guessers.push_back(connect());
  for (int i = 0; i < 7; ++i) guessers[i]->send(chat::PasswordLogin{"alice", "guess " + std::to_string(i)});
  int bad_password = 0;
  int rate_limited = 0;
  for (auto& guesser : guessers) {
    const chat::MessageFrame answer = guesser->expect_message(kHashTimeout);
    if (answer.error == ErrorCode::bad_password) ++bad_password;
    if (answer.error == ErrorCode::rate_limited) {
      ++rate_limited;
      EXPECT_GT(answer.retry_after_ms, 0);
    }
  }
  EXPECT_EQ(bad_password, 6);
  EXPECT_EQ(rate_limited, 1);
  auto owner = connect();  // the right password too waits for the name's turn
  owner->send(chat::PasswordLogin{"alice", kPassword});
  owner->expect_refusal(ErrorCode::rate_limited);
}

}  // namespace
}  // namespace chat_it
