// Accounts in a cluster, as the core sees it (docs/ACCOUNTS.md, Names): an account's name is never
// claimed, reserved or released through the engine's name calls (the account owns it on every
// node; guests are refused by the index), while guests' names still are.
#include "fakes/account_test.hpp"

namespace chat {
namespace {

// The one-node engine on the memory store, saying it is a cluster and counting the name calls;
// claims are answered `claimed`, later, as a real engine's would be.
class CountingClusterEngine final : public Engine {
 public:
  CountingClusterEngine(Engine& inner, MemoryStore& store) : inner_(inner), store_(store) {}
  bool load(StoredState& state) override { return inner_.load(state); }
  void set_inbox(EngineInbox& inbox) override { inner_.set_inbox(inbox); }
  void publish(const std::string& room, std::int64_t ts, const std::string& user, const std::string& text,
               PublishDone done) override {
    inner_.publish(room, ts, user, text, std::move(done));
  }
  void read_lines(const LineQuery& query, PageDone done) override { inner_.read_lines(query, std::move(done)); }
  void create_room(const StoredRoom& room, RoomDone done) override { inner_.create_room(room, std::move(done)); }
  void delete_room(const std::string& name, RoomDone done) override { inner_.delete_room(name, std::move(done)); }
  void save_token(const StoredToken& token, Done done) override { inner_.save_token(token, std::move(done)); }
  void delete_tokens(const std::vector<std::string>& ids, Done done) override { inner_.delete_tokens(ids, std::move(done)); }
  void create_account(const StoredAccount& account, SessionId session, AccountDone done) override {
    inner_.create_account(account, session, std::move(done));
  }
  void read_account(AccountId id, AccountRead done) override { inner_.read_account(id, std::move(done)); }
  void set_password(AccountId id, const std::string& hash, std::int64_t changed_ms, const std::string& keep,
                    Done done) override {
    inner_.set_password(id, hash, changed_ms, keep, std::move(done));
  }
  void add_room_member(const std::string& room, AccountId account, RoomDone done) override {
    inner_.add_room_member(room, account, std::move(done));
  }
  void remove_room_member(const std::string& room, AccountId account, RoomDone done) override {
    inner_.remove_room_member(room, account, std::move(done));
  }
  void read_markers(AccountId account, MarkersRead done) override { inner_.read_markers(account, std::move(done)); }
  void raise_read_marker(AccountId account, const std::string& room, std::int64_t id, Done done) override {
    inner_.raise_read_marker(account, room, id, std::move(done));
  }
  void raise_mentions(const std::vector<AccountId>& accounts, const std::string& room, std::int64_t id,
                      Done done) override {
    inner_.raise_mentions(accounts, room, id, std::move(done));
  }
  std::size_t pending() const override { return inner_.pending(); }
  bool cluster() const override { return true; }
  void claim_name(const NameKeys& keys, SessionId, const std::string&, ClaimDone done) override {
    claimed.push_back(keys.identity);
    store_.read_lines(LineQuery{"general", 0, 0, 1}, [done](LinePage) { done(ClaimOutcome::claimed); });  // later
  }
  void reserve_name(const NameKeys& keys, const std::string&, std::int64_t) override { reserved.push_back(keys.identity); }
  void release_name(const NameKeys& keys, SessionId, const std::string&) override { released.push_back(keys.identity); }

  std::vector<std::string> claimed, reserved, released;

 private:
  Engine& inner_;
  MemoryStore& store_;
};

class ChatServiceClusterAccountsTest : public AccountTest {
 protected:
  ChatServiceClusterAccountsTest() {
    service_ = std::make_unique<ChatService>(Ports{transport_, cluster_, clock_, random_, hasher_, passwords_}, ServiceOptions{});
    StoredState state;
    cluster_.load(state);
    service_->restore(state);
  }
  CountingClusterEngine cluster_{engine_, store_};
};

TEST_F(ChatServiceClusterAccountsTest, AnAccountsNameIsNeverClaimedReservedOrReleasedThroughTheEngine) {
  const auto [laptop, token] = device("alice");
  const auto [phone, phone_token] = device("alice");
  service_->disconnect(laptop);
  const SessionId back = connect();
  send(back, Resume{token, "general", 0});
  EXPECT_EQ(first_message(transport_.take(back)).event, Event::resumed);
  service_->disconnect(phone);
  EXPECT_TRUE(cluster_.claimed.empty());
  EXPECT_TRUE(cluster_.reserved.empty());
  EXPECT_TRUE(cluster_.released.empty());
  const auto [guest, guest_token] = v2_login("bob");  // a guest's still is
  EXPECT_EQ(cluster_.claimed, std::vector<std::string>{"bob"});
}

TEST_F(ChatServiceClusterAccountsTest, AGuestRegisteringItsNameGivesUpItsClaim) {
  const auto [guest, guest_token] = v2_login("carol");
  register_as(guest, "carol", kPassword);
  EXPECT_EQ(cluster_.released, std::vector<std::string>{"carol"});
  const SessionId other = connect();
  send(other, Login{"Carol", kCurrentVersion});
  EXPECT_TRUE(first_message(transport_.take(other)).registered);  // refused here, without a claim
  EXPECT_EQ(cluster_.claimed, std::vector<std::string>{"carol"});
}

}  // namespace
}  // namespace chat
