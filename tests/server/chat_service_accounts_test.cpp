// The chat core's accounts (docs/ACCOUNTS.md): register, password login, guests refused an
// account's name and its look-alikes, the attempt limiter, the hasher's back-pressure. Sessions
// (logout, change_password, sessions, end_session) are in chat_service_sessions_test.cpp.
#include "fakes/account_test.hpp"

namespace chat {
namespace {

using ChatServiceAccountsTest = AccountTest;

TEST_F(ChatServiceAccountsTest, RegisterSignsInToTheNewAccountWithAnAccountToken) {
  const SessionId id = connect();
  const MessageFrame ack = first_message(register_as(id, "alice", kPassword));
  EXPECT_FALSE(ack.error);
  EXPECT_EQ(ack.event, Event::logged_in);
  EXPECT_TRUE(ack.account);
  EXPECT_EQ(ack.version, kCurrentVersion);
  ASSERT_FALSE(ack.token.empty());
  ASSERT_EQ(store_.accounts().size(), 1u);
  const StoredAccount& account = store_.accounts().begin()->second;
  EXPECT_EQ(account.name, "alice");
  EXPECT_EQ(account.password_hash, "hashed:" + std::string(kPassword));  // hashed by the hasher, not kept plain
  EXPECT_EQ(store_.tokens().at(token_id(ack.token)).account, account.id);
}

TEST_F(ChatServiceAccountsTest, RegisterRefusesAPasswordThePolicyRefuses) {
  EXPECT_EQ(first_message(register_as(connect(), "alice", "short")).error, ErrorCode::invalid_password);
  EXPECT_EQ(first_message(register_as(connect(), "alice", "ALICE")).error, ErrorCode::invalid_password);
  EXPECT_EQ(first_message(register_as(connect(), "alice", "Alice")).error, ErrorCode::invalid_password);  // too short, and the name
  EXPECT_TRUE(store_.accounts().empty());
  EXPECT_EQ(passwords_.hashes, 0);
}

TEST_F(ChatServiceAccountsTest, RegisterOfANameSomeoneElseHoldsOrOwnsIsRefused) {
  logged_in("Bob", kCurrentVersion);
  EXPECT_EQ(first_message(register_as(connect(), "bob", kPassword)).error, ErrorCode::name_taken);
  register_as(connect(), "alice", kPassword);
  const MessageFrame again = first_message(register_as(connect(), "ALICE", kPassword));
  EXPECT_EQ(again.error, ErrorCode::name_taken);
  EXPECT_TRUE(again.registered);
  EXPECT_EQ(store_.accounts().size(), 1u);
}

TEST_F(ChatServiceAccountsTest, AGuestMayRegisterItsOwnNameAndItsGuestTokensAreRevoked) {
  const auto [other_device, other_token] = v2_login("carol");
  service_->disconnect(other_device);
  clock_.now += 61'000;  // its name is no longer kept for it
  const auto [guest, guest_token] = v2_login("carol");
  const MessageFrame ack = first_message(register_as(guest, "carol", kPassword));
  EXPECT_FALSE(ack.error);
  EXPECT_TRUE(ack.account);
  EXPECT_NE(ack.token, guest_token);
  for (const auto& [id, token] : store_.tokens()) EXPECT_NE(token.account, 0) << "a guest token of carol survived";
  const SessionId back = connect();
  send(back, Resume{other_token, "general", 0});
  EXPECT_EQ(first_message(transport_.take(back)).error, ErrorCode::bad_token);  // a guest cannot come back as the owner
}

TEST_F(ChatServiceAccountsTest, AGuestIsRefusedARegisteredNameAndItsLookAlikesAsRegistered) {
  register_as(connect(), "alice", kPassword);
  for (const std::string name : {"alice", "Alice", "ALICE", "aIice", "\xEF\xBD\x81lice" /* ａ */}) {
    const SessionId guest = connect();
    for (const int version : {kSeedVersion, kCurrentVersion}) {
      send(guest, Login{name, version});
      const MessageFrame refused = first_message(transport_.take(guest));
      EXPECT_EQ(refused.error, ErrorCode::name_taken) << name;
      EXPECT_TRUE(refused.registered) << name;
    }
  }
  start();  // after a restart the keys come from the store's accounts
  const SessionId guest = connect();
  send(guest, Login{"aIice", kCurrentVersion});
  EXPECT_TRUE(first_message(transport_.take(guest)).registered);
}

TEST_F(ChatServiceAccountsTest, AnAccountHeardFromAnotherNodeIsRefusedToGuestsOnce) {
  const NameKeys keys = name_keys("dave");
  const StoredAccount dave{7, "dave", keys.identity, keys.lookalike, "", 0, 0};
  service_->account_created(dave);
  service_->account_created(dave);  // heard twice (load and inbox): one account
  const SessionId guest = connect();
  send(guest, Login{"Dave", kCurrentVersion});
  EXPECT_TRUE(first_message(transport_.take(guest)).registered);
}

TEST_F(ChatServiceAccountsTest, APasswordLoginFromASecondDeviceGetsTheAccountsOwnSpelling) {
  register_as(connect(), "Alice", kPassword);
  const SessionId second = connect("198.51.100.7");
  const MessageFrame ack = first_message(password_login(second, "alice", kPassword));
  EXPECT_FALSE(ack.error);
  EXPECT_EQ(ack.event, Event::logged_in);
  EXPECT_TRUE(ack.account);
  EXPECT_EQ(ack.user, "Alice");
  EXPECT_FALSE(ack.token.empty());
  EXPECT_TRUE(transport_.closed.empty());  // two devices of one account: nobody replaced
}

TEST_F(ChatServiceAccountsTest, TwoDevicesOfOneAccountArePresentOnce) {
  const SessionId first = connect();
  register_as(first, "alice", kPassword);
  const SessionId watcher = logged_in("watcher", kCurrentVersion);
  const SessionId second = connect();
  password_login(second, "alice", kPassword);
  EXPECT_TRUE(frames_of<PresenceFrame>(transport_.take(watcher)).empty());  // already there
  const SessionId late = connect();
  send(late, Login{"late", kCurrentVersion});
  const auto members = frames_of<MembersFrame>(transport_.take(late));
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(std::count(members[0].users.begin(), members[0].users.end(), "alice"), 1);
  transport_.take(watcher);  // late's arrival
  service_->disconnect(first);
  EXPECT_TRUE(frames_of<PresenceFrame>(transport_.take(watcher)).empty());  // one device is still there
  service_->disconnect(second);
  const auto left = frames_of<PresenceFrame>(transport_.take(watcher));
  ASSERT_EQ(left.size(), 1u);
  EXPECT_FALSE(left[0].joined);
}

// Work alike: the first try of a name without an account hashes the try (and makes the dummy hash
// beside it, not at start-up); the next ones are checked against the dummy, as a wrong password.
TEST_F(ChatServiceAccountsTest, AWrongPasswordAndAnUnknownNameGetTheSameAnswerAfterTheSameWork) {
  register_as(connect(), "alice", kPassword);
  service_->on_tick();
  settle();
  const int verifies = passwords_.verifies;
  const int hashes = passwords_.hashes;
  const MessageFrame wrong = first_message(password_login(connect(), "alice", "not the password"));
  EXPECT_EQ(passwords_.verifies, verifies + 1);
  EXPECT_EQ(passwords_.hashes, hashes) << "no dummy hash made before an unknown name is tried";
  const MessageFrame first_unknown = first_message(password_login(connect(), "nobody", "not the password"));
  EXPECT_EQ(passwords_.hashes, hashes + 2);  // the try, and the dummy for the next ones
  const MessageFrame unknown = first_message(password_login(connect(), "noone", "not the password"));
  EXPECT_EQ(passwords_.verifies, verifies + 2);  // checked against the dummy hash
  for (const MessageFrame* answer : {&wrong, &first_unknown, &unknown}) {
    EXPECT_EQ(answer->error, ErrorCode::bad_password);
    EXPECT_EQ(answer->message, wrong.message);
  }
  EXPECT_EQ(first_message(password_login(connect(), "aIice", kPassword)).error, ErrorCode::bad_password);  // a look-alike is not alice
}

TEST_F(ChatServiceAccountsTest, GuessesAreSlowedDownThenRefusedWithWhenToRetry) {
  register_as(connect(), "alice", kPassword);
  const SessionId guesser = connect("203.0.113.5");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(first_message(password_login(guesser, "alice", "guess" + std::to_string(i))).error, ErrorCode::bad_password);
  // The 4th waits for its slot, and the connection's next request waits behind it.
  send(guesser, PasswordLogin{"alice", "guess3"});
  send(guesser, Login{"bob", kCurrentVersion});
  EXPECT_TRUE(transport_.take(guesser).empty());
  clock_.now += 1'000;
  service_->on_tick();
  settle();
  const auto frames = frames_of<MessageFrame>(transport_.take(guesser));
  ASSERT_GE(frames.size(), 2u);
  EXPECT_EQ(frames[0].error, ErrorCode::bad_password);
  EXPECT_EQ(frames[1].event, Event::logged_in);  // bob's answer came after the held try's
  const SessionId other = connect("203.0.113.77");
  for (int i = 4; i < 6; ++i) EXPECT_EQ(answer_when_due(other, "alice", "guess" + std::to_string(i)).error, ErrorCode::bad_password);
  const MessageFrame refused = first_message(password_login(other, "alice", "guess6"));
  EXPECT_EQ(refused.error, ErrorCode::rate_limited);
  EXPECT_GT(refused.retry_after_ms, 0);
  // Even the right password waits its turn: a guesser gains nothing from knowing it is limited.
  EXPECT_EQ(first_message(password_login(connect(), "alice", kPassword)).error, ErrorCode::rate_limited);
}

TEST_F(ChatServiceAccountsTest, RequestsSentWhileThePasswordIsHashedWaitTheirTurn) {
  const SessionId id = connect();
  send(id, Register{"alice", kPassword}, false);
  send(id, SendMessage{"first line"}, false);  // sent after the register: answered after it
  EXPECT_TRUE(transport_.take(id).empty());
  EXPECT_EQ(passwords_.pending(), 1u);
  settle();
  const auto messages = frames_of<MessageFrame>(transport_.take(id));
  ASSERT_GE(messages.size(), 2u);
  EXPECT_EQ(messages.front().event, Event::logged_in);
  EXPECT_EQ(messages.back().event, Event::chat);  // logged in by then: the line went out
  EXPECT_EQ(messages.back().user, "alice");
}

TEST_F(ChatServiceAccountsTest, AFullHasherAnswersServerBusyAndCountsNoTry) {
  register_as(connect(), "alice", kPassword);
  passwords_.max_pending = 0;
  EXPECT_EQ(first_message(register_as(connect(), "bob", kPassword)).error, ErrorCode::server_busy);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(first_message(password_login(connect(), "alice", kPassword)).error, ErrorCode::server_busy);
  }
  passwords_.max_pending = 16;
  EXPECT_FALSE(first_message(password_login(connect(), "alice", kPassword)).error);  // none was counted
}

TEST_F(ChatServiceAccountsTest, AHashMadeWithOldLimitsIsReplacedAtASignInThatIsTheAccountsOnlySession) {
  const SessionId first = connect();
  register_as(first, "alice", kPassword);
  send(first, Logout{});  // the registration's token goes: the next sign-in is the only session
  passwords_.rehash_every_hash = true;
  clock_.now += 5'000;
  password_login(connect(), "alice", kPassword);
  EXPECT_EQ(store_.accounts().begin()->second.password_changed_ms, clock_.now);
  EXPECT_EQ(store_.tokens().size(), 1u);
  // With another session alive, storing a hash would end it (set_password keeps one token): not now.
  clock_.now += 5'000;
  password_login(connect(), "alice", kPassword);
  EXPECT_NE(store_.accounts().begin()->second.password_changed_ms, clock_.now);
  EXPECT_EQ(store_.tokens().size(), 2u);
}

TEST_F(ChatServiceAccountsTest, AnAccountTokenResumesOnSeveralConnectionsAtOnce) {
  const std::string token = first_message(register_as(connect(), "alice", kPassword)).token;
  const SessionId tab1 = connect();
  const SessionId tab2 = connect();
  send(tab1, Resume{token, "general", 0});
  send(tab2, Resume{token, "general", 0});
  EXPECT_EQ(first_message(transport_.take(tab1)).event, Event::resumed);
  const MessageFrame second = first_message(transport_.take(tab2));
  EXPECT_EQ(second.event, Event::resumed);
  EXPECT_TRUE(second.account);
  EXPECT_TRUE(transport_.closed.empty());  // no 4000 takeover for an account's token
}

// Accounts are every node's memory and a row each: capped in total and per address.
TEST_F(ChatServiceAccountsTest, RegistrationsBeyondTheCapAreRefusedTooManyAccounts) {
  ServiceOptions options;
  options.max_accounts = 2;
  start(options);
  register_as(connect("192.0.2.1"), "alice", kPassword);
  register_as(connect("192.0.2.2"), "bob", kPassword);
  const MessageFrame refused = first_message(register_as(connect("192.0.2.3"), "carol", kPassword));
  EXPECT_EQ(refused.error, ErrorCode::too_many_accounts);
  EXPECT_EQ(store_.accounts().size(), 2u);
  EXPECT_EQ(passwords_.hashes, 2) << "a refused registration costs no hash";
  EXPECT_TRUE(first_message(password_login(connect("192.0.2.3"), "bob", kPassword)).account) << "sign-ins go on";
}

TEST_F(ChatServiceAccountsTest, OneAddressRegistersAtMostItsBurstThenWaits) {
  ServiceOptions options;
  options.new_accounts_per_address_hour = 3;
  start(options);
  for (const char* name : {"ann", "ben", "cat"}) {
    EXPECT_TRUE(first_message(register_as(connect("198.51.100.7"), name, kPassword)).account) << name;
  }
  const MessageFrame limited = first_message(register_as(connect("198.51.100.7"), "dan", kPassword));
  EXPECT_EQ(limited.error, ErrorCode::rate_limited);
  EXPECT_GT(limited.retry_after_ms, 0);
  EXPECT_TRUE(first_message(register_as(connect("198.51.100.8"), "dan", kPassword)).account) << "another address is not held back";
  clock_.now += limited.retry_after_ms;
  EXPECT_TRUE(first_message(register_as(connect("198.51.100.7"), "eve", kPassword)).account) << "after the wait";
}

}  // namespace
}  // namespace chat
