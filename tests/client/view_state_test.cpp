// status_text: the status bar's words for each connection state; clock_text: a line's time.
#include "app/view_state.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <ctime>

namespace chat::client {
namespace {

TEST(StatusText, OfflineCountsDownToTheRetry) {
  ViewState state;
  state.connection = Connection::offline;
  state.retry_at = 10.0;
  EXPECT_EQ(status_text(state, 7.2), "Disconnected: retrying in 3 s");
  EXPECT_EQ(status_text(state, 12.0), "Disconnected: retrying in 0 s");
}

TEST(StatusText, NamesTheUserOnceLoggedIn) {
  ViewState state;
  state.connection = Connection::online;
  EXPECT_EQ(status_text(state, 0), "Connected: choose a nickname");
  state.logged_in = true;
  state.my_name = "zoé";
  EXPECT_EQ(status_text(state, 0), "Connected as zoé");
}

TEST(StatusText, SaysSignedInForAnAccountAndSignInOnItsForm) {
  ViewState state;
  state.connection = Connection::online;
  state.login_mode = LoginMode::sign_in;
  EXPECT_EQ(status_text(state, 0), "Connected: sign in");
  state.logged_in = true;
  state.signed_in = true;
  state.my_name = "zoé";
  EXPECT_EQ(status_text(state, 0), "Signed in as zoé");
}

TEST(StatusText, SaysReconnectingWhenANameIsKnown) {
  ViewState state;
  EXPECT_EQ(status_text(state, 0), "Connecting...");
  state.my_name = "alice";
  EXPECT_EQ(status_text(state, 0), "Reconnecting...");
}

}  // namespace
}  // namespace chat::client

namespace chat::client {
namespace {

TEST(ShowsLogin, UntilTheFirstLoginAndAfterAFailedRelogin) {
  ViewState state;
  EXPECT_TRUE(shows_login(state));
  state.logged_in = true;
  state.my_name = "alice";
  EXPECT_FALSE(shows_login(state));
  state.logged_in = false;  // connection dropped: keep the chat on screen while reconnecting
  EXPECT_FALSE(shows_login(state));
  state.login_error = "this name is already in use: alice";
  EXPECT_TRUE(shows_login(state));
}

}  // namespace
}  // namespace chat::client

namespace chat::client {
namespace {

TEST(ClockText, IsTheLocalHourAndMinute) {
  const std::int64_t ts = 1'795'564'868'970;  // ms
  const std::time_t seconds = static_cast<std::time_t>(ts / 1000);
  std::tm local{};
  ASSERT_TRUE(localtime_r(&seconds, &local));
  char expected[8];
  std::snprintf(expected, sizeof expected, "%02d:%02d", local.tm_hour, local.tm_min);
  EXPECT_EQ(clock_text(ts), expected);
  EXPECT_EQ(clock_text(0), "") << "a line without a time shows none";
}

}  // namespace
}  // namespace chat::client
