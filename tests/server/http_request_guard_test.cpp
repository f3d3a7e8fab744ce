// HttpRequestGuard: which requests are refused, and with which status, before anything is served.
#include "server/http_request_guard.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

HttpRequestFacts get(const std::string& host = "127.0.0.1:8080") {
  HttpRequestFacts facts;
  facts.method = "GET";
  facts.target_bytes = 1;
  facts.has_host = true;
  facts.host = host;
  return facts;
}

int status(const HttpRequestGuard& guard, const HttpRequestFacts& facts) {
  const auto refusal = guard.check(facts);
  return refusal ? refusal->status : 0;
}

const HttpRequestGuard kGuard{HostCheck({"chat.example.org"})};

TEST(HttpRequestGuard, PlainGetAndHeadPass) {
  EXPECT_EQ(status(kGuard, get()), 0);
  auto head = get("chat.example.org");
  head.method = "HEAD";
  EXPECT_EQ(status(kGuard, head), 0);
  auto websocket = get();
  websocket.upgrade = "websocket";
  EXPECT_EQ(status(kGuard, websocket), 0);
  auto empty_body = get();
  empty_body.has_content_length = true;
  empty_body.content_length = "0";
  EXPECT_EQ(status(kGuard, empty_body), 0);
}

TEST(HttpRequestGuard, OtherMethodsGet405WithAllow) {
  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", ""}) {
    auto facts = get();
    facts.method = method;
    const auto refusal = kGuard.check(facts);
    ASSERT_TRUE(refusal) << method;
    EXPECT_EQ(refusal->status, 405) << method;
    EXPECT_TRUE(refusal->allow_header) << method;
  }
}

TEST(HttpRequestGuard, AnUpgradeMustBeAGet) {
  auto head = get();
  head.method = "HEAD";
  head.upgrade = "websocket";
  EXPECT_EQ(status(kGuard, head), 405);
}

TEST(HttpRequestGuard, ABodyOnGetIs400) {
  auto chunked = get();
  chunked.has_transfer_encoding = true;
  EXPECT_EQ(status(kGuard, chunked), 400);
  auto with_length = get();
  with_length.has_content_length = true;
  with_length.content_length = "45";
  EXPECT_EQ(status(kGuard, with_length), 400);
  auto both = with_length;
  both.has_transfer_encoding = true;
  EXPECT_EQ(status(kGuard, both), 400);
  auto garbage = get();
  garbage.has_content_length = true;
  garbage.content_length = "0x10";
  EXPECT_EQ(status(kGuard, garbage), 400);
}

TEST(HttpRequestGuard, SizesAtTheCutAre414And431) {
  auto long_target = get();
  long_target.target_bytes = HttpRequestGuard::kMaxTargetBytes;
  EXPECT_EQ(status(kGuard, long_target), 414);
  long_target.target_bytes = HttpRequestGuard::kMaxTargetBytes - 1;
  EXPECT_EQ(status(kGuard, long_target), 0);
  auto long_field = get();
  long_field.field_at_limit = true;
  EXPECT_EQ(status(kGuard, long_field), 431);
}

TEST(HttpRequestGuard, UnknownOrMissingHostIsRefused) {
  EXPECT_EQ(status(kGuard, get("rebind.example:8080")), 421);
  auto websocket = get("rebind.example:8080");
  websocket.upgrade = "websocket";
  EXPECT_EQ(status(kGuard, websocket), 421);
  auto no_host = get();
  no_host.has_host = false;
  no_host.host.clear();
  EXPECT_EQ(status(kGuard, no_host), 400);
}

TEST(HttpRequestGuard, TheH2cUpgradeIs400) {
  auto h2c = get();
  h2c.upgrade = "h2c";
  EXPECT_EQ(status(kGuard, h2c), 400);
}

}  // namespace
}  // namespace chat
