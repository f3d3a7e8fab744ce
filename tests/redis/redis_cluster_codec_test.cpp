// The Redis forms of tokens and accounts (redis_cluster_codec): round trips, records written before
// accounts existed, and malformed values refused rather than misread.
#include <gtest/gtest.h>

#include "server/engine/redis/redis_cluster_codec.hpp"

namespace chat::redis {
namespace {

StoredToken account_token() {
  StoredToken token{"0123456789abcdef", std::string(64, 'a'), "alice", 1700000000123};
  token.account = 42;
  token.created_ms = 1690000000000;
  return token;
}

StoredAccount alice() {
  StoredAccount account;
  account.id = 7;
  account.name = "Alice";
  account.identity_key = "alice";
  account.lookalike_key = "alice";
  account.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  account.created_ms = 1700000000000;
  account.password_changed_ms = 1700000000500;
  return account;
}

void expect_same_token(const StoredToken& expected, const StoredToken& actual) {
  EXPECT_EQ(expected.id, actual.id);
  EXPECT_EQ(expected.secret_hash, actual.secret_hash);
  EXPECT_EQ(expected.user, actual.user);
  EXPECT_EQ(expected.last_used_ms, actual.last_used_ms);
  EXPECT_EQ(expected.account, actual.account);
  EXPECT_EQ(expected.created_ms, actual.created_ms);
}

TEST(RedisClusterCodecTest, AnAccountTokenRecordRoundTrips) {
  const StoredToken token = account_token();
  const auto decoded = decode_token_record(token.id, encode_token_record(token));
  ASSERT_TRUE(decoded);
  expect_same_token(token, *decoded);
}

TEST(RedisClusterCodecTest, AGuestTokenRecordRoundTripsWithAccountZero) {
  StoredToken token{"0123456789abcdef", std::string(64, 'b'), "bob", 5};
  token.created_ms = 3;
  const auto decoded = decode_token_record(token.id, encode_token_record(token));
  ASSERT_TRUE(decoded);
  expect_same_token(token, *decoded);
}

TEST(RedisClusterCodecTest, ARecordFromBeforeAccountsReadsAsAGuestTokenCreatedAtZero) {
  const auto decoded = decode_token_record("0123456789abcdef", "1700000000123:" + std::string(64, 'c') + ":carol");
  ASSERT_TRUE(decoded);
  EXPECT_EQ("carol", decoded->user);
  EXPECT_EQ(1700000000123, decoded->last_used_ms);
  EXPECT_EQ(0, decoded->account);
  EXPECT_EQ(0, decoded->created_ms);
}

// Names may hold colons: an old record of "x:1:2" must stay a guest token of "x:1:2", never
// become account 1's session.
TEST(RedisClusterCodecTest, AnOldRecordWhoseNameLooksLikeAnAccountPartStaysAGuestToken) {
  const auto decoded = decode_token_record("0123456789abcdef", "9:" + std::string(64, 'd') + ":x:1:2");
  ASSERT_TRUE(decoded);
  EXPECT_EQ("x:1:2", decoded->user);
  EXPECT_EQ(0, decoded->account);
  StoredToken token = account_token();
  token.user = "x:1:2";
  const auto again = decode_token_record(token.id, encode_token_record(token));
  ASSERT_TRUE(again);
  expect_same_token(token, *again);
}

TEST(RedisClusterCodecTest, AMalformedAccountPartIsRefused) {
  const std::string head = "9:" + std::string(64, 'e') + ":erin";
  EXPECT_FALSE(decode_token_record("0123456789abcdef", head + kTokenAccountMark));
  EXPECT_FALSE(decode_token_record("0123456789abcdef", head + kTokenAccountMark + "12"));
  EXPECT_FALSE(decode_token_record("0123456789abcdef", head + kTokenAccountMark + "x:5"));
  EXPECT_FALSE(decode_token_record("0123456789abcdef", head + kTokenAccountMark + "1:-5"));
  EXPECT_FALSE(decode_token_record("0123456789abcdef", std::string(1, kTokenAccountMark) + "1:5"));
}

TEST(RedisClusterCodecTest, TheTokenSavedEventCarriesTheAccountAndCreationTime) {
  const StoredToken token = account_token();
  const auto event = decode_token_event(encode_token_saved(token));
  ASSERT_TRUE(event);
  const auto* saved = std::get_if<StoredToken>(&*event);
  ASSERT_NE(nullptr, saved);
  expect_same_token(token, *saved);
}

TEST(RedisClusterCodecTest, AccountFieldsRoundTripWithTheHashOnlyWhenAsked) {
  const StoredAccount account = alice();
  const auto flat = encode_account_fields(account);
  std::vector<std::pair<std::string, std::string>> fields;
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) fields.emplace_back(flat[i], flat[i + 1]);
  const auto with_hash = decode_account_fields(account.id, fields, true);
  ASSERT_TRUE(with_hash);
  EXPECT_EQ(account.name, with_hash->name);
  EXPECT_EQ(account.identity_key, with_hash->identity_key);
  EXPECT_EQ(account.lookalike_key, with_hash->lookalike_key);
  EXPECT_EQ(account.password_hash, with_hash->password_hash);
  EXPECT_EQ(account.created_ms, with_hash->created_ms);
  EXPECT_EQ(account.password_changed_ms, with_hash->password_changed_ms);
  const auto without = decode_account_fields(account.id, fields, false);
  ASSERT_TRUE(without);
  EXPECT_TRUE(without->password_hash.empty());
}

TEST(RedisClusterCodecTest, MalformedAccountFieldsAreRefused) {
  const StoredAccount account = alice();
  const auto flat = encode_account_fields(account);
  for (std::size_t skip = 0; skip + 1 < flat.size(); skip += 2) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (std::size_t i = 0; i + 1 < flat.size(); i += 2) {
      if (i != skip) fields.emplace_back(flat[i], flat[i + 1]);
    }
    EXPECT_FALSE(decode_account_fields(account.id, fields, true)) << "without " << flat[skip];
  }
  std::vector<std::pair<std::string, std::string>> fields;
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) fields.emplace_back(flat[i], flat[i + 1]);
  EXPECT_FALSE(decode_account_fields(0, fields, true));
  auto bad = fields;
  bad[2].second = "soon";  // created_ms
  EXPECT_FALSE(decode_account_fields(account.id, bad, true));
  bad = fields;
  bad[0].second = "\xff\xfe";  // name not UTF-8
  EXPECT_FALSE(decode_account_fields(account.id, bad, true));
  bad = fields;
  bad[1].second = "has space";  // hash
  EXPECT_FALSE(decode_account_fields(account.id, bad, true));
}

TEST(RedisClusterCodecTest, TheAccountEventRoundTripsWithoutTheHash) {
  StoredAccount account = alice();
  account.name = "a:b 3:c";  // colons and digits in the name, different keys
  account.identity_key = "a:b 3:c";
  account.lookalike_key = "a:b3:c";
  const std::string event = encode_account_created(account);
  EXPECT_EQ(std::string::npos, event.find(account.password_hash));
  const auto decoded = decode_account_created(event);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(account.id, decoded->id);
  EXPECT_EQ(account.name, decoded->name);
  EXPECT_EQ(account.identity_key, decoded->identity_key);
  EXPECT_EQ(account.lookalike_key, decoded->lookalike_key);
  EXPECT_EQ(account.created_ms, decoded->created_ms);
  EXPECT_EQ(account.password_changed_ms, decoded->password_changed_ms);
  EXPECT_TRUE(decoded->password_hash.empty());
}

TEST(RedisClusterCodecTest, MalformedAccountEventsAreRefused) {
  for (const std::string payload : {"", "7", "7:1:2:99:alice5:alice", "x:1:2:5:alice5:alicealice", "7:1:2:5:alice0:",
                                    "0:1:2:5:alice5:alicealice", "7:1:2:5:alice9:alice"}) {
    EXPECT_FALSE(decode_account_created(payload)) << payload;
  }
  EXPECT_TRUE(decode_account_created("7:1:2:5:alice5:alicealice"));
}

}  // namespace
}  // namespace chat::redis
