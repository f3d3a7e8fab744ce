// ViewModel: connection life, login and logging back in, rooms, chat lines, early refusals (the
// v1 fallbacks included). History, resume, presence: view_model_v2_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "view_model_fixture.hpp"

namespace chat::client {
namespace {

TEST_F(ViewModelTest, AsksForTheFirstConnectionOnce) {
  EXPECT_EQ(vm_.state().connection, Connection::connecting);
  EXPECT_TRUE(vm_.take_connect_request());
  EXPECT_FALSE(vm_.take_connect_request());
}

TEST_F(ViewModelTest, ShowsTheRoomsSentOnConnect) {
  vm_.on_open(now_);
  server_sends_rooms({"general", "jeux"});
  EXPECT_EQ(vm_.state().connection, Connection::online);
  EXPECT_FALSE(vm_.state().logged_in);
  EXPECT_EQ(vm_.state().rooms, (std::vector<std::string>{"general", "jeux"}));
}

TEST_F(ViewModelTest, LoginSendsTheFrameAndTheReplyLogsIn) {
  vm_.on_open(now_);
  ASSERT_TRUE(vm_.login("zoé"));
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(is_login(frames[0], "zoé"));
  EXPECT_EQ(std::get<Login>(frames[0]).version, kCurrentVersion);  // history, resume, presence
  server_accepts_login("zoé");
  EXPECT_TRUE(vm_.state().logged_in);
  EXPECT_EQ(vm_.state().my_name, "zoé");
}

TEST_F(ViewModelTest, ARefusedNameShowsTheServersReasonAndAllowsAnotherTry) {
  vm_.on_open(now_);
  ASSERT_TRUE(vm_.login("alice"));
  server_refuses(ErrorCode::name_taken, "alice");
  EXPECT_FALSE(vm_.state().logged_in);
  EXPECT_EQ(vm_.state().login_error, "this name is already in use: alice");
  sent();
  ASSERT_TRUE(vm_.login("alice2"));
  EXPECT_TRUE(vm_.state().login_error.empty());
  server_accepts_login("alice2");
  EXPECT_EQ(vm_.state().my_name, "alice2");
}

TEST_F(ViewModelTest, InvalidNamesAreRefusedBeforeSending) {
  vm_.on_open(now_);
  EXPECT_FALSE(vm_.login(""));
  EXPECT_FALSE(vm_.state().login_error.empty());
  EXPECT_FALSE(vm_.login(" alice"));
  EXPECT_FALSE(vm_.login(std::string(33, 'a')));
  EXPECT_TRUE(sent().empty());
  EXPECT_EQ(vm_.state().last_error, vm_.state().login_error);
}

TEST_F(ViewModelTest, LoginBeforeTheSocketOpensIsRefused) {
  EXPECT_FALSE(vm_.login("alice"));
  EXPECT_TRUE(sent().empty());
  EXPECT_FALSE(vm_.state().login_error.empty());
}

TEST_F(ViewModelTest, ChatLinesAreSplitWithTheUserField) {
  connect_and_login("bob");
  // The author's name itself holds ": ", so searching for the colon would split wrongly.
  server_sends(chat_from("a: b", "general", "Salut à tous 👋"));
  const auto& log = vm_.visible_log();
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back().kind, LogLine::Kind::chat);
  EXPECT_EQ(log.back().user, "a: b");
  EXPECT_EQ(log.back().text, "Salut à tous 👋");
}

TEST_F(ViewModelTest, SendingValidatesThenSendsTheTextByteForByte) {
  connect_and_login("bob");
  EXPECT_FALSE(vm_.send_message(""));
  EXPECT_FALSE(vm_.send_message("   "));
  EXPECT_FALSE(vm_.send_message(std::string(4097, 'x')));
  EXPECT_FALSE(vm_.send_message("bell\a"));
  EXPECT_TRUE(sent().empty());
  EXPECT_FALSE(vm_.state().input_error.empty());

  ASSERT_TRUE(vm_.send_message(" Ça va ? 👍 "));
  EXPECT_TRUE(vm_.state().input_error.empty());
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(std::get<SendMessage>(frames[0]).message, " Ça va ? 👍 ");
}

TEST_F(ViewModelTest, NothingIsSentBeforeLogin) {
  vm_.on_open(now_);
  EXPECT_FALSE(vm_.send_message("hello"));
  EXPECT_FALSE(vm_.create_room("jeux"));
  EXPECT_FALSE(vm_.join_room("general"));
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelTest, ServerRefusalsOfTextGoNextToTheInput) {
  connect_and_login("bob");
  ASSERT_TRUE(vm_.send_message(std::string(10, 'x')));  // the server's limit is lower than ours
  server_refuses(ErrorCode::message_too_long, "4097 bytes");
  EXPECT_EQ(vm_.state().input_error, "message too long: 4097 bytes");
  EXPECT_EQ(vm_.state().last_error, "message too long: 4097 bytes");
}

TEST_F(ViewModelTest, CreatingARoomValidatesAndRefusesAKnownRoom) {
  connect_and_login("bob");
  EXPECT_FALSE(vm_.create_room("general"));
  EXPECT_EQ(vm_.state().room_error, "this room already exists: general");
  EXPECT_FALSE(vm_.create_room(""));
  EXPECT_TRUE(sent().empty());
  ASSERT_TRUE(vm_.create_room("jeux"));
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(std::get<CreateRoom>(frames[0]).room, "jeux");
  server_refuses(ErrorCode::room_exists, "jeux");
  EXPECT_EQ(vm_.state().room_error, "this room already exists: jeux");
}

TEST_F(ViewModelTest, JoiningMovesTheCurrentRoomOnlyWhenTheServerSaysSo) {
  connect_and_login("bob");
  server_sends_rooms({"general", "jeux"});
  ASSERT_TRUE(vm_.join_room("jeux"));
  EXPECT_TRUE(is_join(sent().at(0), "jeux"));
  EXPECT_EQ(vm_.state().current_room, "general");
  server_says_joined("jeux");
  EXPECT_EQ(vm_.state().current_room, "jeux");
}

TEST_F(ViewModelTest, EachRoomKeepsItsOwnLog) {
  connect_and_login("bob");
  server_sends(chat_from("ann", "general", "in general"));
  server_says_joined("jeux");
  server_sends(chat_from("ann", "jeux", "in jeux"));
  for (const auto& line : vm_.visible_log()) EXPECT_NE(line.text, "in general");
  EXPECT_EQ(vm_.visible_log().back().text, "in jeux");
  server_says_joined("general");
  bool found = false;
  for (const auto& line : vm_.visible_log()) found = found || line.text == "in general";
  EXPECT_TRUE(found);
}

TEST_F(ViewModelTest, LogIsBoundedPerRoom) {
  ViewModel::Options options;
  options.max_log_lines_per_room = 3;
  vm_ = ViewModel(options);
  connect_and_login("bob");
  for (int i = 0; i < 10; ++i) server_sends(chat_from("ann", "general", std::to_string(i)));
  ASSERT_EQ(vm_.visible_log().size(), 3u);
  EXPECT_EQ(vm_.visible_log().back().text, "9");
  EXPECT_EQ(vm_.visible_log().front().text, "7");
}

TEST_F(ViewModelTest, AnUnreadableFrameIsReportedAndIgnored) {
  connect_and_login("bob");
  vm_.on_text("{not json", now_);
  EXPECT_NE(vm_.state().last_error.find("unreadable"), std::string::npos);
  EXPECT_TRUE(vm_.state().logged_in);
}

TEST_F(ViewModelTest, ADropSchedulesRetriesWithCappedExponentialBackoff) {
  connect_and_login("bob");
  vm_.on_close(now_);
  EXPECT_EQ(vm_.state().connection, Connection::offline);
  EXPECT_FALSE(vm_.state().logged_in);

  const double expected[] = {0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0};
  for (double delay : expected) {
    EXPECT_DOUBLE_EQ(vm_.state().retry_at - now_, delay);
    vm_.tick(vm_.state().retry_at - 0.01);
    EXPECT_FALSE(vm_.take_connect_request()) << "too early for delay " << delay;
    now_ = vm_.state().retry_at;
    vm_.tick(now_);
    ASSERT_TRUE(vm_.take_connect_request()) << "delay " << delay;
    EXPECT_EQ(vm_.state().connection, Connection::connecting);
    vm_.on_close(now_);  // the server is still down
  }
}

// Clients that a server restart dropped together must not all come back at the same instant.
TEST(ViewModelBackoff, EachRetryIsSpreadByTheRandomSource) {
  ViewModel::Options options;
  double unit = 0.0;
  options.random_unit = [&unit] { return unit; };
  ViewModel vm(options);
  vm.tick(0);
  ASSERT_TRUE(vm.take_connect_request());
  unit = 0.5;
  vm.on_close(10.0);  // never connected: the first retry is the 0.5 s one, a quarter off
  EXPECT_DOUBLE_EQ(vm.state().retry_at, 10.375);
  vm.tick(vm.state().retry_at);
  ASSERT_TRUE(vm.take_connect_request());
  unit = 0.0;
  vm.on_close(20.0);  // the next one doubles, not spread this time
  EXPECT_DOUBLE_EQ(vm.state().retry_at, 21.0);
}

TEST_F(ViewModelTest, NothingIsSentWhileOffline) {
  connect_and_login("bob");
  vm_.on_close(now_);
  EXPECT_FALSE(vm_.send_message("hello"));
  EXPECT_EQ(vm_.state().input_error, "not connected: nothing was sent");
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelTest, WithoutATokenLogsBackInUnderTheSameNameAndRejoinsTheRoom) {
  connect_and_login("zoé");
  server_says_joined("jeux");
  vm_.on_close(now_);
  now_ += 10;
  vm_.tick(now_);
  ASSERT_TRUE(vm_.take_connect_request());
  vm_.on_open(now_);
  EXPECT_TRUE(vm_.state().relogging_in);
  EXPECT_EQ(vm_.state().current_room, "general");
  auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(is_login(frames[0], "zoé"));

  server_accepts_login("zoé");
  EXPECT_TRUE(vm_.state().logged_in);
  EXPECT_FALSE(vm_.state().relogging_in);
  frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(is_join(frames[0], "jeux"));
}

TEST_F(ViewModelTest, BackoffRestartsAfterASuccessfulReconnect) {
  connect_and_login("bob");
  vm_.on_close(now_);
  vm_.tick(now_ += 1);
  vm_.take_connect_request();
  vm_.on_close(now_);  // failed attempt: next delay doubles
  EXPECT_DOUBLE_EQ(vm_.state().retry_at - now_, 1.0);
  vm_.tick(now_ += 2);
  vm_.take_connect_request();
  vm_.on_open(now_);
  server_accepts_login("bob");
  vm_.on_close(now_);
  EXPECT_DOUBLE_EQ(vm_.state().retry_at - now_, 0.5);
}

TEST_F(ViewModelTest, RetriesATakenNameForAWhileAfterReconnecting) {
  connect_and_login("bob");
  vm_.on_close(now_);
  vm_.tick(now_ += 1);
  vm_.take_connect_request();
  vm_.on_open(now_);
  sent();
  // The server has not noticed yet that our previous connection is dead.
  server_refuses(ErrorCode::name_taken, "bob");
  EXPECT_TRUE(vm_.state().login_error.empty());
  vm_.tick(now_ + 0.5);
  EXPECT_TRUE(sent().empty());
  vm_.tick(now_ += 1.0);
  auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(is_login(frames[0], "bob"));

  // Past the window, the refusal is shown and the user picks a name.
  now_ += 20;
  server_refuses(ErrorCode::name_taken, "bob");
  EXPECT_EQ(vm_.state().login_error, "this name is already in use: bob");
  EXPECT_FALSE(vm_.state().relogging_in);
  vm_.tick(now_ + 5);
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelTest, PlainNoticesAndUnknownRefusalsLandInTheLog) {
  connect_and_login("bob");
  server_sends(notice(Event::none, "server going down", "", ""));
  EXPECT_EQ(vm_.visible_log().back().text, "server going down");
  server_refuses(ErrorCode::other, "");
  EXPECT_EQ(vm_.visible_log().back().kind, LogLine::Kind::error);
}

}  // namespace
}  // namespace chat::client
