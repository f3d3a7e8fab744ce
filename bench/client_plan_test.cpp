// Where a large run's clients come from, and which frame ends a version-2 join.
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <string>

#include "bench/client_plan.hpp"

namespace bench {
namespace {

std::string dotted(std::uint32_t network_order) {
  char text[INET_ADDRSTRLEN] = {};
  in_addr address{network_order};
  ::inet_ntop(AF_INET, &address, text, sizeof text);
  return text;
}

TEST(ClientPlan, ClientsCycleOverTheSourceAddressesFrom127_0_0_1) {
  EXPECT_EQ(dotted(loopback_source(0, 4)), "127.0.0.1");
  EXPECT_EQ(dotted(loopback_source(3, 4)), "127.0.0.4");
  EXPECT_EQ(dotted(loopback_source(4, 4)), "127.0.0.1");
  // A second process numbering its clients from 18 001 continues the cycle, not restarts it.
  EXPECT_EQ(dotted(loopback_source(18'001, 4)), "127.0.0.2");
  EXPECT_EQ(dotted(loopback_source(253, 254)), "127.0.0.254");
}

TEST(ClientPlan, OneAddressIsAlways127_0_0_1) {
  EXPECT_EQ(dotted(loopback_source(12'345, 1)), "127.0.0.1");
}

}  // namespace
}  // namespace bench
