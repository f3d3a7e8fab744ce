// HostCheck: which Host headers a request may carry (the DNS-rebinding defence).
#include "server/host_check.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

TEST(HostCheck, LoopbackNamesAndIpLiteralsPassWithOrWithoutPort) {
  const HostCheck check({});
  for (const char* host : {"localhost", "LocalHost:8080", "localhost.", "127.0.0.1", "127.0.0.1:8080", "[::1]",
                           "[::1]:8080", "192.0.2.7:80", "[2001:db8::1]:443"}) {
    EXPECT_TRUE(check.accepts(host)) << host;
  }
}

TEST(HostCheck, OtherNamesAreRefusedUnlessListed) {
  const HostCheck loopback_only({});
  EXPECT_FALSE(loopback_only.accepts("rebind.example:8080"));
  EXPECT_FALSE(loopback_only.accepts("rebind.example"));
  EXPECT_FALSE(loopback_only.accepts("localhost.rebind.example"));
  const HostCheck listed({"Chat.Example.org"});
  EXPECT_TRUE(listed.accepts("chat.example.org"));
  EXPECT_TRUE(listed.accepts("CHAT.example.org.:443"));
  EXPECT_FALSE(listed.accepts("evil.chat.example.org"));
  EXPECT_FALSE(listed.accepts("rebind.example"));
}

TEST(HostCheck, MalformedHostsAreRefused) {
  const HostCheck check({"chat.example.org"});
  for (const char* host : {"", ":8080", "chat.example.org:", "chat.example.org:0", "chat.example.org:99999",
                           "chat.example.org:80:80", "[::1", "[::1]x", "[chat.example.org]", "::1",
                           "chat example.org", "chat.example.org/x", "user@chat.example.org"}) {
    EXPECT_FALSE(check.accepts(host)) << host;
  }
}

TEST(HostCheck, StarAcceptsAnyHost) {
  const HostCheck any({"*"});
  EXPECT_TRUE(any.accepts("rebind.example:8080"));
  EXPECT_FALSE(any.accepts(""));
}

}  // namespace
}  // namespace chat
