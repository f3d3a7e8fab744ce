// /healthz and /readyz on the main port, alive and ready while serving. Readiness while the store
// fails: store_failure_test.cpp. While shutting down (503): tests/server/health_endpoints_test.cpp
// only, since the server closes its clients at once and a test cannot hold it in that phase.
#include "chat_fixture.hpp"
#include "http_client.hpp"

namespace chat_it {
namespace {

using HealthTest = ChatServerTest;

TEST_F(HealthTest, AliveAndReadyWhileServing) {
  const HttpResponse health = http_get(port(), "/healthz");
  EXPECT_EQ(health.head.status, 200) << health.head.status_line;
  EXPECT_EQ(health.body, "ok\n");
  const HttpResponse ready = http_get(port(), "/readyz");
  EXPECT_EQ(ready.head.status, 200) << ready.head.status_line;
  EXPECT_EQ(ready.body, "ready\n");
  EXPECT_EQ(ready.head.header("cache-control"), "no-store");
  auto alice = connect_as("alice");  // the chat is served beside them
  expect_served("general", {alice.get()});
}

}  // namespace
}  // namespace chat_it
