// The Origin rule and the client address behind trusted proxies, without sockets.
#include "server/connection_policy.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

TEST(ParseOrigin, MakesThePortExplicitAndLowersCase) {
  const auto origin = parse_origin("HTTPS://Chat.Example.org");
  ASSERT_TRUE(origin);
  EXPECT_EQ(origin->scheme, "https");
  EXPECT_EQ(origin->host, "chat.example.org");
  EXPECT_EQ(origin->port, 443);
  EXPECT_EQ(parse_origin("http://localhost")->port, 80);
  EXPECT_EQ(parse_origin("http://localhost:8080")->port, 8080);
  EXPECT_EQ(parse_origin("http://[::1]:8080")->host, "[::1]");
  EXPECT_TRUE(*parse_origin("http://a:80") == *parse_origin("http://A"));
}

TEST(ParseOrigin, RefusesWhatIsNotAnOrigin) {
  for (const char* text : {"", "null", "chat.example.org", "ftp://a", "http://", "http://a/", "http://a/path",
                           "http://a:0", "http://a:65536", "http://a:x", "http://user@a", "http://[zz]:1",
                           "http://a b", "file://"}) {
    EXPECT_FALSE(parse_origin(text)) << text;
  }
}

TEST(CanonicalIp, NormalisesAndRefusesNames) {
  EXPECT_EQ(canonical_ip("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(canonical_ip("::ffff:127.0.0.1"), "127.0.0.1");  // a dual-stack socket's view of IPv4
  EXPECT_EQ(canonical_ip("[2001:DB8:0::1]"), "2001:db8::1");
  EXPECT_FALSE(canonical_ip("localhost"));
  EXPECT_FALSE(canonical_ip("10.0.0.1:80"));
  EXPECT_FALSE(canonical_ip(""));
}

// Dotted quads take a shortcut past inet_pton; it must agree with it: no leading zeros, no
// number above 255, exactly four parts.
TEST(CanonicalIp, DottedQuadsAsInetPtonReadsThem) {
  EXPECT_EQ(canonical_ip("0.0.0.0"), "0.0.0.0");
  EXPECT_EQ(canonical_ip("255.255.255.255"), "255.255.255.255");
  EXPECT_EQ(canonical_ip("[10.1.20.255]"), "10.1.20.255");
  for (const char* text : {"01.2.3.4", "1.2.3.04", "256.1.1.1", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1..2.3",
                           "1.2.3.4 ", "1.2.3.1000", "1.2.3.-1", "1.2.3.0x1", "1.2.3.4.5"}) {
    EXPECT_FALSE(canonical_ip(text)) << text;
  }
}

TEST(AcceptsOrigin, SameOriginAndNoOriginByDefault) {
  const ConnectionPolicy policy({}, {});
  EXPECT_TRUE(policy.accepts_origin("", "127.0.0.1:8080", "http"));  // native clients send none
  EXPECT_TRUE(policy.accepts_origin("http://127.0.0.1:8080", "127.0.0.1:8080", "http"));
  EXPECT_TRUE(policy.accepts_origin("https://chat.example.org", "Chat.Example.org:443", "https"));
  EXPECT_TRUE(policy.accepts_origin("http://chat.example.org", "chat.example.org", "http"));
}

TEST(AcceptsOrigin, RefusesOtherOrigins) {
  const ConnectionPolicy policy({}, {});
  EXPECT_FALSE(policy.accepts_origin("http://evil.example", "127.0.0.1:8080", "http"));
  EXPECT_FALSE(policy.accepts_origin("http://127.0.0.1:9999", "127.0.0.1:8080", "http"));   // other port
  EXPECT_FALSE(policy.accepts_origin("https://127.0.0.1:8080", "127.0.0.1:8080", "http"));  // other scheme
  EXPECT_FALSE(policy.accepts_origin("http://127.0.0.1:8080", "127.0.0.1:8080", "https"));
  EXPECT_FALSE(policy.accepts_origin("null", "127.0.0.1:8080", "http"));  // sandboxed frame, file://
  EXPECT_FALSE(policy.accepts_origin("http://127.0.0.1:8080", "", "http"));
  EXPECT_FALSE(policy.accepts_origin("http://127.0.0.1:8080.evil.example", "127.0.0.1:8080", "http"));
}

TEST(AcceptsOrigin, ListedOriginsAreAcceptedToo) {
  const ConnectionPolicy policy({"https://chat.example.org", "http://localhost:3000"}, {});
  EXPECT_TRUE(policy.accepts_origin("https://chat.example.org", "127.0.0.1:8080", "http"));
  EXPECT_TRUE(policy.accepts_origin("https://chat.example.org:443", "127.0.0.1:8080", "http"));
  EXPECT_TRUE(policy.accepts_origin("http://localhost:3000", "127.0.0.1:8080", "http"));
  EXPECT_TRUE(policy.accepts_origin("http://127.0.0.1:8080", "127.0.0.1:8080", "http"));  // still same origin
  EXPECT_FALSE(policy.accepts_origin("http://chat.example.org", "127.0.0.1:8080", "http"));
  EXPECT_FALSE(policy.accepts_origin("http://localhost:3001", "127.0.0.1:8080", "http"));
}

TEST(RequestScheme, ForwardedProtoOnlyFromATrustedProxy) {
  const ConnectionPolicy policy({}, {"127.0.0.1"});
  EXPECT_EQ(policy.request_scheme("127.0.0.1", false, "https"), "https");  // TLS ended at the proxy
  EXPECT_EQ(policy.request_scheme("127.0.0.1", false, ""), "http");
  EXPECT_EQ(policy.request_scheme("127.0.0.1", true, "gopher"), "https");
  EXPECT_EQ(policy.request_scheme("10.0.0.9", false, "https"), "http");
  EXPECT_EQ(policy.request_scheme("10.0.0.9", true, "http"), "https");
}

TEST(ClientAddress, IsThePeerUnlessThePeerIsATrustedProxy) {
  const ConnectionPolicy none({}, {});
  EXPECT_EQ(none.client_address("127.0.0.1", "203.0.113.7"), "127.0.0.1");
  const ConnectionPolicy proxy({}, {"127.0.0.1"});
  EXPECT_EQ(proxy.client_address("127.0.0.1", "203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(proxy.client_address("::ffff:127.0.0.1", " 203.0.113.7 "), "203.0.113.7");
  EXPECT_EQ(proxy.client_address("127.0.0.1", ""), "127.0.0.1");
  EXPECT_EQ(proxy.client_address("10.0.0.9", "203.0.113.7"), "10.0.0.9");  // not our proxy: a claim
}

TEST(ClientAddress, TakesTheNearestUntrustedHopNotTheClientsOwnClaim) {
  const ConnectionPolicy proxies({}, {"127.0.0.1", "10.0.0.2"});
  // The client wrote "1.2.3.4" itself; 198.51.100.5 is what our outer proxy 10.0.0.2 saw.
  EXPECT_EQ(proxies.client_address("127.0.0.1", "1.2.3.4, 198.51.100.5, 10.0.0.2"), "198.51.100.5");
  EXPECT_EQ(proxies.client_address("127.0.0.1", "1.2.3.4,198.51.100.5,10.0.0.2"), "198.51.100.5");
  EXPECT_EQ(proxies.client_address("127.0.0.1", "10.0.0.2"), "10.0.0.2");  // only proxies: the farthest
  EXPECT_EQ(proxies.client_address("127.0.0.1", "2001:DB8::1"), "2001:db8::1");
  // Not an address where one is expected: keep the last hop we can vouch for.
  EXPECT_EQ(proxies.client_address("127.0.0.1", "unknown, 10.0.0.2"), "10.0.0.2");
  EXPECT_EQ(proxies.client_address("127.0.0.1", "garbage"), "127.0.0.1");
}

}  // namespace
}  // namespace chat
