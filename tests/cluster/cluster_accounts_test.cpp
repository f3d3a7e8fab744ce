// Accounts span the cluster (docs/ACCOUNTS.md): an account registered on one node owns its name
// and its look-alikes on every node, signs in on any node, and a password changed on one node
// ends the account's other sessions on the others (close code 4001).
#include <thread>

#include "cluster_fixture.hpp"

namespace chat_it {
namespace {

using namespace std::chrono_literals;
using chat::ErrorCode;
using chat::Event;

constexpr int kSessionEnded = 4001;
// Other nodes hear of a new account through pub/sub; until then Redis's claim script already
// refuses the name to guests, only without "registered":true. Bounded far above a loaded
// machine's delivery time.
constexpr milliseconds kHeardBound = 20s;

// Expects an account's logged_in for `user` on `client` (then general's members and history).
void expect_signed_in(ChatTestClient& client, const std::string& user) {
  const chat::MessageFrame ack = client.expect_message(kHashTimeout);
  if (ack.event != Event::logged_in || ack.error || !ack.account || ack.user != user) {
    client.fail("expected an account's logged_in for " + user + ", got " + client.last_raw());
  }
  next_non_presence(client);  // members of general
  next_non_presence(client);  // history of general
  client.set_label(user);
}

class ClusterAccountsTest : public ClusterTest {
 protected:
  std::unique_ptr<ChatTestClient> registered(int index, const std::string& name) {
    auto client = connect(index);
    client->send(chat::Register{name, kPassword});
    expect_signed_in(*client, name);
    return client;
  }
  std::unique_ptr<ChatTestClient> signed_in(int index, const std::string& typed, const std::string& user,
                                            const std::string& password) {
    auto client = connect(index);
    client->send(chat::PasswordLogin{typed, password});
    expect_signed_in(*client, user);
    return client;
  }
};

TEST_F(ClusterAccountsTest, AnAccountRegisteredOnAOwnsItsNameOnEveryNodeAndSignsInOnB) {
  auto laptop = registered(0, "Alice");
  for (int index : {1, 2}) {
    SCOPED_TRACE("node " + std::to_string(index));
    for (const std::string name : {"alice", "ALICE", "aIice"}) {
      EXPECT_TRUE(knows_account(index, name, kHeardBound)) << name;
    }
  }
  auto phone = signed_in(1, "alice", "Alice", kPassword);  // the account's own spelling comes back
  phone->send(chat::SendMessage{"from node B"});
  expect_line(*phone, "Alice", "general", "from node B");
  expect_line(*laptop, "Alice", "general", "from node B");
}

TEST_F(ClusterAccountsTest, APasswordChangedOnBEndsTheAccountsSessionsOnA) {
  auto laptop = registered(0, "carol");
  ASSERT_TRUE(knows_account(1, "carol", kHeardBound));
  auto phone = signed_in(1, "carol", "carol", kPassword);
  phone->send(chat::ChangePassword{kPassword, "a brand new secret"});
  EXPECT_EQ(phone->expect_message(kHashTimeout).event, Event::password_changed);
  laptop->expect_close(kSessionEnded, kHeardBound);
  ASSERT_TRUE(knows_account(2, "carol", kHeardBound));
  auto old = connect(2);
  old->send(chat::PasswordLogin{"carol", kPassword});
  old->expect_refusal(ErrorCode::bad_password, kHashTimeout);
  signed_in(2, "carol", "carol", "a brand new secret");
}

}  // namespace
}  // namespace chat_it
