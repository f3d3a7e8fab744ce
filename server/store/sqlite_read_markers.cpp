// SqliteStore's read markers and mentions (docs/ACCOUNTS.md, step 4).
// TODO(issue 16 step 4): schema step 6 and the real statements; until then every call fails.
#include "server/store/sqlite_database.hpp"
#include "server/store/sqlite_store.hpp"

namespace chat {

void SqliteStore::read_markers(AccountId, MarkersRead done) {
  submit(Job{[](Database&) { return false; }, [done = std::move(done)](bool) { done(false, {}); }});
}

void SqliteStore::raise_read_marker(AccountId, const std::string&, std::int64_t, Done done) {
  submit(Job{[](Database&) { return false; }, std::move(done)});
}

void SqliteStore::raise_mentions(const std::vector<AccountId>&, const std::string&, std::int64_t, Done done) {
  submit(Job{[](Database&) { return false; }, std::move(done)});
}

}  // namespace chat
