// health_answer: what /healthz and /readyz say in each phase of the server's life.
#include "server/lws/health_endpoints.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

int status(std::string_view path, ServingPhase phase, const std::string& problem = "") {
  const auto answer = health_answer(path, phase, problem);
  return answer ? answer->status : 0;
}

TEST(HealthEndpointsTest, HealthzIsOkWhateverThePhaseOrTheStore) {
  for (auto phase : {ServingPhase::starting, ServingPhase::serving, ServingPhase::shutting_down}) {
    EXPECT_EQ(status("/healthz", phase, "store: the last commit failed"), 200);
  }
}

TEST(HealthEndpointsTest, ReadyzIsOkOnlyWhileServingWithAHealthyStore) {
  EXPECT_EQ(status("/readyz", ServingPhase::serving), 200);
  EXPECT_EQ(status("/readyz", ServingPhase::starting), 503);
  EXPECT_EQ(status("/readyz", ServingPhase::shutting_down), 503);
  const auto failing = health_answer("/readyz", ServingPhase::serving, "store: backlog full");
  ASSERT_TRUE(failing);
  EXPECT_EQ(failing->status, 503);
  EXPECT_EQ(failing->reason, "Service Unavailable");
  EXPECT_EQ(failing->body, "store: backlog full\n");
}

TEST(HealthEndpointsTest, OtherPathsAreLeftToTheWebRoot) {
  for (const char* path : {"/", "/index.html", "/healthz/", "/readyz.html", "/metrics"}) {
    EXPECT_FALSE(health_answer(path, ServingPhase::serving, "")) << path;
  }
}

}  // namespace
}  // namespace chat
