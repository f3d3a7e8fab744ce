// Connection caps (PROTOCOL.md, "Limits"): beyond the per-address or total cap the handshake is
// answered 503 and nobody already connected notices; a closed connection frees its place.
#include "chat_fixture.hpp"

namespace chat_it {
namespace {

::testing::AssertionResult refused_with_503(std::uint16_t port) {
  return refused_with_status(port, HandshakeOptions{}, 503);
}

class PerAddressCapTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return {"--max-connections-per-address", "3"}; }
};

TEST_F(PerAddressCapTest, TheFourthConnectionFromOneAddressIsRefusedUntilOneCloses) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  auto carol = connect_as("carol");
  EXPECT_TRUE(refused_with_503(port()));
  expect_served("general", {alice.get(), bob.get(), carol.get()});
  carol->close(1000);
  auto dave = connect();  // the freed place is usable again
  dave->login("dave");
  expect_served("general", {alice.get(), bob.get(), dave.get()});
}

class TotalCapTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override { return {"--max-connections", "2"}; }
};

TEST_F(TotalCapTest, ConnectionsBeyondTheTotalAreRefused) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  EXPECT_TRUE(refused_with_503(port()));
  expect_served("general", {alice.get(), bob.get()});
}

class NoLimitsCapTest : public ChatServerTest {
 protected:
  std::vector<std::string> server_flags() const override {
    return {"--max-connections", "2", "--no-limits"};
  }
};

TEST_F(NoLimitsCapTest, NoLimitsLiftsTheCaps) {
  auto alice = connect_as("alice");
  auto bob = connect_as("bob");
  auto carol = connect_as("carol");
  expect_served("general", {alice.get(), bob.get(), carol.get()});
}

}  // namespace
}  // namespace chat_it
