// The chat core's account sessions (docs/ACCOUNTS.md, Sessions are resume tokens): logout,
// change_password, sessions, end_session, what guests are refused, and sessions ended elsewhere.
#include "fakes/account_test.hpp"

namespace chat {
namespace {

constexpr int kSessionEnded = 4001;

using ChatServiceSessionsTest = AccountTest;

TEST_F(ChatServiceSessionsTest, LogoutDeletesTheTokenAndLeavesTheConnectionOpenButLoggedOut) {
  const auto [id, token] = device("alice");
  send(id, Logout{});
  EXPECT_EQ(first_message(transport_.take(id)).event, Event::logged_out);
  EXPECT_TRUE(store_.tokens().empty());
  EXPECT_FALSE(transport_.closed.count(id));
  send(id, SendMessage{"hello"});
  EXPECT_EQ(first_message(transport_.take(id)).error, ErrorCode::not_logged_in);
  const SessionId back = connect();
  send(back, Resume{token, "general", 0});
  EXPECT_EQ(first_message(transport_.take(back)).error, ErrorCode::bad_token);
  EXPECT_FALSE(first_message(password_login(id, "alice", kPassword)).error);  // and signs in again
}

TEST_F(ChatServiceSessionsTest, LogoutEndsTheOtherTabsSharingTheToken) {
  const auto [tab1, token] = device("alice");
  const SessionId tab2 = connect();
  send(tab2, Resume{token, "general", 0});
  send(tab1, Logout{});
  EXPECT_EQ(transport_.closed[tab2], kSessionEnded);
}

TEST_F(ChatServiceSessionsTest, ChangePasswordEndsEveryOtherDeviceWith4001AndKeepsThisOne) {
  const auto [laptop, laptop_token] = device("alice");
  const auto [phone, phone_token] = device("alice", "198.51.100.9");
  send(laptop, ChangePassword{kPassword, "a brand new secret"});
  EXPECT_EQ(first_message(transport_.take(laptop)).event, Event::password_changed);
  EXPECT_EQ(transport_.closed[phone], kSessionEnded);
  EXPECT_FALSE(transport_.closed.count(laptop));
  ASSERT_EQ(store_.tokens().size(), 1u);
  EXPECT_EQ(store_.tokens().begin()->first, token_id(laptop_token));
  EXPECT_EQ(store_.accounts().begin()->second.password_hash, "hashed:a brand new secret");
  const SessionId back = connect();
  send(back, Resume{phone_token, "general", 0});
  EXPECT_EQ(first_message(transport_.take(back)).error, ErrorCode::bad_token);
  EXPECT_EQ(first_message(password_login(connect(), "alice", kPassword)).error, ErrorCode::bad_password);
  EXPECT_FALSE(first_message(password_login(connect(), "alice", "a brand new secret")).error);
}

TEST_F(ChatServiceSessionsTest, ChangePasswordChecksTheOldOneAndThePolicy) {
  const auto [laptop, token] = device("alice");
  const auto [phone, phone_token] = device("alice");
  send(laptop, ChangePassword{"wrong old one", "a brand new secret"});
  EXPECT_EQ(first_message(transport_.take(laptop)).error, ErrorCode::bad_password);
  send(laptop, ChangePassword{kPassword, "short"});
  EXPECT_EQ(first_message(transport_.take(laptop)).error, ErrorCode::invalid_password);
  EXPECT_TRUE(transport_.closed.empty());
  EXPECT_EQ(store_.accounts().begin()->second.password_hash, "hashed:" + std::string(kPassword));
  passwords_.max_pending = 0;
  send(laptop, ChangePassword{kPassword, "a brand new secret"});
  EXPECT_EQ(first_message(transport_.take(laptop)).error, ErrorCode::server_busy);
}

TEST_F(ChatServiceSessionsTest, SessionsListsTheAccountsTokensMostRecentFirstWithTheCurrentMarked) {
  const auto [first, first_token] = device("alice");
  clock_.now += 1'000;
  const auto [second, second_token] = device("alice");
  device("bob");
  send(first, ListSessions{});
  const auto lists = frames_of<SessionsFrame>(transport_.take(first));
  ASSERT_EQ(lists.size(), 1u);
  const auto& sessions = lists[0].sessions;
  ASSERT_EQ(sessions.size(), 2u);  // bob's is not alice's
  EXPECT_EQ(sessions[0].id, token_id(second_token));
  EXPECT_FALSE(sessions[0].current);
  EXPECT_EQ(sessions[1].id, token_id(first_token));
  EXPECT_TRUE(sessions[1].current);
  EXPECT_GT(sessions[0].last_used_ms, sessions[1].last_used_ms);
  EXPECT_EQ(sessions[1].created_ms, clock_.now - 1'000);
}

TEST_F(ChatServiceSessionsTest, EndSessionClosesThatDeviceAndRefusesTokensNotTheAccounts) {
  const auto [laptop, laptop_token] = device("alice");
  const auto [phone, phone_token] = device("alice");
  const auto [bob, bob_token] = device("bob");
  send(laptop, EndSession{token_id(bob_token)});
  EXPECT_EQ(first_message(transport_.take(laptop)).error, ErrorCode::bad_token);
  send(laptop, EndSession{"0123456789abcdef"});
  EXPECT_EQ(first_message(transport_.take(laptop)).error, ErrorCode::bad_token);
  EXPECT_TRUE(transport_.closed.empty());
  send(laptop, EndSession{token_id(phone_token)});
  const MessageFrame ack = first_message(transport_.take(laptop));
  EXPECT_EQ(ack.event, Event::session_ended);
  EXPECT_EQ(ack.session, token_id(phone_token));
  EXPECT_EQ(transport_.closed[phone], kSessionEnded);
  EXPECT_EQ(store_.tokens().count(token_id(phone_token)), 0u);
  EXPECT_FALSE(transport_.closed.count(laptop));
}

TEST_F(ChatServiceSessionsTest, GuestsAreNotAllowedAccountActions) {
  const SessionId guest = logged_in("guest", kCurrentVersion);
  send(guest, ChangePassword{"whatever one", "a brand new secret"});
  EXPECT_EQ(first_message(transport_.take(guest)).error, ErrorCode::not_allowed);
  send(guest, ListSessions{});
  EXPECT_EQ(first_message(transport_.take(guest)).error, ErrorCode::not_allowed);
  send(guest, EndSession{"0123456789abcdef"});
  EXPECT_EQ(first_message(transport_.take(guest)).error, ErrorCode::not_allowed);
  const SessionId nobody = connect();
  send(nobody, Logout{});
  EXPECT_EQ(first_message(transport_.take(nobody)).error, ErrorCode::not_logged_in);
}

TEST_F(ChatServiceSessionsTest, ATokenDeletedByAnotherNodeClosesItsConnectionsHere) {
  const auto [laptop, token] = device("alice");
  const SessionId tab = connect();
  send(tab, Resume{token, "general", 0});
  service_->token_deleted(token_id(token));
  EXPECT_EQ(transport_.closed[laptop], kSessionEnded);
  EXPECT_EQ(transport_.closed[tab], kSessionEnded);
}

TEST_F(ChatServiceSessionsTest, AnEleventhDeviceEndsTheLeastRecentlyUsedOne) {
  const auto [oldest, oldest_token] = device("alice");
  for (int i = 0; i < 10; ++i) {
    clock_.now += 1'000;
    device("alice", "198.51.100." + std::to_string(i));
  }
  EXPECT_EQ(transport_.closed[oldest], kSessionEnded);
  EXPECT_EQ(store_.tokens().size(), 10u);
  EXPECT_EQ(store_.tokens().count(token_id(oldest_token)), 0u);
}

}  // namespace
}  // namespace chat
