// Hostile clients' scripts and what each expects back; see soak_hostile.hpp.
#include "tests/soak/soak_hostile.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "shared/codec.hpp"
#include "tests/soak/kit_names.hpp"

namespace soak {
namespace {

constexpr double kAnswerWithinS = 5;
// The server drops a silent connection after 10 s and an unfinished handshake after 10 s, checked
// every 100 ms: give it a margin for a loaded machine.
constexpr double kHangUpWithinS = 15;
constexpr int kFloodLines = 400;       // the line burst is 300
constexpr int kFloodRequests = 600;    // 30 pass, then 500 refusals in a row close the connection
constexpr std::size_t kLongLineBytes = 64 * 1024;
constexpr std::size_t kOversizedBytes = 300 * 1024;  // the frame limit is 256 KiB

// Every one of these is refused, each with its own code (docs/PROTOCOL.md, "Refusals").
const std::vector<std::string>& garbage_frames() {
  static const std::vector<std::string> frames = {
      "hello",                                          // bad_json
      R"({"action":"login")",                           // bad_json: cut short
      R"({"action":"login","user":1e999})",             // bad_json: out of a double's range
      "[1,2,3]",                                        // not_object
      R"("just a string")",                             // not_object
      R"({"action":42})",                               // wrong_type
      R"({"action":"fly_away"})",                       // unknown_action
      R"({"user":"nobody"})",                           // missing_field
      R"({"action":"login"})",                          // missing_field
      R"({"action":"login","user":""})",                // invalid_name
      R"({"action":"send_message","message":"hi"})",    // not_logged_in
      R"({"action":"join_room","room":"general"})",     // not_logged_in
      R"({"a":[[[[[[[[[[1]]]]]]]]]]})",                 // too_deep
  };
  return frames;
}

// The raw bytes of each raw kind: none at all, or a request that never ends.
std::string raw_bytes(HostileKind kind) {
  return kind == HostileKind::half_request ? "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" : "";
}

bool is_raw(HostileKind kind) { return kind == HostileKind::tcp_only || kind == HostileKind::half_request; }

}  // namespace

const char* hostile_kind_name(HostileKind kind) {
  switch (kind) {
    case HostileKind::garbage: return "garbage";
    case HostileKind::bad_utf8: return "bad_utf8";
    case HostileKind::long_line: return "long_line";
    case HostileKind::oversized: return "oversized";
    case HostileKind::bad_opcode: return "bad_opcode";
    case HostileKind::line_flood: return "line_flood";
    case HostileKind::request_flood: return "request_flood";
    case HostileKind::silent: return "silent";
    case HostileKind::tcp_only: return "tcp_only";
    case HostileKind::half_request: return "half_request";
  }
  return "?";
}

Hostile::Hostile(SoakWorld& world, std::uint32_t id, HostileKind kind) : SoakClient(world, Role::hostile, id), kind_(kind) {}

HostileCounts& Hostile::counts() { return world_.tally.hostile[hostile_kind_name(kind_)]; }

void Hostile::start(std::int64_t now) {
  started_ns_ = now;
  ++counts().runs;
  SoakClient::start(now);
  if (!is_raw(kind_) || done()) return;
  ++world_.tally.of(role()).opened;  // as open as it will ever be: an unfinished request
  hang_up_wanted_ = true;
  wake_in(now, kHangUpWithinS);
}

bool Hostile::begin_connection(std::string& error) {
  if (!is_raw(kind_)) return SoakClient::begin_connection(error);
  return connection_.start_raw(world_.target, raw_bytes(kind_), world_.epoll_fd, error);
}

void Hostile::opened(WsConnection& connection, std::int64_t now) {
  switch (kind_) {
    case HostileKind::garbage:
      for (const std::string& frame : garbage_frames()) connection.send_text(frame);
      return expect_answers(static_cast<int>(garbage_frames().size()), now, kAnswerWithinS);
    case HostileKind::bad_utf8:
      connection.send_text("{\"action\":\"login\",\"user\":\"caf\xC3\x28\"}");  // invalid_utf8
      connection.send_frame(Opcode::binary, "\x01\x02\x03");                      // binary_frame
      connection.send_text(chat::encode(chat::Login{name()}));
      return expect_answers(3, now, kAnswerWithinS);  // the third: a chat text, once logged in
    case HostileKind::oversized:
      connection.send_text(std::string(kOversizedBytes, 'x'));
      return expect_close(1009, now, kAnswerWithinS);
    case HostileKind::bad_opcode:
      connection.send_frame(static_cast<Opcode>(0x3), "x");
      return expect_close(1002, now, kAnswerWithinS);
    case HostileKind::silent:
      connection.set_reading(false);  // pings go unanswered
      hang_up_wanted_ = true;
      return wake_in(now, kHangUpWithinS);
    default:
      connection.send_text(chat::encode(chat::Login{name()}));  // the floods and the long line speak once logged in
      return wake_in(now, kAnswerWithinS);
  }
}

void Hostile::on_logged_in(std::int64_t now) {
  switch (kind_) {
    case HostileKind::bad_utf8:
      return connection_.send_text("{\"action\":\"send_message\",\"message\":\"caf\xE9\"}");
    case HostileKind::long_line:
      connection_.send_text(chat::encode(chat::SendMessage{std::string(kLongLineBytes, 'y')}));
      return expect_answers(1, now, kAnswerWithinS);
    case HostileKind::line_flood:
      for (int i = 0; i < kFloodLines; ++i) connection_.send_text(chat::encode(chat::SendMessage{"flood " + std::to_string(i)}));
      return expect_answers(kFloodLines, now, 2 * kAnswerWithinS);  // each one back, or refused
    case HostileKind::request_flood:
      for (int i = 0; i < kFloodRequests; ++i) connection_.send_text(chat::encode(chat::JoinRoom{"general"}));
      return expect_close(1008, now, 2 * kAnswerWithinS);
    default:
      return;
  }
}

void Hostile::on_text(WsConnection&, std::string_view payload, std::int64_t now) {
  switch (classify_frame(payload)) {
    case FrameKind::refusal: {
      const std::string code(error_code(payload));
      ++world_.tally.hostile_refusals[code];
      if (code == "rate_limited") ++rate_limited_;
      return answered(now);
    }
    case FrameKind::logged_in: return on_logged_in(now);
    case FrameKind::chat: {
      const auto line = scan_chat_line(payload);  // our own flood line back; others' do not count
      if (kind_ == HostileKind::line_flood && line && line->user == name()) answered(now);
      return;
    }
    default:
      return;
  }
}

void Hostile::expect_answers(int count, std::int64_t now, double within_s) {
  answers_wanted_ = count;
  wake_in(now, within_s);
}

void Hostile::expect_close(std::uint16_t code, std::int64_t now, double within_s) {
  close_wanted_ = code;
  wake_in(now, within_s);
}

void Hostile::answered(std::int64_t now) {
  if (++answers_ < answers_wanted_ || answers_wanted_ == 0) return;
  if (kind_ == HostileKind::line_flood && rate_limited_ == 0) {
    surprise(std::to_string(kFloodLines) + " lines at once and no rate_limited refusal");
    return end();
  }
  as_expected(now);
  connection_.close_now();
  end();
}

void Hostile::as_expected(std::int64_t now) {
  HostileCounts& c = counts();
  ++c.as_expected;
  c.slowest_answer_ms = std::max<std::int64_t>(c.slowest_answer_ms, (now - started_ns_) / 1'000'000);
}

void Hostile::surprise(const std::string& what) {
  ++counts().surprises;
  world_.tally.problem(std::string("hostile ") + hostile_kind_name(kind_) + " " + name() + ": " + what);
}

void Hostile::on_failed(WsConnection& connection, const std::string& why) {
  const std::int64_t now = monotonic_ns();
  if (hang_up_wanted_ || (close_wanted_ != 0 && connection.close_code() == close_wanted_)) {
    as_expected(now);
  } else {
    surprise("connection ended (" + why + ") after " + std::to_string(answers_) + " answers");
  }
  end();
}

// The deadline of whatever was expected; for the silent kind, first the moment to look again.
void Hostile::on_timer(std::int64_t now) {
  if (kind_ == HostileKind::silent && !resumed_) {
    resumed_ = true;
    connection_.set_reading(true);  // whatever the server sent, and its hang-up, are read now
    return wake_in(now, 1);
  }
  surprise(hang_up_wanted_ ? "still connected after " + std::to_string((now - started_ns_) / 1'000'000'000) + " s"
                           : "no expected answer within the time (" + std::to_string(answers_) + " answers)");
  end();
}

void Hostile::traffic_stopped(std::int64_t) {
  ++counts().cut_short;
  end();
}

}  // namespace soak
