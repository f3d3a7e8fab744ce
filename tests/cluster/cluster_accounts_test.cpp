// Accounts span the cluster (docs/ACCOUNTS.md): an account registered on one node owns its name
// and its look-alikes on every node, signs in on any node, and a password changed on one node
// ends the account's other sessions on the others (close code 4001). Other nodes hear of a new
// account through pub/sub; until then Redis's claim script already refuses the name to guests,
// only without "registered":true.
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

}  // namespace
}  // namespace chat_it
