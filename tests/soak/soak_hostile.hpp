// The soak's hostile clients: one short connection each, doing one documented kind of harm, and
// checking that the server answers as docs/PROTOCOL.md says (a refusal per bad frame, a close code,
// a hang-up within its timeouts). An answer of another kind is a "surprise": reported by the soak,
// not a failure of it (the integration tests own those rules; the soak is about surviving them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "tests/soak/soak_client.hpp"

namespace soak {

enum class HostileKind : std::uint8_t {
  garbage,        // malformed JSON, wrong types, unknown actions, too deep: one refusal each
  bad_utf8,       // invalid UTF-8 as a frame and as a chat text, a binary frame: refused
  long_line,      // a 64 KiB chat line: message_too_long
  oversized,      // a 300 KiB frame: closed with 1009
  bad_opcode,     // a reserved opcode: closed with 1002
  line_flood,     // 400 lines at once: the burst goes through, the rest is rate_limited
  request_flood,  // joins until 500 rate_limited refusals in a row: closed with 1008
  silent,         // upgrades, then neither reads nor writes: dropped by the liveness check
  tcp_only,       // connects and sends nothing: dropped by the handshake timeout
  half_request,   // half an HTTP request: dropped by the handshake timeout
};
constexpr int kHostileKindCount = 10;
const char* hostile_kind_name(HostileKind kind);

class Hostile : public SoakClient {
 public:
  Hostile(SoakWorld& world, std::uint32_t id, HostileKind kind);
  void start(std::int64_t now) override;
  void on_timer(std::int64_t now) override;
  void traffic_stopped(std::int64_t now) override;

 private:
  bool begin_connection(std::string& error) override;
  void opened(WsConnection& connection, std::int64_t now) override;
  void on_text(WsConnection& connection, std::string_view payload, std::int64_t now) override;
  void on_failed(WsConnection& connection, const std::string& why) override;
  void on_logged_in(std::int64_t now);
  void expect_answers(int count, std::int64_t now, double within_s);
  void expect_close(std::uint16_t code, std::int64_t now, double within_s);
  void answered(std::int64_t now);
  void as_expected(std::int64_t now);
  void surprise(const std::string& what);
  HostileCounts& counts();

  HostileKind kind_;
  std::int64_t started_ns_ = 0;
  int answers_wanted_ = 0, answers_ = 0, rate_limited_ = 0;
  std::uint16_t close_wanted_ = 0;  // 0: no close expected
  bool hang_up_wanted_ = false;     // silent, tcp_only, half_request
  bool resumed_ = false;            // silent: reading again, to see whether the server hung up
};

}  // namespace soak
