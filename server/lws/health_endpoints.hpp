// What /healthz and /readyz answer, for load balancers, orchestrators and systemd's neighbours.
// Pure: the edge says where the server is in its life and what ails the store; no socket here.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chat {

enum class ServingPhase { starting, serving, shutting_down };

struct HttpAnswer {
  int status = 200;
  std::string reason;  // the status line's phrase
  std::string body;    // text/plain
};

// /healthz: 200 whenever the loop answers at all (a liveness probe: restart only when it fails).
// /readyz: 200 only while serving with a healthy store; 503 while starting, shutting down, or
// while `store_problem` (empty when none) says why new work would be refused. Any other path:
// nullopt, for the rest of the HTTP edge.
std::optional<HttpAnswer> health_answer(std::string_view path, ServingPhase phase, const std::string& store_problem);

}  // namespace chat
