// ViewModel: each request carries a request_id, and a refusal is shown where the request it
// names was made, whatever its code; one naming no pending request goes to the log.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "view_model_fixture.hpp"

namespace chat::client {
namespace {

class ViewModelRequestsTest : public ViewModelTest {
 protected:
  MessageFrame refused(ErrorCode code, std::string detail = "") { return refusal(Error{code, std::move(detail)}); }
  std::string last_log_text() const { return vm_.visible_log().back().text; }
  LogLine::Kind last_log_kind() const { return vm_.visible_log().back().kind; }
};

TEST_F(ViewModelRequestsTest, EveryRequestCarriesItsOwnId) {
  connect_and_login("bob");
  server_sends_rooms({"general", "jeux"});
  ASSERT_TRUE(vm_.send_message("a"));
  ASSERT_TRUE(vm_.create_room("neuve"));
  ASSERT_TRUE(vm_.join_room("jeux"));
  std::set<std::string> ids;
  for (const auto& request : sent_requests()) ids.insert(request.request_id);
  EXPECT_EQ(ids.size(), 3u);
}

// The same code answers a line (its room was deleted meanwhile) or a join: the id says which.
TEST_F(ViewModelRequestsTest, TheSameCodeGoesWhereItsRequestWasMade) {
  connect_and_login("bob");
  server_sends_rooms({"general", "jeux"});
  ASSERT_TRUE(vm_.send_message("hello"));
  const std::string line = last_request_id();
  ASSERT_TRUE(vm_.join_room("jeux"));
  const std::string join = last_request_id();

  server_answers(line, refused(ErrorCode::no_such_room, "the room was deleted"));
  EXPECT_EQ(vm_.state().input_error, "no such room: the room was deleted");
  EXPECT_EQ(vm_.state().room_error, "") << "a guess by code would have put it here";

  server_answers(join, refused(ErrorCode::no_such_room, "jeux"));
  EXPECT_EQ(vm_.state().room_error, "no such room: jeux");
}

TEST_F(ViewModelRequestsTest, AGenericRefusalOfARoomRequestIsShownAtTheRoomField) {
  connect_and_login("bob");
  ASSERT_TRUE(vm_.create_room("neuve"));
  MessageFrame limited = refused(ErrorCode::rate_limited, "too many new rooms from your address; retry in 5 ms");
  limited.retry_after_ms = 5;
  server_answers(limited);
  EXPECT_EQ(vm_.state().room_error, limited.message);
  EXPECT_EQ(vm_.state().input_error, "");
}

TEST_F(ViewModelRequestsTest, ARefusalNamingAnUnknownRequestGoesToTheLog) {
  connect_and_login("bob");
  ASSERT_TRUE(vm_.send_message("hello"));
  sent();
  server_answers("999", refused(ErrorCode::name_taken, "bob"));
  EXPECT_EQ(last_log_kind(), LogLine::Kind::error);
  EXPECT_EQ(last_log_text(), "this name is already in use: bob");
  EXPECT_EQ(vm_.state().last_error, "this name is already in use: bob");
  EXPECT_EQ(vm_.state().login_error, "") << "not guessed from the code";
  EXPECT_EQ(vm_.state().input_error, "");
  EXPECT_TRUE(vm_.state().logged_in);
}

TEST_F(ViewModelRequestsTest, ARefusalNamingNoRequestGoesToTheLog) {
  connect_and_login("bob");
  ASSERT_TRUE(vm_.send_message("hello"));
  server_answers("", refused(ErrorCode::message_too_long, "5 bytes"));
  EXPECT_EQ(last_log_kind(), LogLine::Kind::error);
  EXPECT_EQ(vm_.state().input_error, "");
}

// An answer forgets its request: a second refusal with the same id (the server's "token not
// saved" warning follows the login's acknowledgement) is not a refused login.
TEST_F(ViewModelRequestsTest, AWarningAfterTheLoginsAnswerIsNotALoginRefusal) {
  vm_.on_open(now_);
  ASSERT_TRUE(vm_.login("alice"));
  server_accepts_login_v2("alice", "a.token");
  server_refuses(ErrorCode::store_unavailable, "resume token not saved");
  EXPECT_TRUE(vm_.state().logged_in);
  EXPECT_EQ(vm_.state().login_error, "");
  EXPECT_EQ(last_log_kind(), LogLine::Kind::error);
}

TEST_F(ViewModelRequestsTest, ALoginRefusedForAnyReasonLetsTheUserTryAgain) {
  vm_.on_open(now_);
  ASSERT_TRUE(vm_.login("alice"));
  server_refuses(ErrorCode::rate_limited, "too many new resume tokens for your address; retry in 9 ms");
  EXPECT_EQ(vm_.phase(), Phase::choosing_name);
  EXPECT_FALSE(vm_.state().login_error.empty());
  EXPECT_TRUE(shows_login(vm_.state()));
}

TEST_F(ViewModelRequestsTest, OnlyOurOwnRoomCreationIsNews) {
  connect_and_login("bob");
  ASSERT_TRUE(vm_.create_room("jeux"));
  const std::string ours = last_request_id();
  const auto log_size = vm_.visible_log().size();
  // Someone else created a room of that name first: a broadcast, no id.
  server_sends(notice(Event::room_created, "Room jeux created", "", "jeux"));
  EXPECT_EQ(vm_.visible_log().size(), log_size) << "not ours, though the name matches";
  server_answers(ours, refused(ErrorCode::room_exists, "jeux"));
  EXPECT_EQ(vm_.state().room_error, "this room already exists: jeux");

  ASSERT_TRUE(vm_.create_room("mienne"));
  server_answers(notice(Event::room_created, "Room mienne created", "", "mienne"));
  EXPECT_EQ(last_log_text(), "Room mienne created");
  EXPECT_EQ(vm_.state().room_error, "");
}

TEST_F(ViewModelRequestsTest, ARefusedPageRequestCanBeMadeAgain) {
  connect_and_login("bob");
  server_sends(history("general", 51, 100, true));
  ASSERT_TRUE(vm_.load_older());
  EXPECT_TRUE(vm_.state().loading_older);
  server_refuses(ErrorCode::store_unavailable, "history");
  EXPECT_FALSE(vm_.state().loading_older);
  EXPECT_EQ(last_log_kind(), LogLine::Kind::error);
  EXPECT_TRUE(vm_.load_older());
}

TEST_F(ViewModelRequestsTest, APageWithAnotherIdDoesNotAnswerOurs) {
  connect_and_login("bob");
  server_sends(history("general", 51, 100, true));
  ASSERT_TRUE(vm_.load_older());
  server_sends(history("general", 1, 50, true));  // no id: not the answer
  EXPECT_TRUE(vm_.state().loading_older);
  server_answers(history("general", 1, 50, true));
  EXPECT_FALSE(vm_.state().loading_older);
}

// A refusal of a request sent more than max_pending_requests ago cannot be placed any more.
class ViewModelRequestCapTest : public ViewModelRequestsTest {
 protected:
  void with_cap(std::size_t cap) {
    ViewModel::Options options;
    options.max_pending_requests = cap;
    vm_ = ViewModel(options);
    connect_and_login("bob");
  }
  // A create_room, then `lines` lines after it; the create's refusal comes last.
  void refuse_create_after_lines(int lines) {
    ASSERT_TRUE(vm_.create_room("jeux"));
    const std::string create = last_request_id();
    for (int i = 0; i < lines; ++i) ASSERT_TRUE(vm_.send_message("line " + std::to_string(i)));
    server_answers(create, refusal(Error{ErrorCode::room_exists, "jeux"}));
  }
};

TEST_F(ViewModelRequestCapTest, WithinTheCapTheRefusalIsPlaced) {
  with_cap(3);
  refuse_create_after_lines(2);
  EXPECT_EQ(vm_.state().room_error, "this room already exists: jeux");
}

TEST_F(ViewModelRequestCapTest, PastTheCapItGoesToTheLog) {
  with_cap(3);
  refuse_create_after_lines(3);
  EXPECT_EQ(vm_.state().room_error, "");
  EXPECT_EQ(last_log_text(), "this room already exists: jeux");
  EXPECT_EQ(last_log_kind(), LogLine::Kind::error);
}

TEST_F(ViewModelRequestCapTest, ADropForgetsWhatTheDeadConnectionAsked) {
  with_cap(3);
  ASSERT_TRUE(vm_.create_room("jeux"));
  const std::string create = last_request_id();
  vm_.on_close(now_);
  vm_.tick(now_ += 10);
  ASSERT_TRUE(vm_.take_connect_request());
  vm_.on_open(now_);
  server_answers(create, refusal(Error{ErrorCode::room_exists, "jeux"}));
  EXPECT_EQ(vm_.state().room_error, "");
}

}  // namespace
}  // namespace chat::client
