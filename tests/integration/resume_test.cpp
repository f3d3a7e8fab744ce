// v2 resume: a dropped client takes its name back and gets exactly the lines it missed, also across
// a restart; wrong tokens and the 60 s grace keep the name for its owner (docs/PROTOCOL.md "resume").
#include "chat_fixture.hpp"

#include <sys/wait.h>

#include <algorithm>

namespace chat_it {
namespace {

using chat::ErrorCode;

std::vector<std::string> sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

class ResumeTest : public UnlimitedChatServerTest {  // the catch-up test sends 1,234 lines
 protected:
  // Seed bob, then v2 alice, both in a new room jeux; bob says `seen` lines alice receives.
  // Returns the id of the last one.
  std::int64_t meet_in_jeux(ChatTestClient& bob, ChatTestClient& alice, int seen) {
    bob.send(chat::CreateRoom{"jeux"});
    bob.expect_room_created("jeux");
    bob.expect_rooms();
    alice.expect_room_created("jeux");
    bob.send(chat::JoinRoom{"jeux"});
    bob.expect_joined("jeux");
    alice.expect_presence("general", "bob", false);
    alice.send(chat::JoinRoom{"jeux"});
    alice.expect_joined("jeux");
    EXPECT_EQ(sorted(alice.expect_members("jeux").users), (std::vector<std::string>{"alice", "bob"}));
    alice.expect_history("jeux");
    std::int64_t last = 0;
    for (int i = 0; i < seen; ++i) last = say(bob, "jeux", {&alice}).id;
    return last;
  }

  // `speaker` says a new line in `room`; it hears its echo, and each v2 listener gets the line.
  chat::ChatLine say(ChatTestClient& speaker, const std::string& room, const std::vector<ChatTestClient*>& v2) {
    const std::string text = unique_text("from " + speaker.name());
    speaker.send(chat::SendMessage{text});
    speaker.expect_chat(speaker.name(), room, text);
    chat::ChatLine line{0, 0, speaker.name(), text};
    for (auto* listener : v2) line = listener->expect_chat_v2(speaker.name(), room, text);
    return line;
  }

  // While alice (dropped by `drop`) is away, bob says `missed` lines; then alice resumes and must get
  // exactly those, then live lines, under her own name.
  void expect_resume_after_drop(void (*drop)(ChatTestClient&), int missed) {
    auto bob = connect_as("bob");
    auto alice = connect_v2("alice");
    const std::int64_t last_seen = meet_in_jeux(*bob, *alice, 3);
    const std::string token = alice->token();
    drop(*alice);
    std::vector<std::string> missed_texts;
    for (int i = 0; i < missed; ++i) missed_texts.push_back(say(*bob, "jeux", {}).text);

    auto carol = connect();
    carol->send(chat::Login{"alice"});  // within the grace (or before the drop is noticed)
    carol->expect_refusal(ErrorCode::name_taken);
    auto back = connect();
    back->resume(chat::Resume{token, "jeux", last_seen}, "alice", "jeux");
    EXPECT_EQ(sorted(back->expect_members("jeux").users), (std::vector<std::string>{"alice", "bob"}));
    const auto caught_up = collect_lines(*back, "jeux", static_cast<std::size_t>(missed));
    EXPECT_TRUE(ids_are_consecutive(caught_up, last_seen + 1));
    std::vector<std::string> texts;
    for (const auto& line : caught_up) texts.push_back(line.text);
    EXPECT_EQ(texts, missed_texts);

    EXPECT_EQ(say(*bob, "jeux", {back.get()}).id, last_seen + missed + 1);  // then live lines
    back->expect_no_frame(milliseconds(200));
    const auto own = say(*back, "jeux", {});  // the name is hers again
    bob->expect_chat("alice", "jeux", own.text);
  }
};

void drop_with_reset(ChatTestClient& client) { client.abort(); }
void drop_with_close(ChatTestClient& client) { client.close(1000); }

TEST_F(ResumeTest, AfterResetResumeGivesTheNameAndExactlyTheMissedLines) {
  expect_resume_after_drop(drop_with_reset, 7);
}

TEST_F(ResumeTest, AfterCleanCloseResumeGivesTheNameAndExactlyTheMissedLines) {
  expect_resume_after_drop(drop_with_close, 7);
}

// More than one catch-up frame (at most 500 lines each): still no gap and no duplicate.
TEST_F(ResumeTest, CatchUpOfManyLinesComesInSeveralFramesWithoutGap) {
  expect_resume_after_drop(drop_with_reset, 1234);
}

TEST_F(ResumeTest, ResumeWorksAcrossARestart) {
  auto bob = connect_as("bob");
  auto alice = connect_v2("alice");
  const std::int64_t last_seen = meet_in_jeux(*bob, *alice, 2);
  const std::string token = alice->token();
  alice->abort();
  std::vector<std::string> missed{say(*bob, "jeux", {}).text, say(*bob, "jeux", {}).text};

  server().terminate();
  bob->expect_close(1001);
  const auto status = server().wait_exit(milliseconds(5000));
  ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << (status ? ServerProcess::describe_status(*status) : "still running 5 s after SIGTERM");
  restart_server();

  bob = connect_as("bob");
  bob->send(chat::JoinRoom{"jeux"});
  bob->expect_joined("jeux");
  for (int i = 0; i < 2; ++i) missed.push_back(say(*bob, "jeux", {}).text);
  auto back = connect();
  back->resume(chat::Resume{token, "jeux", last_seen}, "alice", "jeux");
  EXPECT_EQ(sorted(back->expect_members("jeux").users), (std::vector<std::string>{"alice", "bob"}));
  const auto caught_up = collect_lines(*back, "jeux", missed.size());
  EXPECT_TRUE(ids_are_consecutive(caught_up, last_seen + 1));
  for (std::size_t i = 0; i < caught_up.size(); ++i) EXPECT_EQ(caught_up[i].text, missed[i]);
  EXPECT_EQ(say(*bob, "jeux", {back.get()}).id, last_seen + 5);
  back->expect_no_frame(milliseconds(200));
}

// After a restart nothing is reserved: a stranger may take a dropped name, and then the owner's
// resume is refused with name_taken (not bad_token: the token is still good).
TEST_F(ResumeTest, AfterARestartANameTakenByAnotherRefusesTheResume) {
  auto dave = connect_v2("dave");
  const std::string token = dave->token();
  dave->abort();
  server().terminate();
  ASSERT_TRUE(server().wait_exit(milliseconds(5000)).has_value());
  restart_server();

  auto stranger = connect();
  stranger->login("dave");
  auto back = connect();
  back->send(chat::Resume{token, "general", 0});
  back->expect_refusal(ErrorCode::name_taken);
  back->send(chat::SendMessage{"still not logged in"});
  back->expect_refusal(ErrorCode::not_logged_in);
  expect_served("general", {stranger.get()});
}

// Tokens with the right id and a wrong secret, or no id at all; none may take the name, neither
// while its owner is connected nor during the grace after it dropped.
TEST_F(ResumeTest, WrongTokensAreRefusedAndNeverTakeTheName) {
  auto alice = connect_v2("alice");
  const std::string token = alice->token();
  const std::string id = token.substr(0, token.find('.'));
  std::string flipped = token;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  const std::string wrong_tokens[] = {flipped, id + ".", id + "." + std::string(32, '0'), id, token + "0",
                                      "garbage", "", "." + token.substr(token.find('.') + 1)};
  auto intruder = connect();
  const auto try_all = [&] {
    for (const auto& wrong : wrong_tokens) {
      SCOPED_TRACE("token \"" + wrong + "\"");
      intruder->send(chat::Resume{wrong, "general", 0});
      intruder->expect_refusal(ErrorCode::bad_token);
    }
    intruder->send(chat::SendMessage{"am I alice?"});
    intruder->expect_refusal(ErrorCode::not_logged_in);
  };
  try_all();
  alice->expect_no_frame(milliseconds(200));  // not replaced (4000), nothing announced
  expect_served("general", {alice.get()});
  drain(*intruder, milliseconds(100));  // logged out but in general: it got alice's line

  alice->abort();
  try_all();
  intruder->send(chat::Login{"alice"});  // the grace keeps the name for the token's owner
  intruder->expect_refusal(ErrorCode::name_taken);
  intruder->login("mallory");
  auto back = connect();
  back->resume(chat::Resume{token, "general", 0}, "alice", "general");
  EXPECT_EQ(sorted(back->expect_members("general").users), (std::vector<std::string>{"alice", "mallory"}));
  back->expect_history("general");
  expect_served("general", {back.get(), intruder.get()});
}

TEST_F(ResumeTest, ResumeWhileTheOldConnectionIsOpenReplacesItWith4000) {
  auto alice = connect_v2("alice");
  auto back = connect();
  back->resume(chat::Resume{alice->token(), "general", 0}, "alice", "general");
  alice->expect_close(4000);
  EXPECT_EQ(back->expect_members("general").users, std::vector<std::string>{"alice"});
  back->expect_history("general");
  expect_served("general", {back.get()});
}

}  // namespace
}  // namespace chat_it
