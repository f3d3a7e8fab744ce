// /readyz says why it is not ready in its body, so that an operator's curl shows the cause.
#include "server/lws/health_endpoints.hpp"

namespace chat {
namespace {

HttpAnswer unavailable(const std::string& why) { return HttpAnswer{503, "Service Unavailable", why + "\n"}; }

}  // namespace

std::optional<HttpAnswer> health_answer(std::string_view path, ServingPhase phase, const std::string& store_problem) {
  if (path == "/healthz") return HttpAnswer{200, "OK", "ok\n"};
  if (path != "/readyz") return std::nullopt;
  if (phase == ServingPhase::starting) return unavailable("starting");
  if (phase == ServingPhase::shutting_down) return unavailable("shutting down");
  if (!store_problem.empty()) return unavailable(store_problem);
  return HttpAnswer{200, "OK", "ready\n"};
}

}  // namespace chat
