// Accounts span the cluster (docs/ACCOUNTS.md): an account registered on one node owns its name
// and its look-alikes on every node, signs in on any node, and a password changed on one node
// ends the account's other sessions on the others (close code 4001). Other nodes hear of a new
// account through pub/sub; until then Redis's claim script already refuses the name to guests,
// only without "registered":true. And an account signed in on two nodes is one person to every
// node: in a room while any of its sessions is, told of once, listed once.
#include <set>
#include <thread>

#include "cluster_fixture.hpp"

namespace chat_it {
namespace {

using namespace std::chrono_literals;
using chat::ErrorCode;
using chat::Event;

constexpr int kSessionEnded = 4001;
using ClusterAccountsTest = ClusterTest;

TEST_F(ClusterAccountsTest, AnAccountRegisteredOnAOwnsItsNameOnEveryNodeAndSignsInOnB) {
  auto laptop = registered(0, "Alice");
  for (int index : {1, 2}) {
    SCOPED_TRACE("node " + std::to_string(index));
    for (const std::string name : {"alice", "ALICE", "aIice"}) {
      EXPECT_TRUE(knows_account(index, name, kAcrossNodes)) << name;
    }
  }
  auto phone = signed_in(1, "alice", nullptr, "Alice");  // the account's own spelling comes back
  phone->send(chat::SendMessage{"from node B"});
  expect_line(*phone, "Alice", "general", "from node B");
  expect_line(*laptop, "Alice", "general", "from node B");
}

// No wait for B to hear of the account: B looks a name it does not know up in Redis before it
// answers bad_password (which it did while the news was on its way).
TEST_F(ClusterAccountsTest, ASignInOnBRightAfterRegisteringOnASucceeds) {
  auto laptop = registered(0, "erin");
  auto phone = signed_in(1, "erin");
  phone->send(chat::SendMessage{"from node B"});
  expect_line(*phone, "erin", "general", "from node B");
  expect_line(*laptop, "erin", "general", "from node B");
}

TEST_F(ClusterAccountsTest, APasswordChangedOnBEndsTheAccountsSessionsOnA) {
  auto laptop = registered(0, "carol");
  ASSERT_TRUE(knows_account(1, "carol", kAcrossNodes));
  auto phone = signed_in(1, "carol");
  phone->send(chat::ChangePassword{kPassword, "a brand new secret"});
  EXPECT_EQ(phone->expect_message(kHashTimeout).event, Event::password_changed);
  laptop->expect_close(kSessionEnded, kAcrossNodes);
  ASSERT_TRUE(knows_account(2, "carol", kAcrossNodes));
  auto old = connect(2);
  old->send(chat::PasswordLogin{"carol", kPassword});
  old->expect_refusal(ErrorCode::bad_password, kHashTimeout);
  signed_in(2, "carol", nullptr, "carol", "a brand new secret");
}

// A presence frame as "room:user+" (joined) or "room:user-" (left).
std::string told_as(const chat::PresenceFrame& p) { return p.room + ":" + p.user + (p.joined ? "+" : "-"); }

// The presence frames that the client receives up to and including `until`; other frames skipped.
std::vector<std::string> presence_until(ChatTestClient& client, const std::string& until) {
  std::vector<std::string> told;
  while (told.empty() || told.back() != until) {
    const auto frame = client.next_json(kAcrossNodes);
    if (const auto* p = std::get_if<chat::PresenceFrame>(&frame)) told.push_back(told_as(*p));
  }
  return told;
}

// Those of them about `user`.
std::vector<std::string> about(const std::string& user, const std::vector<std::string>& told) {
  std::vector<std::string> kept;
  for (const auto& frame : told) {
    if (frame.find(":" + user) != std::string::npos) kept.push_back(frame);
  }
  return kept;
}

// Sends join_room: the presence frames received before its answer (so, told of everything the
// node did before it), and the new room's members, whose frame follows.
std::vector<std::string> presence_before_joining(ChatTestClient& client, const std::string& room,
                                                 chat::MembersFrame& members) {
  client.send(chat::JoinRoom{room});
  std::vector<std::string> told;
  for (;;) {
    const auto frame = client.next_json(kAcrossNodes);
    if (const auto* p = std::get_if<chat::PresenceFrame>(&frame)) told.push_back(told_as(*p));
    const auto* answer = std::get_if<chat::MessageFrame>(&frame);
    if (answer && answer->event == Event::joined && answer->room == room) break;
  }
  members = client.expect_members(room);
  client.expect_history(room);
  return told;
}

long times_listed(const chat::MembersFrame& members, const std::string& user) {
  return std::count(members.users.begin(), members.users.end(), user);
}

using Told = std::vector<std::string>;

// Carol's laptop on node A, her phone on node B; dave watches on A, frank and gus on B, bob on C.
// Each "sentinel" is a later act of the same node, so its frame comes after any the act under test
// caused there, and after that node's earlier pub/sub messages everywhere.
TEST_F(ClusterAccountsTest, AnAccountOnTwoNodesIsOnePersonToEveryNode) {
  auto dave = connect_v2(0, "dave");
  dave->send(chat::CreateRoom{"side"});  // before anyone else is there to be announced to dave
  dave->expect_room_created("side");
  auto frank = connect_v2(1, "frank");
  auto bob = connect_v2(2, "bob");
  auto laptop = registered(0, "carol");
  for (auto* watcher : {dave.get(), frank.get(), bob.get()}) presence_until(*watcher, "general:carol+");
  ASSERT_TRUE(knows_account(1, "carol", kAcrossNodes));

  auto phone = signed_in(1, "carol");  // carol is in general already: no news to anyone
  chat::MembersFrame members;
  auto gus = connect_v2(1, "gus", nullptr, &members);  // the sentinel from B
  EXPECT_EQ(1, times_listed(members, "carol")) << "one person, on two nodes";
  for (auto* watcher : {dave.get(), frank.get(), bob.get()}) {
    EXPECT_EQ(Told{}, about("carol", presence_until(*watcher, "general:gus+"))) << watcher->name();
  }

  enter_room(*laptop, "side", true);  // the laptop leaves general, where the phone still is
  EXPECT_EQ(Told{}, about("carol", presence_before_joining(*dave, "side", members))) << "the sentinel from A";
  EXPECT_EQ(1, times_listed(members, "carol"));
  for (auto* watcher : {frank.get(), gus.get(), bob.get()}) {
    EXPECT_EQ(Told{}, about("carol", presence_until(*watcher, "general:dave-"))) << watcher->name();
  }

  phone->close(1000);  // her last session in general goes: every node tells general she left
  for (auto* watcher : {frank.get(), gus.get(), bob.get()}) {
    EXPECT_EQ((Told{"general:carol-"}), about("carol", presence_until(*watcher, "general:carol-"))) << watcher->name();
  }
  laptop->close(1000);
  EXPECT_EQ((Told{"side:carol-"}), about("carol", presence_until(*dave, "side:carol-")));
}

// Every node says which people are accounts (whom "Message" can reach), for its own members and
// for other nodes': a node hears of an account before it hears of its arrival in a room (one
// subscription, in the order node A published both).
TEST_F(ClusterAccountsTest, EveryNodeSaysWhichPeopleAreAccounts) {
  auto dave = connect_v2(1, "dave");
  dave->send(chat::CreateRoom{"side"});
  dave->expect_room_created("side");
  auto laptop = registered(0, "carol");
  bool carol_an_account = false;
  for (;;) {
    const auto frame = dave->next_json(kAcrossNodes);
    const auto* p = std::get_if<chat::PresenceFrame>(&frame);
    if (p == nullptr || p->user != "carol") continue;
    carol_an_account = p->account;
    break;
  }
  EXPECT_TRUE(carol_an_account) << "told by node B of node A's member";
  enter_room(*dave, "side", true);
  chat::MembersFrame members;
  presence_before_joining(*dave, "general", members);
  EXPECT_EQ(members.users, (std::vector<std::string>{"dave", "carol"}));
  EXPECT_EQ(members.accounts, std::vector<std::string>{"carol"});
}

// A guest who registers her own name stays in the room: every node tells it she is an account now.
TEST_F(ClusterAccountsTest, AGuestWhoRegistersHerNameIsToldAsAnAccountOnEveryNode) {
  auto dave = connect_v2(1, "dave");
  auto fay = connect_v2(0, "fay");
  const auto next_about_fay = [&dave] {
    for (;;) {
      const auto frame = dave->next_json(kAcrossNodes);
      const auto* p = std::get_if<chat::PresenceFrame>(&frame);
      if (p != nullptr && p->user == "fay") return *p;
    }
  };
  EXPECT_FALSE(next_about_fay().account) << "a guest";
  fay->send(chat::Register{"fay", kPassword});
  const chat::PresenceFrame now = next_about_fay();
  EXPECT_TRUE(now.joined);
  EXPECT_TRUE(now.account) << "told by node B of node A's registration";
}

}  // namespace
}  // namespace chat_it
