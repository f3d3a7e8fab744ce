// SqliteStore's accounts on a real file: creation and its conflicts, reads with and loads without
// the password hash, tokens that say whose session they are, a password change that signs the
// account's other sessions out (whole or not at all, without harm to the rest of its batch), a
// full or broken database, and a backup that carries the accounts. (The previous schema's
// migration is in schema_migrations_test.) Over 300 lines: one fixture for every account call of
// the store, each case short.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/store/schema_migrations.hpp"
#include "server/store/sqlite_store.hpp"
#include "sqlite_store_fixture.hpp"

namespace chat {
namespace {

StoredAccount account_named(const std::string& name, std::int64_t at_ms = 1000) {
  return StoredAccount{0, name, "id:" + name, "look:" + name, "$argon2id$hash-of-" + name, at_ms, at_ms};
}

StoredToken token(const std::string& id, AccountId account, const std::string& user = "someone") {
  return StoredToken{id, "hash-" + id, user, 500, account, 400};
}

class SqliteAccountsTest : public SqliteStoreFixture {
 protected:

  struct Creation {
    AccountOutcome outcome = AccountOutcome::failed;
    AccountId id = -1;
  };
  // The store answers after the commit; the answer is written into the returned slot then.
  std::shared_ptr<Creation> request_create(const StoredAccount& account) {
    auto creation = std::make_shared<Creation>();
    store_->create_account(account, [creation](AccountOutcome outcome, AccountId id) {
      creation->outcome = outcome;
      creation->id = id;
    });
    return creation;
  }
  Creation create(const StoredAccount& account) {
    auto creation = request_create(account);
    store_->commit();
    return *creation;
  }
  std::optional<StoredAccount> read(AccountId id, bool expect_ok = true) {
    bool answered = false;
    std::optional<StoredAccount> found;
    store_->read_account(id, [&](bool ok, std::optional<StoredAccount> account) {
      answered = true;
      EXPECT_EQ(ok, expect_ok);
      found = std::move(account);
    });
    store_->commit();
    EXPECT_TRUE(answered);
    return found;
  }
  std::shared_ptr<std::optional<bool>> request(void (SqliteStore::*call)(const StoredToken&, Store::Done),
                                               const StoredToken& stored) {
    auto result = std::make_shared<std::optional<bool>>();
    (store_.get()->*call)(stored, [result](bool ok) { *result = ok; });
    return result;
  }
  std::shared_ptr<std::optional<bool>> request_set_password(AccountId id, const std::string& hash,
                                                            const std::string& keep) {
    auto result = std::make_shared<std::optional<bool>>();
    store_->set_password(id, hash, 9000, keep, [result](bool ok) { *result = ok; });
    return result;
  }
  void save(const StoredToken& stored) {
    store_->save_token(stored, [](bool ok) { EXPECT_TRUE(ok); });
    store_->commit();
  }
  StoredState load() {
    StoredState state;
    EXPECT_TRUE(store_->load(state));
    return state;
  }
  static std::vector<std::string> token_ids(const StoredState& state) {
    std::vector<std::string> ids;
    for (const auto& stored : state.tokens) ids.push_back(stored.id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

};

TEST_F(SqliteAccountsTest, CreatedAccountsGetIncreasingIdsAndReadBackWithTheirHash) {
  const Creation alice = create(account_named("alice", 1234));
  const Creation bob = create(account_named("bob"));
  ASSERT_EQ(alice.outcome, AccountOutcome::done);
  ASSERT_EQ(bob.outcome, AccountOutcome::done);
  EXPECT_GT(alice.id, 0);
  EXPECT_GT(bob.id, alice.id);
  const auto read_back = read(alice.id);
  ASSERT_TRUE(read_back);
  EXPECT_EQ(read_back->id, alice.id);
  EXPECT_EQ(read_back->name, "alice");
  EXPECT_EQ(read_back->identity_key, "id:alice");
  EXPECT_EQ(read_back->lookalike_key, "look:alice");
  EXPECT_EQ(read_back->password_hash, "$argon2id$hash-of-alice");
  EXPECT_EQ(read_back->created_ms, 1234);
  EXPECT_EQ(read_back->password_changed_ms, 1234);
}

TEST_F(SqliteAccountsTest, AnUnknownAccountReadsAsAbsentNotAsAFailure) {
  EXPECT_FALSE(read(42, true));
  EXPECT_FALSE(read(0, true));
}

TEST_F(SqliteAccountsTest, EitherKeyAlreadyTakenIsAConflictAndStoresNothing) {
  ASSERT_EQ(create(account_named("alice")).outcome, AccountOutcome::done);
  StoredAccount same_identity = account_named("other");
  same_identity.identity_key = "id:alice";
  StoredAccount same_lookalike = account_named("another");
  same_lookalike.lookalike_key = "look:alice";
  // In one batch with an account that can be created: the conflicts do not fail the batch.
  auto first = request_create(same_identity);
  auto second = request_create(same_lookalike);
  auto third = request_create(account_named("carol"));
  store_->commit();
  EXPECT_EQ(first->outcome, AccountOutcome::conflict);
  EXPECT_EQ(second->outcome, AccountOutcome::conflict);
  EXPECT_EQ(third->outcome, AccountOutcome::done);
  reopen();
  const StoredState state = load();
  ASSERT_EQ(state.accounts.size(), 2u);
  EXPECT_EQ(state.accounts[0].name, "alice");
  EXPECT_EQ(state.accounts[1].name, "carol");
}

TEST_F(SqliteAccountsTest, TwoAccountsOfOneKeyInOneBatchMakeOneAccountAndOneConflict) {
  auto first = request_create(account_named("alice"));
  auto second = request_create(account_named("alice"));
  store_->commit();
  EXPECT_EQ(first->outcome, AccountOutcome::done);
  EXPECT_EQ(second->outcome, AccountOutcome::conflict);
}

TEST_F(SqliteAccountsTest, LoadGivesEveryAccountWithoutItsPasswordHash) {
  const Creation alice = create(account_named("alice", 10));
  ASSERT_EQ(create(account_named("bob", 20)).outcome, AccountOutcome::done);
  reopen();
  const StoredState state = load();
  ASSERT_EQ(state.accounts.size(), 2u);
  EXPECT_EQ(state.accounts[0].id, alice.id);
  EXPECT_EQ(state.accounts[0].name, "alice");
  EXPECT_EQ(state.accounts[0].identity_key, "id:alice");
  EXPECT_EQ(state.accounts[0].lookalike_key, "look:alice");
  EXPECT_EQ(state.accounts[0].created_ms, 10);
  EXPECT_EQ(state.accounts[0].password_changed_ms, 10);
  EXPECT_EQ(state.accounts[1].name, "bob");
  for (const auto& account : state.accounts) EXPECT_TRUE(account.password_hash.empty()) << account.name;
}

TEST_F(SqliteAccountsTest, TokensKeepTheirAccountAndCreationTimeAcrossAReopen) {
  const Creation alice = create(account_named("alice"));
  save(token("session", alice.id, "alice"));
  save(token("guest", 0, "visitor"));
  reopen();
  const StoredState state = load();
  ASSERT_EQ(state.tokens.size(), 2u);
  for (const auto& stored : state.tokens) {
    EXPECT_EQ(stored.account, stored.id == "session" ? alice.id : 0) << stored.id;
    EXPECT_EQ(stored.created_ms, 400);
    EXPECT_EQ(stored.last_used_ms, 500);
  }
}

TEST_F(SqliteAccountsTest, ANewPasswordSignsOutTheAccountsOtherSessionsOnly) {
  const AccountId alice = create(account_named("alice")).id;
  const AccountId bob = create(account_named("bob")).id;
  for (const char* id : {"alice-phone", "alice-laptop", "alice-tablet"}) save(token(id, alice, "alice"));
  save(token("bob-phone", bob, "bob"));
  save(token("guest", 0, "alice"));  // a guest of the same name is not her session
  auto changed = request_set_password(alice, "$argon2id$new", "alice-laptop");
  store_->commit();
  ASSERT_TRUE(changed->has_value());
  EXPECT_TRUE(**changed);
  reopen();
  EXPECT_EQ(token_ids(load()), (std::vector<std::string>{"alice-laptop", "bob-phone", "guest"}));
  const auto read_back = read(alice);
  ASSERT_TRUE(read_back);
  EXPECT_EQ(read_back->password_hash, "$argon2id$new");
  EXPECT_EQ(read_back->password_changed_ms, 9000);
  EXPECT_EQ(read(bob)->password_hash, "$argon2id$hash-of-bob");
}

// Account 0 is every guest: a password change for it (or any unknown account) must fail, not
// delete the guests' tokens.
TEST_F(SqliteAccountsTest, ANewPasswordForAnUnknownAccountFailsAndDeletesNothing) {
  save(token("guest-1", 0));
  save(token("guest-2", 0));
  auto for_guests = request_set_password(0, "$argon2id$new", "guest-1");
  auto for_nobody = request_set_password(77, "$argon2id$new", "");
  store_->commit();
  EXPECT_EQ(*for_guests, std::optional<bool>(false));
  EXPECT_EQ(*for_nobody, std::optional<bool>(false));
  EXPECT_EQ(token_ids(load()), (std::vector<std::string>{"guest-1", "guest-2"}));
}

// The jobs of a batch share one transaction. A password change whose second statement fails
// (here a trigger refuses the deletion of tokens) must undo its first, while the requests before
// and after it in the same batch are stored.
TEST_F(SqliteAccountsTest, APasswordChangeThatFailsHalfwayChangesNothingAndSparesItsBatch) {
  const AccountId alice = create(account_named("alice")).id;
  save(token("alice-phone", alice, "alice"));
  save(token("alice-laptop", alice, "alice"));
  run_beside("CREATE TRIGGER refuse_sign_out BEFORE DELETE ON tokens BEGIN SELECT RAISE(ABORT, 'refused'); END;");
  auto before = request(&SqliteStore::save_token, token("guest-before", 0));
  auto changed = request_set_password(alice, "$argon2id$new", "alice-laptop");
  auto created = request_create(account_named("bob"));
  auto after = request(&SqliteStore::save_token, token("guest-after", 0));
  store_->commit();
  EXPECT_EQ(*before, std::optional<bool>(true));
  EXPECT_EQ(*changed, std::optional<bool>(false));
  EXPECT_EQ(created->outcome, AccountOutcome::done);
  EXPECT_EQ(*after, std::optional<bool>(true));
  reopen();
  EXPECT_EQ(read(alice)->password_hash, "$argon2id$hash-of-alice");  // the update was undone
  EXPECT_EQ(read(alice)->password_changed_ms, 1000);
  EXPECT_EQ(token_ids(load()), (std::vector<std::string>{"alice-laptop", "alice-phone", "guest-after", "guest-before"}));
  EXPECT_EQ(load().accounts.size(), 2u);
}

// A constraint that is not a taken key (here a trigger's refusal) is a failure, not a conflict.
TEST_F(SqliteAccountsTest, ARefusalOtherThanATakenKeyIsAFailure) {
  run_beside("CREATE TRIGGER refuse_accounts BEFORE INSERT ON accounts BEGIN SELECT RAISE(ABORT, 'refused'); END;");
  EXPECT_EQ(create(account_named("alice")).outcome, AccountOutcome::failed);
}

// A broken database (the accounts table gone under the store's feet): every account request
// answers failed, and the other requests of the batch are stored.
TEST_F(SqliteAccountsTest, ABrokenDatabaseAnswersFailed) {
  const AccountId alice = create(account_named("alice")).id;
  run_beside("DROP TABLE accounts;");
  auto created = request_create(account_named("bob"));
  auto changed = request_set_password(alice, "$argon2id$new", "");
  auto saved = request(&SqliteStore::save_token, token("guest", 0));
  bool read_ok = true;
  bool read_answered = false;
  store_->read_account(alice, [&](bool ok, std::optional<StoredAccount> found) {
    read_answered = true;
    read_ok = ok;
    EXPECT_FALSE(found);
  });
  store_->commit();
  EXPECT_EQ(created->outcome, AccountOutcome::failed);
  EXPECT_EQ(*changed, std::optional<bool>(false));
  EXPECT_TRUE(read_answered);
  EXPECT_FALSE(read_ok);
  EXPECT_EQ(*saved, std::optional<bool>(true));
  StoredState state;
  EXPECT_FALSE(store_->load(state));
}

// A write error inside a batch (as in sqlite_store_test: a batch larger than SQLite's page cache
// spills into the WAL, which the file size limit keeps from growing) rolls the whole transaction
// back: the account requests of that batch answer failed, none of them is stored, and the store
// works again once the disk does.
TEST_F(SqliteAccountsTest, AFullDiskAnswersFailedAndStoresNothing) {
  const AccountId alice = create(account_named("alice")).id;
  save(token("alice-phone", alice, "alice"));
  save(token("alice-laptop", alice, "alice"));
  store_->append_line("general", ChatLine{1, 1, "a", "x"}, [](bool ok) { EXPECT_TRUE(ok); });
  store_->commit();
  ASSERT_NO_FATAL_FAILURE(disk_nearly_full());
  auto created_before = request_create(account_named("bob"));
  auto changed_before = request_set_password(alice, "$argon2id$new", "alice-laptop");
  for (std::int64_t id = 2; id <= 1001; ++id) {
    store_->append_line("general", ChatLine{id, id, "a", std::string(4000, 'x')}, [](bool) {});
  }
  auto created_after = request_create(account_named("carol"));
  bool read_ok = true;
  store_->read_account(alice, [&](bool ok, std::optional<StoredAccount>) { read_ok = ok; });
  store_->commit();
  disk_freed();

  EXPECT_EQ(created_before->outcome, AccountOutcome::failed);
  EXPECT_EQ(*changed_before, std::optional<bool>(false));
  EXPECT_EQ(created_after->outcome, AccountOutcome::failed);
  EXPECT_FALSE(read_ok);
  EXPECT_EQ(create(account_named("dave")).outcome, AccountOutcome::done);  // the disk works again
  reopen();
  const StoredState state = load();
  ASSERT_EQ(state.accounts.size(), 2u);
  EXPECT_EQ(state.accounts[1].name, "dave");
  EXPECT_EQ(token_ids(state), (std::vector<std::string>{"alice-laptop", "alice-phone"}));
  EXPECT_EQ(read(alice)->password_hash, "$argon2id$hash-of-alice");
}

TEST_F(SqliteAccountsTest, ABackupHoldsTheAccountsAndTheirSessions) {
  const AccountId alice = create(account_named("alice")).id;
  save(token("alice-phone", alice, "alice"));
  const auto restored = backup_opened();
  ASSERT_TRUE(restored);
  StoredState state;
  ASSERT_TRUE(restored->load(state));
  ASSERT_EQ(state.accounts.size(), 1u);
  EXPECT_EQ(state.accounts[0].name, "alice");
  ASSERT_EQ(state.tokens.size(), 1u);
  EXPECT_EQ(state.tokens[0].account, alice);
  std::optional<StoredAccount> read_back;
  restored->read_account(alice, [&](bool, std::optional<StoredAccount> found) { read_back = std::move(found); });
  restored->commit();
  ASSERT_TRUE(read_back);
  EXPECT_EQ(read_back->password_hash, "$argon2id$hash-of-alice");
}

}  // namespace
}  // namespace chat
