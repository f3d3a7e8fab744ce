// SqliteStore's calls for accounts (docs/ACCOUNTS.md, Storage): the accounts table, and the
// tokens' account column that set_password clears. Password hashes leave the database only
// through read_account, which the core asks for when it checks a password; load never reads them.
#include <sqlite3.h>

#include <memory>

#include "server/store/sqlite_database.hpp"
#include "server/store/sqlite_store.hpp"

namespace chat {

bool SqliteStore::load_accounts(StoredState& state) {
  sqlite3_stmt* accounts = database_->statement(
      "SELECT id, name, identity_key, lookalike_key, created_ms, password_changed_ms FROM accounts ORDER BY id");
  if (!accounts) return false;
  int result;
  while ((result = sqlite3_step(accounts)) == SQLITE_ROW) {
    StoredAccount account;
    account.id = sqlite3_column_int64(accounts, 0);
    account.name = Database::column_text(accounts, 1);
    account.identity_key = Database::column_text(accounts, 2);
    account.lookalike_key = Database::column_text(accounts, 3);
    account.created_ms = sqlite3_column_int64(accounts, 4);
    account.password_changed_ms = sqlite3_column_int64(accounts, 5);
    state.accounts.push_back(std::move(account));
  }
  sqlite3_reset(accounts);
  return result == SQLITE_DONE;
}

// A taken key is an answer, not a failure: the job succeeds (nothing was written) and reports
// conflict, but only once its batch committed, as every answer of the store.
void SqliteStore::create_account(const StoredAccount& account, AccountDone done) {
  struct Created {
    bool conflict = false;
    AccountId id = 0;
  };
  auto created = std::make_shared<Created>();
  auto insert_account = [account, created](Database& db) {
    sqlite3_stmt* insert = db.statement(
        "INSERT INTO accounts (name, identity_key, lookalike_key, password_hash, created_ms, password_changed_ms) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    if (!insert) return false;
    Database::bind_text(insert, 1, account.name);
    Database::bind_text(insert, 2, account.identity_key);
    Database::bind_text(insert, 3, account.lookalike_key);
    Database::bind_text(insert, 4, account.password_hash);
    sqlite3_bind_int64(insert, 5, account.created_ms);
    sqlite3_bind_int64(insert, 6, account.password_changed_ms);
    const int result = db.step_code(insert, SQLITE_CONSTRAINT_UNIQUE);
    created->conflict = result == SQLITE_CONSTRAINT_UNIQUE;
    if (result == SQLITE_DONE) created->id = db.last_insert_row();
    return result == SQLITE_DONE || created->conflict;
  };
  submit(Job{std::move(insert_account), [created, done = std::move(done)](bool ok) {
               if (!ok) return done(AccountOutcome::failed, 0);
               if (created->conflict) return done(AccountOutcome::conflict, 0);
               done(AccountOutcome::done, created->id);
             }});
}

void SqliteStore::read_account(AccountId id, AccountRead done) {
  auto found = std::make_shared<std::optional<StoredAccount>>();
  auto select_account = [id, found](Database& db) {
    sqlite3_stmt* select = db.statement(
        "SELECT name, identity_key, lookalike_key, password_hash, created_ms, password_changed_ms "
        "FROM accounts WHERE id = ?");
    if (!select) return false;
    sqlite3_bind_int64(select, 1, id);
    const int result = sqlite3_step(select);
    if (result == SQLITE_ROW) {
      *found = StoredAccount{id,
                             Database::column_text(select, 0),
                             Database::column_text(select, 1),
                             Database::column_text(select, 2),
                             Database::column_text(select, 3),
                             sqlite3_column_int64(select, 4),
                             sqlite3_column_int64(select, 5)};
    }
    sqlite3_reset(select);  // at once: see Database::room_row
    return result == SQLITE_ROW || result == SQLITE_DONE;
  };
  submit(Job{std::move(select_account), [found, done = std::move(done)](bool ok) {
               done(ok, ok ? std::move(*found) : std::nullopt);
             }});
}

// An unknown account fails (and deletes nothing): id 0 would otherwise take every guest token.
void SqliteStore::set_password(AccountId id, const std::string& password_hash, std::int64_t changed_ms,
                               const std::string& keep_token_id, Done done) {
  auto change_password = [id, password_hash, changed_ms, keep_token_id](Database& db) {
    sqlite3_stmt* update =
        db.statement("UPDATE accounts SET password_hash = ?, password_changed_ms = ? WHERE id = ?");
    sqlite3_stmt* sign_out = db.statement("DELETE FROM tokens WHERE account = ? AND id <> ?");
    if (!update || !sign_out) return false;
    Database::bind_text(update, 1, password_hash);
    sqlite3_bind_int64(update, 2, changed_ms);
    sqlite3_bind_int64(update, 3, id);
    sqlite3_bind_int64(sign_out, 1, id);
    Database::bind_text(sign_out, 2, keep_token_id);
    return db.atomically([&] { return db.step_done(update) && db.changes() == 1 && db.step_done(sign_out); });
  };
  submit(Job{std::move(change_password), std::move(done)});
}

}  // namespace chat
