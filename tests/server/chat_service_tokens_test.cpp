// The chat core's resume-token policy: what is stored (a hash), expiry and its sweep, the cap of
// new tokens per client address, and that renames and resumes need no new token.
#include "fakes/core_test.hpp"

namespace chat {
namespace {

constexpr std::int64_t kTtl = 60'000;

class ChatServiceTokensTest : public CoreTest {
 protected:
  ChatServiceTokensTest() {
    ServiceOptions options;
    options.tokens.ttl_ms = kTtl;
    options.new_tokens_per_address_hour = 3;
    start(options);
  }
  std::vector<MessageFrame> messages(SessionId id) {
    std::vector<MessageFrame> out;
    for (const auto& frame : transport_.take(id)) {
      if (const auto* message = std::get_if<MessageFrame>(&frame)) out.push_back(*message);
    }
    return out;
  }
  // A v2 login from `address`: its first message frame (the ack or the refusal).
  MessageFrame login_v2(SessionId id, const std::string& name) {
    send(id, Login{name, 2});
    const auto frames = messages(id);
    EXPECT_FALSE(frames.empty());
    return frames.empty() ? MessageFrame{} : frames[0];
  }
  ErrorCode resume_error(const std::string& token) {
    const SessionId id = connect("192.0.2.99");
    send(id, Resume{token, "general", 0});
    const auto frames = messages(id);
    EXPECT_FALSE(frames.empty());
    return frames.empty() || !frames[0].error ? ErrorCode::other : *frames[0].error;
  }
};

TEST_F(ChatServiceTokensTest, TheStoreGetsTheSecretsHashNeverTheSecret) {
  const std::string token = login_v2(connect(), "alice").token;
  const std::string secret = token.substr(token.find('.') + 1);
  ASSERT_EQ(store_.tokens().size(), 1u);
  const StoredToken& stored = store_.tokens().begin()->second;
  EXPECT_EQ(stored.id, token.substr(0, token.find('.')));
  EXPECT_EQ(stored.secret_hash, hasher_.hash(secret));
  EXPECT_EQ(stored.secret_hash.find(secret), std::string::npos);
  EXPECT_EQ(stored.last_used_ms, clock_.now);
}

TEST_F(ChatServiceTokensTest, ARenameAndAResumeKeepTheTokenTheClientHolds) {
  const SessionId alice = connect();
  const std::string token = login_v2(alice, "alice").token;
  EXPECT_EQ(login_v2(alice, "alicia").token, token);  // a rename: the same token, no new one
  service_->disconnect(alice);
  const SessionId again = connect();
  send(again, Resume{token, "general", 0});
  const auto frames = messages(again);
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames[0].event, Event::resumed);
  EXPECT_EQ(frames[0].token, token);
  EXPECT_EQ(store_.tokens().size(), 1u);
  EXPECT_EQ(store_.tokens().begin()->second.user, "alicia");
}

TEST_F(ChatServiceTokensTest, AnUnusedTokenExpiresAndTheSweepDeletesItFromTheStore) {
  const SessionId alice = connect();
  const std::string token = login_v2(alice, "alice").token;
  service_->disconnect(alice);
  clock_.now += kTtl - 1;
  service_->on_tick();
  store_.run_completions();
  EXPECT_EQ(store_.tokens().size(), 1u);
  clock_.now += 1'000;  // the sweep looks once a second
  service_->on_tick();
  store_.run_completions();
  EXPECT_TRUE(store_.tokens().empty());
  EXPECT_EQ(resume_error(token), ErrorCode::bad_token);
}

TEST_F(ChatServiceTokensTest, AnExpiredTokenIsRefusedEvenBeforeTheSweep) {
  const SessionId alice = connect();
  const std::string token = login_v2(alice, "alice").token;
  service_->disconnect(alice);
  clock_.now += kTtl;  // no on_tick
  EXPECT_EQ(resume_error(token), ErrorCode::bad_token);
  store_.run_completions();
  EXPECT_TRUE(store_.tokens().empty());
}

TEST_F(ChatServiceTokensTest, ANameIsNotKeptForAnExpiredToken) {
  ServiceOptions options;
  options.tokens.ttl_ms = 10'000;  // shorter than the 60 s a dropped name is kept
  start(options);
  const SessionId alice = connect();
  login_v2(alice, "alice");
  service_->disconnect(alice);
  clock_.now += 10'000;
  const SessionId other = connect();
  send(other, Login{"alice"});
  EXPECT_EQ(messages(other)[0].event, Event::logged_in);
}

TEST_F(ChatServiceTokensTest, AResumeRenewsTheTtl) {
  SessionId alice = connect();
  const std::string token = login_v2(alice, "alice").token;
  for (int i = 0; i < 3; ++i) {
    service_->disconnect(alice);
    clock_.now += kTtl - 1;
    service_->on_tick();
    alice = connect();
    send(alice, Resume{token, "general", 0});
    ASSERT_EQ(messages(alice)[0].event, Event::resumed) << i;
  }
}

TEST_F(ChatServiceTokensTest, NewTokensPerAddressAreCappedWithAClearRefusal) {
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(login_v2(connect("198.51.100.7"), "u" + std::to_string(i)).token.empty());
  const SessionId fourth = connect("198.51.100.7");
  const MessageFrame refused = login_v2(fourth, "u3");
  EXPECT_EQ(refused.error, ErrorCode::rate_limited);
  EXPECT_NEAR(refused.retry_after_ms, 20 * 60'000, 1);  // 3 an hour: one every 20 minutes
  EXPECT_NE(refused.message.find("resume token"), std::string::npos) << refused.message;
  EXPECT_EQ(store_.tokens().size(), 3u);
  send(fourth, SendMessage{"am I in?"});  // the refused login had no effect
  EXPECT_EQ(messages(fourth)[0].error, ErrorCode::not_logged_in);
  // Another address, and a version-1 login from the same one, are not affected.
  EXPECT_FALSE(login_v2(connect("198.51.100.8"), "v").token.empty());
  send(fourth, Login{"seed"});
  EXPECT_EQ(messages(fourth)[0].event, Event::logged_in);
  clock_.now += 20 * 60'000 + 1;
  EXPECT_FALSE(login_v2(fourth, "u3").token.empty());  // an upgrade to v2 gets its token now
}

TEST_F(ChatServiceTokensTest, EleventhTokenOfANameRevokesItsLeastRecentlyUsed) {
  ServiceOptions options;
  options.name_grace_ms = 0;  // each device takes the name the previous one just left
  start(options);
  std::vector<std::string> tokens;
  for (int i = 0; i < 11; ++i) {
    const SessionId device = connect();
    tokens.push_back(login_v2(device, "alice").token);
    service_->disconnect(device);
    clock_.now += 1;
  }
  store_.run_completions();
  EXPECT_EQ(store_.tokens().size(), 10u);
  EXPECT_EQ(resume_error(tokens[0]), ErrorCode::bad_token);
  const SessionId newest = connect();
  send(newest, Resume{tokens[10], "general", 0});
  EXPECT_EQ(messages(newest)[0].event, Event::resumed);
}

}  // namespace
}  // namespace chat
