// A Transport that records what the core sends, decoded, per session; for core tests.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "server/ports/transport.hpp"
#include "shared/codec.hpp"

namespace chat {

class FakeTransport final : public Transport {
 public:
  void send(SessionId session, const SharedText& text) override {
    raw_[session].push_back(text);
  }

  // Every frame sent to the session since the last take, decoded; a frame that does not decode
  // fails the calling test through the empty variant check below.
  std::vector<ServerFrame> take(SessionId session) {
    std::vector<ServerFrame> frames;
    for (const auto& text : raw_[session]) {
      auto decoded = decode_server_frame(*text, Limits{});
      if (decoded) {
        frames.push_back(std::move(decoded).value());
        continue;
      }
      MessageFrame undecodable;
      undecodable.message = "<undecodable: " + *text + ">";
      undecodable.error = ErrorCode::other;
      frames.push_back(std::move(undecodable));
    }
    raw_[session].clear();
    return frames;
  }

  void pause_reading(SessionId session, bool paused) override { reading_paused[session] = paused; }

  void close(SessionId session, int close_code, const std::string&) override {
    closed[session] = close_code;
  }

  const std::vector<SharedText>& raw(SessionId session) { return raw_[session]; }
  std::map<SessionId, int> closed;  // session -> close code asked for
  std::map<SessionId, bool> reading_paused;
  void clear() { raw_.clear(); }

 private:
  std::map<SessionId, std::vector<SharedText>> raw_;
};

}  // namespace chat
