// Resume tokens at rest and over time (docs/PROTOCOL.md "resume" and "Limits"): the database holds
// the secret's SHA-256, never the secret; an unused token expires (--token-ttl); new tokens per
// client address are capped (--new-tokens-per-address), with a clear refusal.
#include "chat_fixture.hpp"

#include <openssl/sha.h>
#include <sys/wait.h>

#include <fstream>
#include <iterator>

namespace chat_it {
namespace {

using chat::ErrorCode;

std::string sha256_hex(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (const unsigned char byte : digest) hex += {kDigits[byte >> 4], kDigits[byte & 0xF]};
  return hex;
}

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void stop_cleanly(ServerProcess& server) {
  server.terminate();
  const auto status = server.wait_exit(milliseconds(5000));
  ASSERT_TRUE(status && WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << (status ? ServerProcess::describe_status(*status) : "still running 5 s after SIGTERM");
}

using TokenTest = ChatServerTest;

TEST_F(TokenTest, TheDatabaseHoldsTheSecretsHashAndTheTokenStillResumesAfterARestart) {
  auto alice = connect_v2("alice");
  const std::string token = alice->token();
  const std::string secret = token.substr(token.find('.') + 1);
  alice->abort();
  stop_cleanly(server());
  std::string stored;
  for (const char* file : {"chat.db", "chat.db-wal"}) stored += file_bytes(server().data_dir() / file);
  ASSERT_NE(stored.find(token.substr(0, token.find('.'))), std::string::npos) << "the token's id is stored";
  EXPECT_EQ(stored.find(secret), std::string::npos) << "the secret is stored in clear";
  EXPECT_NE(stored.find(sha256_hex(secret)), std::string::npos) << "the secret's SHA-256 is not stored";

  restart_server();
  auto back = connect();
  back->resume(chat::Resume{token, "general", 0}, "alice", "general");
  EXPECT_EQ(back->token(), token);
}

class ShortTokenTtlTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return {"--token-ttl", "1"}; }
};

// Waiting here is safe on a loaded machine: the token can only be more expired, never less.
TEST_F(ShortTokenTtlTest, AnUnusedTokenIsRefusedOnceItsTtlHasPassed) {
  auto alice = connect_v2("alice");
  const std::string token = alice->token();
  alice->abort();
  std::this_thread::sleep_for(milliseconds(2500));
  auto back = connect();
  back->send(chat::Resume{token, "general", 0});
  back->expect_refusal(ErrorCode::bad_token);
  back->login("alice");  // what the client does next; the name is not kept for a dead token
  stop_cleanly(server());
  restart_server();
  auto again = connect();
  again->send(chat::Resume{token, "general", 0});
  again->expect_refusal(ErrorCode::bad_token);
}

class TokenCapTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return {"--new-tokens-per-address", "3"}; }
};

TEST_F(TokenCapTest, TheAddresssFourthNewTokenInAnHourIsRefusedWithWhenToRetry) {
  std::vector<std::unique_ptr<ChatTestClient>> devices;
  for (int i = 0; i < 3; ++i) devices.push_back(connect_v2("d" + std::to_string(i)));
  auto fourth = connect();
  fourth->send(chat::Login{"d3", chat::kCurrentVersion});
  const chat::MessageFrame refused = fourth->expect_refusal(ErrorCode::rate_limited);
  EXPECT_GT(refused.retry_after_ms, 19 * 60'000) << fourth->last_raw();  // 3 an hour: one per 20 minutes
  EXPECT_NE(refused.message.find("resume token"), std::string::npos) << refused.message;
  fourth->send(chat::SendMessage{"am I in?"});
  fourth->expect_refusal(ErrorCode::not_logged_in);
  // Resuming needs no new token, nor does a version-1 login; the others are not disturbed.
  const std::string token = devices[0]->token();
  devices[0]->abort();
  auto back = connect();
  back->resume(chat::Resume{token, "general", 0}, "d0", "general");
  back->expect_members("general");
  back->expect_history("general");
  fourth->login("d3");
  devices[1]->expect_presence("general", "d2", true);
  for (auto* client : {devices[1].get(), devices[2].get()}) {
    client->expect_presence("general", "d0", false);
    client->expect_presence("general", "d0", true);
  }
  for (auto* client : {back.get(), devices[1].get(), devices[2].get()}) client->expect_presence("general", "d3", true);
  expect_served("general", {back.get(), devices[1].get(), devices[2].get(), fourth.get()});
}

}  // namespace
}  // namespace chat_it
