// Accounts in a cluster, as the core sees it (docs/ACCOUNTS.md, Names): an account's name is never
// claimed, reserved or released through the engine's name calls (the account owns it on every
// node; guests are refused by the index), while guests' names still are; and an account's session
// on another node leaving is not the person leaving while a session here holds the name.
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

// Carol's laptop is on another node, her phone here: the laptop going (its password changed, say)
// must not tell the room "carol left" while the phone is still in it. CI saw that frame reach the
// phone itself before its own password_changed answer.
TEST_F(ChatServiceClusterAccountsTest, AnAccountsSessionLeavingAnotherNodeIsNotThePersonLeaving) {
  const auto [bob, bob_token] = v2_login("bob");
  service_->member_joined("general", "carol", "node-a");
  const auto [phone, phone_token] = device("carol");
  transport_.take(bob);
  service_->member_left("general", "carol", "node-a");
  EXPECT_TRUE(frames_of<PresenceFrame>(transport_.take(bob)).empty()) << "carol is still here, on her phone";
  EXPECT_TRUE(frames_of<PresenceFrame>(transport_.take(phone)).empty());
  service_->disconnect(phone);
  settle();
  const auto left = frames_of<PresenceFrame>(transport_.take(bob));
  ASSERT_EQ(1u, left.size()) << "the phone going is carol leaving";
  EXPECT_EQ("carol", left[0].user);
  EXPECT_FALSE(left[0].joined);
}

}  // namespace
}  // namespace chat
