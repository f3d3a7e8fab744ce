// Accounts in a cluster, as the core sees it (docs/ACCOUNTS.md, Names): an account's name is never
// claimed, reserved or released through the engine's name calls (the account owns it on every
// node; guests are refused by the index), while guests' names still are.
#include "fakes/account_test.hpp"
#include "fakes/counting_cluster_engine.hpp"

namespace chat {
namespace {

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
