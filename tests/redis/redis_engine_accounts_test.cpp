// RedisEngine's accounts against a real redis-server of the test's own, with two engines (two
// nodes) on it: creation and its conflicts (either key an account's, or claimed by another session
// on any node), guest claims refused for a registered name and its look-alikes, reading with the
// hash, looking one up by its name's identity key (a sign-in before its news arrived), loading
// without the hash, a password change ending the account's other sessions on every node,
// announcements heard by every node, and the re-read after a lost pub/sub link.
#include <gtest/gtest.h>

#include <memory>

#include "engine_node.hpp"
#include "redis_process.hpp"
#include "server/engine/redis/redis_cluster_codec.hpp"

namespace chat::redis {
namespace {

using chat_redis_test::EngineNode;
using chat_redis_test::RedisProcess;
using chat_redis_test::TestLoop;

constexpr const char* kHash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";

StoredAccount account_named(const std::string& name) {
  StoredAccount account;
  account.name = name;
  const NameKeys keys = name_keys(name);
  account.identity_key = keys.identity;
  account.lookalike_key = keys.lookalike;
  account.password_hash = kHash;
  account.created_ms = 1700000000000;
  account.password_changed_ms = 1700000000000;
  return account;
}

StoredToken token_of(const std::string& id, AccountId account, const std::string& user) {
  StoredToken token{id, std::string(64, 'a'), user, 1700000000000};
  token.account = account;
  token.created_ms = 1690000000000;
  return token;
}

class RedisEngineAccountsTest : public ::testing::Test {
 protected:
  std::unique_ptr<EngineNode> node() {
    return std::make_unique<EngineNode>(loop, parse_redis_url(redis.url()).url.value());
  }

  TestLoop loop;  // first: destroyed last, after the engines that use it
  RedisProcess redis;
};

TEST_F(RedisEngineAccountsTest, ACreatedAccountIsReadBackWithItsHash) {
  auto a = node();
  const auto [outcome, id] = a->create(account_named("Alice"), 1);
  ASSERT_EQ(AccountOutcome::done, outcome);
  EXPECT_GT(id, 0);
  const auto [ok, read] = a->read(id);
  ASSERT_TRUE(ok);
  ASSERT_TRUE(read);
  EXPECT_EQ(id, read->id);
  EXPECT_EQ("Alice", read->name);
  EXPECT_EQ(name_keys("Alice").identity, read->identity_key);
  EXPECT_EQ(name_keys("Alice").lookalike, read->lookalike_key);
  EXPECT_EQ(kHash, read->password_hash);
  EXPECT_EQ(1700000000000, read->created_ms);
  const auto [second, other_id] = a->create(account_named("Bob"), 1);
  EXPECT_EQ(AccountOutcome::done, second);
  EXPECT_NE(id, other_id);
}

TEST_F(RedisEngineAccountsTest, AnAbsentAccountReadsAsNoneAndACorruptOneAsAFailure) {
  auto a = node();
  const auto [ok, none] = a->read(99);
  EXPECT_TRUE(ok);
  EXPECT_FALSE(none);
  redis.command({"HSET", "chat:account:5", "name", "Eve", "hash", kHash});  // no keys, no times
  const auto [corrupt_ok, corrupt] = a->read(5);
  EXPECT_FALSE(corrupt_ok);
  EXPECT_FALSE(corrupt);
}

// What a node does for a sign-in to an account registered elsewhere whose news has not reached it:
// found by any spelling's identity key, with its hash, and the inbox hears of it first (without).
TEST_F(RedisEngineAccountsTest, AnAccountIsFoundByItsIdentityKeyAndReportedToTheInboxFirst) {
  auto a = node();
  const auto [outcome, id] = a->create(account_named("Alice"), 1);
  ASSERT_EQ(AccountOutcome::done, outcome);
  auto b = node();  // started after the creation: it heard no news of it, and did not load it
  b->inbox.accounts.clear();
  const auto [ok, found] = b->find(name_keys("ALICE").identity);
  ASSERT_TRUE(ok);
  ASSERT_TRUE(found);
  EXPECT_EQ(id, found->id);
  EXPECT_EQ(kHash, found->password_hash);
  ASSERT_NE(nullptr, b->inbox.account(id));
  EXPECT_EQ("", b->inbox.account(id)->password_hash);
  const auto [none_ok, none] = b->find(name_keys("nobody").identity);
  EXPECT_TRUE(none_ok);
  EXPECT_FALSE(none);
  redis.command({"HSET", "chat:accountkeys", name_keys("broken").identity, "not-a-number"});
  EXPECT_FALSE(b->find(name_keys("broken").identity).first) << "a malformed key is a failure, not a wrong password";
}

TEST_F(RedisEngineAccountsTest, EitherKeyOfAnAccountIsAConflict) {
  auto a = node();
  ASSERT_EQ(AccountOutcome::done, a->create(account_named("alice"), 1).first);
  StoredAccount same_identity = account_named("ALICE");
  same_identity.lookalike_key = "something else";
  EXPECT_EQ(AccountOutcome::conflict, a->create(same_identity, 2).first);
  StoredAccount same_lookalike = account_named("carol");
  same_lookalike.lookalike_key = name_keys("alice").lookalike;
  EXPECT_EQ(AccountOutcome::conflict, a->create(same_lookalike, 2).first);
  StoredAccount identity_is_a_lookalike = account_named("dave");
  identity_is_a_lookalike.identity_key = name_keys("alice").lookalike;
  EXPECT_EQ(AccountOutcome::conflict, a->create(identity_is_a_lookalike, 2).first);
  EXPECT_EQ(AccountOutcome::done, a->create(account_named("carol"), 2).first);
}

TEST_F(RedisEngineAccountsTest, ANameClaimedByAnotherSessionOnAnyNodeIsAConflict) {
  auto a = node();
  auto b = node();
  ASSERT_EQ(ClaimOutcome::claimed, a->claim(name_keys("alice"), 5));
  EXPECT_EQ(AccountOutcome::conflict, a->create(account_named("alice"), 6).first);
  EXPECT_EQ(AccountOutcome::conflict, b->create(account_named("alice"), 5).first);  // session 5 of another node
  EXPECT_EQ(AccountOutcome::conflict, a->create(account_named("Alice"), 6).first);  // a look-alike spelling
  EXPECT_EQ(AccountOutcome::done, a->create(account_named("alice"), 5).first);     // the registrant's own claim
}

TEST_F(RedisEngineAccountsTest, TheRegistrantsClaimCountsAsItsOwnOnceItsTokenHoldsIt) {
  auto a = node();
  const std::string token = "0123456789abcdef";
  ASSERT_EQ(ClaimOutcome::claimed, a->claim(name_keys("alice"), 5));
  a->engine.name_now_held_by_token(name_keys("alice"), 5, token);
  EXPECT_EQ(AccountOutcome::conflict, a->create(account_named("alice"), 6).first);
  // Answered after the hand-over, which went first on the same link.
  EXPECT_EQ("t:" + token, redis.command({"GET", "chat:name:id:" + name_keys("alice").identity}));
  EXPECT_EQ(AccountOutcome::done, a->create(account_named("alice"), 5).first);
  // A resumed session holds its name through its token from the start.
  ASSERT_EQ(ClaimOutcome::claimed, a->claim(name_keys("bob"), 7, "fedcba9876543210"));
  EXPECT_EQ(AccountOutcome::conflict, a->create(account_named("bob"), 8).first);
  EXPECT_EQ(AccountOutcome::done, a->create(account_named("bob"), 7).first);
}

TEST_F(RedisEngineAccountsTest, AGuestClaimOfARegisteredNameOrALookAlikeIsRefusedOnEveryNode) {
  auto a = node();
  auto b = node();
  ASSERT_EQ(name_keys("alice").lookalike, name_keys("aIice").lookalike);  // the premise: I looks like l
  ASSERT_NE(name_keys("alice").identity, name_keys("aIice").identity);
  ASSERT_EQ(ClaimOutcome::claimed, b->claim(name_keys("aIice"), 1));  // free before the registration
  b->release(name_keys("aIice"), 1);  // applied before a registers: else it would see b's claim
  ASSERT_EQ(AccountOutcome::done, a->create(account_named("alice"), 1).first);
  EXPECT_EQ(ClaimOutcome::taken, b->claim(name_keys("alice"), 2));
  EXPECT_EQ(ClaimOutcome::taken, b->claim(name_keys("ALICE"), 2));
  EXPECT_EQ(ClaimOutcome::taken, b->claim(name_keys("aIice"), 2));
  EXPECT_EQ(ClaimOutcome::taken, a->claim(name_keys("alice"), 3));
  EXPECT_EQ(ClaimOutcome::claimed, b->claim(name_keys("bob"), 2));
}

TEST_F(RedisEngineAccountsTest, LoadReadsEveryAccountWithoutItsHashAndSkipsCorruptOnes) {
  std::vector<AccountId> ids;
  {
    auto a = node();
    ids.push_back(a->create(account_named("alice"), 1).second);
    ids.push_back(a->create(account_named("bob"), 2).second);
  }
  redis.command({"HSET", "chat:accountkeys", "ghost", "77", "junk", "x7"});  // no such account, no id
  auto c = node();
  ASSERT_EQ(2u, c->state.accounts.size());
  EXPECT_EQ(ids[0], c->state.accounts[0].id);
  EXPECT_EQ("alice", c->state.accounts[0].name);
  EXPECT_EQ(name_keys("alice").identity, c->state.accounts[0].identity_key);
  EXPECT_EQ(ids[1], c->state.accounts[1].id);
  EXPECT_EQ("bob", c->state.accounts[1].name);
  for (const auto& account : c->state.accounts) EXPECT_TRUE(account.password_hash.empty());
}

TEST_F(RedisEngineAccountsTest, EveryNodeHearsOfANewAccountWithoutItsHash) {
  auto a = node();
  auto b = node();
  AccountId id = 0;
  bool reported_first = false;
  a->engine.create_account(account_named("alice"), 1, [&](AccountOutcome outcome, AccountId created) {
    EXPECT_EQ(AccountOutcome::done, outcome);
    id = created;
    reported_first = a->inbox.account(created) != nullptr;  // the inbox before the answer
  });
  ASSERT_TRUE(loop.run_until([&] { return id != 0 && b->inbox.account(id) != nullptr; }));
  EXPECT_TRUE(reported_first);
  const StoredAccount& heard = *b->inbox.account(id);
  EXPECT_EQ("alice", heard.name);
  EXPECT_EQ(name_keys("alice").identity, heard.identity_key);
  EXPECT_EQ(name_keys("alice").lookalike, heard.lookalike_key);
  EXPECT_EQ(1700000000000, heard.created_ms);
  EXPECT_TRUE(heard.password_hash.empty());
}

TEST_F(RedisEngineAccountsTest, APasswordChangeEndsTheAccountsOtherSessionsOnEveryNode) {
  auto a = node();
  auto b = node();
  const AccountId alice = a->create(account_named("alice"), 1).second;
  const AccountId bob = a->create(account_named("bob"), 2).second;
  const std::string keep = "1000000000000001", other = "1000000000000002", bobs = "1000000000000003",
                    guest = "1000000000000004", old = "1000000000000005";
  ASSERT_TRUE(a->save(token_of(keep, alice, "alice")));
  ASSERT_TRUE(a->save(token_of(other, alice, "alice")));
  ASSERT_TRUE(a->save(token_of(bobs, bob, "bob")));
  ASSERT_TRUE(a->save(token_of(guest, 0, "alice")));
  redis.command({"HSET", "chat:tokens", old, "5:" + std::string(64, 'b') + ":alice:" + std::to_string(alice) + ":1"});
  // Heard by message or by the re-read when its subscription was confirmed: b listens either way.
  ASSERT_TRUE(loop.run_until([&] { return b->inbox.saved(guest) != nullptr; }));

  ASSERT_TRUE(a->set_password(alice, "$argon2id$new", 1800000000000, keep));
  EXPECT_EQ("[" + keep + ", " + bobs + ", " + guest + ", " + old + "]",
            redis.command({"EVAL", "local k = redis.call('hkeys', KEYS[1]) table.sort(k) return k", "1", "chat:tokens"}));
  const auto [ok, read] = a->read(alice);
  ASSERT_TRUE(ok && read);
  EXPECT_EQ("$argon2id$new", read->password_hash);
  EXPECT_EQ(1800000000000, read->password_changed_ms);
  // A deletion published after the change marks the end of what it announced.
  const std::string marker = "10000000000000ff";
  ASSERT_TRUE(a->delete_tokens({marker}));
  ASSERT_TRUE(loop.run_until([&] { return b->inbox.deleted(marker); }));
  EXPECT_EQ((std::vector<std::string>{other, marker}), b->inbox.tokens_deleted);
  EXPECT_FALSE(a->set_password(99, "$argon2id$new", 1, keep));  // no such account
}

TEST_F(RedisEngineAccountsTest, AccountTokensReachOtherNodesAndOldRecordsLoadAsGuestTokens) {
  redis.command({"HSET", "chat:tokens", "2000000000000001", "5:" + std::string(64, 'c') + ":carol"});
  auto a = node();
  auto b = node();
  ASSERT_EQ(1u, a->state.tokens.size());
  EXPECT_EQ("carol", a->state.tokens[0].user);
  EXPECT_EQ(0, a->state.tokens[0].account);
  EXPECT_EQ(0, a->state.tokens[0].created_ms);
  ASSERT_TRUE(a->save(token_of("2000000000000002", 9, "dave")));
  ASSERT_TRUE(loop.run_until([&] { return b->inbox.saved("2000000000000002") != nullptr; }));
  EXPECT_EQ(9, b->inbox.saved("2000000000000002")->account);
  EXPECT_EQ(1690000000000, b->inbox.saved("2000000000000002")->created_ms);
  auto c = node();
  ASSERT_EQ(2u, c->state.tokens.size());
  for (const auto& token : c->state.tokens) {
    EXPECT_EQ(token.user == "dave" ? 9 : 0, token.account) << token.user;
  }
}

// An account announced while a node's pub/sub link was down is reported after it resubscribes.
TEST_F(RedisEngineAccountsTest, AfterAPubSubReconnectANodeReportsAccountsItMissed) {
  auto a = node();
  const StoredAccount missed = account_named("mallory");
  // Written as the script would, but never announced: only the re-read can find it.
  redis.command({"HSET", "chat:account:41", "name", missed.name, "hash", kHash, "created_ms", "1", "changed_ms", "1",
                 "identity", missed.identity_key, "lookalike", missed.lookalike_key});
  redis.command({"HSET", "chat:accountkeys", missed.identity_key, "41", missed.lookalike_key, "41"});
  EXPECT_EQ(nullptr, a->inbox.account(41));
  redis.command({"CLIENT", "KILL", "TYPE", "pubsub"});
  ASSERT_TRUE(loop.run_until([&] { return a->inbox.account(41) != nullptr; }));
  EXPECT_EQ("mallory", a->inbox.account(41)->name);
  EXPECT_TRUE(a->inbox.account(41)->password_hash.empty());
}

}  // namespace
}  // namespace chat::redis
