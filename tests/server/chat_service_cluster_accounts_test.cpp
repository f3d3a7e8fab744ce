// Accounts in a cluster, as the core sees it (docs/ACCOUNTS.md, Names): an account's name is never
// claimed, reserved or released through the engine's name calls (the account owns it on every
// node; guests are refused by the index), while guests' names still are; and an account's sessions,
// here and on other nodes, are one person: in a room while any of them is, told of once.
#include <algorithm>

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
  // How many times `user` is in the members list a newcomer to general gets.
  long listed_for_newcomer(const std::string& newcomer, const std::string& user) {
    const SessionId id = connect();
    send(id, Login{newcomer, kCurrentVersion});
    const auto members = frames_of<MembersFrame>(transport_.take(id));
    EXPECT_EQ(1u, members.size());
    return members.empty() ? 0 : std::count(members[0].users.begin(), members[0].users.end(), user);
  }
  // The presence frames the session received since the last take, as "room:user+" or "-".
  std::vector<std::string> presence_told(SessionId id) {
    std::vector<std::string> told;
    for (const auto& p : frames_of<PresenceFrame>(transport_.take(id))) told.push_back(p.room + ":" + p.user + (p.joined ? "+" : "-"));
    return told;
  }

  CountingClusterEngine cluster_{engine_, store_};
};

using Told = std::vector<std::string>;

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

// Carol registered on another node a moment ago, and its account_created has not reached this
// node yet: her sign-in here is looked up through the engine and succeeds (it was answered
// bad_password until the news came). A name no account has is still a wrong password.
TEST_F(ChatServiceClusterAccountsTest, ASignInToAnAccountThisNodeHasNotHeardOfYetIsLookedUp) {
  const NameKeys keys = name_keys("carol");
  store_.create_account(StoredAccount{0, "carol", keys.identity, keys.lookalike, "hashed:" + std::string(kPassword), 1, 1},
                        [](AccountOutcome, AccountId) {});
  settle();  // stored, and this node never told
  const auto ack = first_message(password_login(connect(), "Carol", kPassword));
  EXPECT_EQ(ack.event, Event::logged_in);
  EXPECT_EQ(ack.user, "carol");
  EXPECT_TRUE(ack.account);
  EXPECT_EQ(1, cluster_.accounts_looked_up);
  EXPECT_EQ(first_message(password_login(connect(), "carol", kPassword)).event, Event::logged_in);
  EXPECT_EQ(1, cluster_.accounts_looked_up) << "known here from then on";
  EXPECT_EQ(first_message(password_login(connect(), "nobody", kPassword)).error, ErrorCode::bad_password);
}

// The phone arrives here while the laptop is in general on another node: general heard carol
// join once (from the laptop) and lists her once.
TEST_F(ChatServiceClusterAccountsTest, AnAccountArrivingHereWhileOnAnotherNodeIsNotAnnouncedOrListedTwice) {
  const auto [bob, bob_token] = v2_login("bob");
  service_->member_joined("general", "carol", "node-a");
  EXPECT_EQ(Told{"general:carol+"}, presence_told(bob));
  device("carol");
  EXPECT_EQ(Told{}, presence_told(bob)) << "carol was there already";
  EXPECT_EQ(1, listed_for_newcomer("eve", "carol"));
}

// The laptop is here, the phone on another node: the phone arriving is not carol joining, nor is
// the laptop going her leaving (the phone is still in general).
TEST_F(ChatServiceClusterAccountsTest, AnAccountsSessionLeavingHereIsNotThePersonLeavingWhileOnAnotherNode) {
  const auto [bob, bob_token] = v2_login("bob");
  const auto [laptop, laptop_token] = device("carol");
  transport_.take(bob);
  service_->member_joined("general", "carol", "node-b");
  EXPECT_EQ(Told{}, presence_told(bob)) << "carol was there already";
  EXPECT_EQ(1, listed_for_newcomer("eve", "carol"));
  transport_.take(bob);
  service_->disconnect(laptop);
  settle();
  EXPECT_EQ(Told{}, presence_told(bob)) << "carol is still there, on node B";
  service_->member_left("general", "carol", "node-b");
  EXPECT_EQ(Told{"general:carol-"}, presence_told(bob));
}

// Zed is in general on two other nodes, and on one of them in jeux too (a tab in each room): zed
// arrives in general with the first node and leaves with the last, and jeux is no leave from it.
TEST_F(ChatServiceClusterAccountsTest, APersonOnTwoOtherNodesLeavesWithTheLastOne) {
  const auto [bob, bob_token] = v2_login("bob");
  send(bob, CreateRoom{"jeux"});
  transport_.take(bob);
  for (const char* node : {"node-a", "node-b"}) service_->member_joined("general", "zed", node);
  EXPECT_EQ(Told{"general:zed+"}, presence_told(bob));
  service_->member_joined("jeux", "zed", "node-a");
  EXPECT_EQ(1, listed_for_newcomer("eve", "zed")) << "listed once, and still in general";
  transport_.take(bob);
  service_->member_left("general", "zed", "node-a");
  EXPECT_EQ(Told{}, presence_told(bob)) << "still there on node B";
  service_->member_left("general", "zed", "node-b");
  EXPECT_EQ(Told{"general:zed-"}, presence_told(bob));
}

}  // namespace
}  // namespace chat