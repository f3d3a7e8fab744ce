// Fuzz target for the protocol codec: any bytes, decoded as a client and as a server frame, must
// neither crash nor throw; whatever decodes must survive encode -> decode -> encode unchanged.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "shared/codec.hpp"
#include "shared/utf8.hpp"
#include "shared/validate.hpp"

namespace chat::fuzz {
namespace {

// Encoding is the server's and client's only way to write a frame, so a decoded frame that encodes
// into text the other side cannot read back identically is a wire bug.
template <class Frame, class Decode>
void require_round_trip(const Frame& frame, Decode decode, std::string_view kind) {
  const std::string once = encode(frame);
  const auto again = decode(once);
  require(again.ok(), kind, "re-encoded frame does not decode: " + once);
  const std::string twice = encode(again.value());
  require(twice == once, kind, "round trip changed the frame:\n  " + once + "\n  " + twice);
}

// Encoding writes defaulted fields out (e.g. "after_id":0), so the text may grow: the size guard
// applies to what a peer sends, not to the round trip.
Limits without_size_limit(Limits limits) {
  limits.max_frame_bytes = std::numeric_limits<std::size_t>::max();
  return limits;
}

void fuzz_client(std::string_view text, const Limits& limits) {
  const ClientRequest request = decode_client_request(text, limits);
  if (!request.frame) return;
  const Limits again = without_size_limit(limits);
  require_round_trip(request.frame.value(), [&](std::string_view t) { return decode_client_frame(t, again); },
                     "client frame");
}

void fuzz_server(std::string_view text, const Limits& limits) {
  const auto frame = decode_server_frame(text, limits);
  if (!frame) return;
  const Limits again = without_size_limit(limits);
  require_round_trip(frame.value(), [&](std::string_view t) { return decode_server_frame(t, again); },
                     "server frame");
}

// The validation rules and UTF-8 helpers see the same hostile text in the server.
void fuzz_rules(std::string_view text, const Limits& limits) {
  validate_name(text, limits);
  validate_room(text, limits);
  validate_text(text, limits);
  const std::string_view cut = utf8::truncate(text, text.size() / 2);
  require(cut.size() <= text.size() / 2, "truncate", "longer than asked");
}

}  // namespace
}  // namespace chat::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // Small limits too, so that the size and depth guards' edges are reached with small inputs.
  static const chat::Limits defaults;
  static const chat::Limits tight{4, 4, 16, 64, 3};
  for (const auto* limits : {&defaults, &tight}) {
    chat::fuzz::fuzz_client(text, *limits);
    chat::fuzz::fuzz_server(text, *limits);
    chat::fuzz::fuzz_rules(text, *limits);
  }
  return 0;
}
