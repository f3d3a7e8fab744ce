// ViewModel with protocol version 2: the token and the saved session, resume after a drop (and
// login when it is refused), logs merged by id from live lines and history, older pages, members.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "view_model_fixture.hpp"

namespace chat::client {
namespace {

class ViewModelV2Test : public ViewModelTest {
 protected:
  // Logged in as alice in `room`, holding lines first..last of it (none if first > last).
  void in_room_with_lines(const std::string& room, std::int64_t first, std::int64_t last,
                          bool more = false) {
    connect_and_login_v2("alice");
    if (room != "general") {
      ASSERT_TRUE(vm_.join_room(room));
      sent();
      server_says_joined(room);
    }
    server_sends(MembersFrame{room, {"alice"}});
    server_sends(history(room, first, last, more));
  }

  void connect_and_login_v2(const std::string& name) {
    ASSERT_TRUE(vm_.take_connect_request());
    vm_.on_open(now_);
    server_sends_rooms({"general", "jeux"});
    ASSERT_TRUE(vm_.login(name));
    sent();
    server_accepts_login_v2(name, kToken);
  }

  // The connection dies and the next one opens.
  void drop_and_reconnect(int close_code = 1006) {
    vm_.on_close(now_, close_code);
    vm_.tick(now_ += 10);
    ASSERT_TRUE(vm_.take_connect_request());
    vm_.on_open(now_);
  }

  std::optional<Resume> sent_resume() {
    const auto frames = sent();
    if (frames.size() != 1 || !std::holds_alternative<Resume>(frames[0])) return std::nullopt;
    return std::get<Resume>(frames[0]);
  }
};

TEST_F(ViewModelV2Test, TheLoginReplysTokenIsTheSessionToSave) {
  EXPECT_FALSE(vm_.take_session_to_save());  // nothing yet, nothing to store
  connect_and_login_v2("alice");
  const auto session = vm_.take_session_to_save();
  ASSERT_TRUE(session);
  EXPECT_EQ(*session, (SavedSession{"alice", kToken, "general"}));
  EXPECT_FALSE(vm_.take_session_to_save()) << "only when it changes";
  server_says_joined("jeux");
  EXPECT_EQ(vm_.take_session_to_save(), (SavedSession{"alice", kToken, "jeux"}));
}

TEST_F(ViewModelV2Test, HistoryAndLiveLinesMergeInIdOrderEachOnce) {
  connect_and_login_v2("alice");
  server_sends(chat_v2("general", 4));  // live, before the history that was being read
  server_sends(history("general", 1, 4, false));
  server_sends(chat_v2("general", 4));  // seen twice
  server_sends(chat_v2("general", 5));
  server_sends(history("general", 3, 5, false));
  EXPECT_EQ(shown_ids(), ids(1, 5));
  const LogLine& last = vm_.visible_log().back();
  EXPECT_EQ(last.text, "line 5");
  EXPECT_EQ(last.ts, 1'700'000'000'005);
}

// What a notification may be about: live lines, each once, with their room; not history.
TEST_F(ViewModelV2Test, LiveLinesArriveOnceWithTheirRoomHistoryDoesNot) {
  in_room_with_lines("jeux", 1, 3);
  EXPECT_TRUE(vm_.take_arrivals().empty()) << "history is not news";
  server_sends(chat_v2("jeux", 4, "bob"));
  server_sends(chat_v2("jeux", 4, "bob"));  // again: not news twice
  server_sends(chat_v2("general", 9, "eve"));
  const auto arrivals = vm_.take_arrivals();
  ASSERT_EQ(arrivals.size(), 2u);
  EXPECT_EQ(arrivals[0].room, "jeux");
  EXPECT_EQ(arrivals[0].line.user, "bob");
  EXPECT_EQ(arrivals[0].line.text, "line 4");
  EXPECT_EQ(arrivals[1].room, "general");
  EXPECT_TRUE(vm_.take_arrivals().empty());
}

TEST_F(ViewModelV2Test, ResumesAfterADropWithTheLastIdOfTheRoom) {
  in_room_with_lines("jeux", 10, 11);
  server_sends(chat_v2("jeux", 12));
  drop_and_reconnect();
  EXPECT_TRUE(vm_.state().relogging_in);
  EXPECT_EQ(vm_.state().current_room, "jeux") << "the log stays on screen while resuming";
  const auto resume = sent_resume();
  ASSERT_TRUE(resume);
  EXPECT_EQ(resume->token, kToken);
  EXPECT_EQ(resume->room, "jeux");
  EXPECT_EQ(resume->after_id, 12);

  server_resumes("alice", "jeux", kToken);
  EXPECT_TRUE(vm_.state().logged_in);
  EXPECT_TRUE(sent().empty()) << "the server put us back in the room: no join";
  // The missed lines, in two frames; "more" speaks of lines we already hold.
  server_sends(history("jeux", 13, 14, true));
  server_sends(history("jeux", 15, 15, true));
  server_sends(chat_v2("jeux", 16));
  EXPECT_EQ(shown_ids(), ids(10, 16));
  EXPECT_FALSE(vm_.state().has_older);
}

TEST_F(ViewModelV2Test, ResumeIntoAnotherRoomThanAskedIsTreatedAsEnteringIt) {
  in_room_with_lines("jeux", 10, 12);
  drop_and_reconnect();
  ASSERT_TRUE(sent_resume());
  server_resumes("alice", "general", kToken);  // jeux is gone
  EXPECT_EQ(vm_.state().current_room, "general");
  server_sends(history("general", 40, 89, true));
  EXPECT_EQ(shown_ids(), ids(40, 89));
  EXPECT_TRUE(vm_.state().has_older);
}

TEST_F(ViewModelV2Test, FallsBackToLoginWhenTheTokenIsRefused) {
  in_room_with_lines("jeux", 1, 3);
  vm_.take_session_to_save();
  drop_and_reconnect();
  ASSERT_TRUE(sent_resume());
  server_refuses(ErrorCode::bad_token, "");
  auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(is_login(frames[0], "alice"));
  EXPECT_EQ(std::get<Login>(frames[0]).version, kCurrentVersion);
  EXPECT_EQ(vm_.take_session_to_save(), SavedSession{}) << "the dead token is forgotten";
  EXPECT_TRUE(vm_.state().login_error.empty());

  server_accepts_login_v2("alice", "new.token");
  frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(is_join(frames[0], "jeux"));
  EXPECT_EQ(vm_.take_session_to_save(), (SavedSession{"alice", "new.token", "general"}));
}

TEST_F(ViewModelV2Test, AfterBadTokenAFreshLoginStillWaitsForTheOldConnectionToDie) {
  connect_and_login_v2("alice");
  drop_and_reconnect();
  ASSERT_TRUE(sent_resume());
  server_refuses(ErrorCode::bad_token, "");
  sent();
  server_refuses(ErrorCode::name_taken, "alice");
  EXPECT_TRUE(vm_.state().login_error.empty());
  vm_.tick(now_ += 1.0);
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(is_login(frames[0], "alice"));
}

TEST_F(ViewModelV2Test, ANameTakenByAnotherAfterTheGracePeriodAsksForANewName) {
  connect_and_login_v2("alice");
  drop_and_reconnect();
  ASSERT_TRUE(sent_resume());
  server_refuses(ErrorCode::name_taken, "alice");
  EXPECT_TRUE(sent().empty());
  EXPECT_EQ(vm_.state().login_error, "this name is already in use: alice");
  EXPECT_TRUE(shows_login(vm_.state()));
  vm_.tick(now_ += 5);
  EXPECT_TRUE(sent().empty()) << "no retry: resuming would find the same owner";
}

TEST_F(ViewModelV2Test, AConnectionReplacedByAnotherWindowDoesNotTakeTheNameBack) {
  connect_and_login_v2("alice");
  vm_.take_session_to_save();
  drop_and_reconnect(4000);
  EXPECT_TRUE(sent().empty()) << "resuming would close the other window's connection in turn";
  EXPECT_TRUE(shows_login(vm_.state()));
  EXPECT_FALSE(vm_.state().login_error.empty());
  EXPECT_EQ(vm_.take_session_to_save(), SavedSession{});
}

TEST_F(ViewModelV2Test, AReloadResumesTheSavedSessionAndShowsTheLatestLines) {
  vm_ = ViewModel(ViewModel::Options{}, SavedSession{"alice", kToken, "jeux"});
  EXPECT_EQ(vm_.state().my_name, "alice");
  EXPECT_EQ(vm_.state().current_room, "jeux");
  EXPECT_FALSE(shows_login(vm_.state())) << "no name to type";
  EXPECT_FALSE(vm_.take_session_to_save()) << "already stored";
  ASSERT_TRUE(vm_.take_connect_request());
  vm_.on_open(now_);
  const auto resume = sent_resume();
  ASSERT_TRUE(resume);
  EXPECT_EQ(resume->token, kToken);
  EXPECT_EQ(resume->room, "jeux");
  EXPECT_EQ(resume->after_id, 0);
  server_resumes("alice", "jeux", kToken);
  server_sends(history("jeux", 51, 100, true));
  EXPECT_EQ(shown_ids(), ids(51, 100));
  EXPECT_TRUE(vm_.state().has_older);
  EXPECT_FALSE(vm_.take_session_to_save());
}

TEST_F(ViewModelV2Test, ScrollingBackAsksForTheOlderPageOnceAtATime) {
  in_room_with_lines("general", 51, 100, true);
  EXPECT_TRUE(vm_.state().has_older);
  ASSERT_TRUE(vm_.load_older());
  const auto frames = sent();
  ASSERT_EQ(frames.size(), 1u);
  const auto& request = std::get<History>(frames[0]);
  EXPECT_EQ(request.room, "general");
  EXPECT_EQ(request.before_id, 51);
  EXPECT_EQ(request.limit, 50);
  EXPECT_TRUE(vm_.state().loading_older);
  EXPECT_FALSE(vm_.load_older());
  EXPECT_TRUE(sent().empty()) << "already asked";

  server_sends(chat_v2("general", 101));  // live lines keep coming meanwhile
  server_answers(history("general", 1, 50, false));
  EXPECT_FALSE(vm_.state().loading_older);
  EXPECT_FALSE(vm_.state().has_older);
  EXPECT_EQ(shown_ids(), ids(1, 101));
  EXPECT_FALSE(vm_.load_older()) << "the room's first line is shown";
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelV2Test, NoOlderPageIsAskedForWhenTheServerHasNone) {
  in_room_with_lines("general", 1, 20, false);
  EXPECT_FALSE(vm_.state().has_older);
  EXPECT_FALSE(vm_.load_older());
  EXPECT_TRUE(sent().empty());
}

TEST_F(ViewModelV2Test, NoOlderPageBeforeTheRoomsLatestLinesArrived) {
  in_room_with_lines("general", 51, 100, true);
  ASSERT_TRUE(vm_.join_room("jeux"));
  sent();
  server_says_joined("jeux");
  EXPECT_FALSE(vm_.load_older());
  server_sends(history("jeux", 200, 249, true));
  EXPECT_TRUE(vm_.load_older());
}

TEST_F(ViewModelV2Test, APageRequestLostInADropCanBeMadeAgain) {
  in_room_with_lines("general", 51, 100, true);
  ASSERT_TRUE(vm_.load_older());
  drop_and_reconnect();
  ASSERT_TRUE(sent_resume());
  server_resumes("alice", "general", kToken);
  server_sends(history("general", 101, 100, true));  // nothing missed
  EXPECT_FALSE(vm_.state().loading_older);
  EXPECT_TRUE(vm_.load_older());
}

TEST_F(ViewModelV2Test, RejoiningARoomAfterAWhileShowsNoHole) {
  in_room_with_lines("general", 1, 3);
  server_says_joined("jeux");
  server_says_joined("general");
  server_sends(history("general", 60, 109, true));  // lines 4..59 were said meanwhile
  EXPECT_EQ(shown_ids(), ids(60, 109));
  EXPECT_TRUE(vm_.state().has_older);
}

TEST_F(ViewModelV2Test, RejoiningARoomSoonKeepsWhatItHeld) {
  in_room_with_lines("general", 1, 3);
  server_says_joined("jeux");
  server_says_joined("general");
  server_sends(history("general", 2, 6, true));
  EXPECT_EQ(shown_ids(), ids(1, 6));
  EXPECT_FALSE(vm_.state().has_older);
}

TEST_F(ViewModelV2Test, MembersComeFromMembersAndFollowPresence) {
  connect_and_login_v2("alice");
  server_sends(MembersFrame{"general", {"zoé", "alice", "bob"}});
  EXPECT_EQ(vm_.state().members, (std::vector<std::string>{"alice", "bob", "zoé"}));
  server_sends(PresenceFrame{"general", "carol", true});
  server_sends(PresenceFrame{"general", "bob", true});  // already there: once
  server_sends(PresenceFrame{"general", "zoé", false});
  server_sends(PresenceFrame{"jeux", "dan", true});  // not our room
  EXPECT_EQ(vm_.state().members, (std::vector<std::string>{"alice", "bob", "carol"}));
  server_says_joined("jeux");
  EXPECT_TRUE(vm_.state().members.empty()) << "until the new room's members arrive";
  server_sends(MembersFrame{"jeux", {"alice", "dan"}});
  EXPECT_EQ(vm_.state().members, (std::vector<std::string>{"alice", "dan"}));
}

TEST_F(ViewModelV2Test, NoticesStayBetweenTheLinesAroundThem) {
  in_room_with_lines("general", 1, 2);
  drop_and_reconnect();  // "Connection lost" after line 2
  sent();
  server_resumes("alice", "general", kToken);
  server_sends(history("general", 3, 3, true));
  const auto& log = vm_.visible_log();
  ASSERT_GE(log.size(), 3u);
  EXPECT_EQ(log.back().id, 3);
  EXPECT_EQ(log[log.size() - 2].kind, LogLine::Kind::notice);  // welcome back
  EXPECT_EQ(log[log.size() - 3].kind, LogLine::Kind::error);   // connection lost
  EXPECT_EQ(log[log.size() - 4].id, 2);
}

// Version 2 hears of each room created or deleted instead of getting the whole list again.
TEST_F(ViewModelV2Test, RoomEventsKeepTheListAndOnlyOwnOrCurrentOnesAreNotices) {
  in_room_with_lines("jeux", 1, 2);
  const std::size_t log_size = vm_.visible_log().size();
  server_sends(notice(Event::room_created, "Room autre created", "", "autre"));
  EXPECT_EQ(vm_.state().rooms, (std::vector<std::string>{"general", "jeux", "autre"}));
  EXPECT_EQ(vm_.visible_log().size(), log_size) << "someone else's room is not news";
  ASSERT_TRUE(vm_.create_room("mienne"));
  sent();
  server_answers(notice(Event::room_created, "Room mienne created", "", "mienne"));
  EXPECT_EQ(vm_.state().rooms.back(), "mienne");
  EXPECT_EQ(vm_.visible_log().back().text, "Room mienne created");
  server_sends(notice(Event::room_deleted, "Room autre was deleted", "", "autre"));
  EXPECT_EQ(vm_.state().rooms, (std::vector<std::string>{"general", "jeux", "mienne"}));
  EXPECT_EQ(vm_.visible_log().back().text, "Room mienne created");
  server_sends(notice(Event::room_deleted, "Room jeux was deleted", "", "jeux"));
  EXPECT_EQ(vm_.visible_log().back().text, "Room jeux was deleted");
  server_says_joined("general");
  EXPECT_EQ(vm_.state().current_room, "general");
  EXPECT_EQ(vm_.state().rooms, (std::vector<std::string>{"general", "mienne"}));
}

}  // namespace
}  // namespace chat::client

namespace chat::client {
namespace {

// Issue 15: after a resume the reader is told "Reconnected", and the "not connected" refusal
// typed during the outage is not left under the input.
TEST_F(ViewModelV2Test, AResumeSaysReconnectedAndClearsTheOutagesErrors) {
  in_room_with_lines("jeux", 10, 11);
  vm_.on_close(now_, 1006);
  EXPECT_FALSE(vm_.send_message("hello?"));
  EXPECT_FALSE(vm_.state().input_error.empty());
  drop_and_reconnect();
  server_resumes("alice", "jeux", kToken);
  EXPECT_EQ(vm_.state().input_error, "");
  EXPECT_EQ(vm_.state().last_error, "");
  EXPECT_EQ(vm_.visible_log().back().text, "Reconnected as alice.");
}

}  // namespace
}  // namespace chat::client
