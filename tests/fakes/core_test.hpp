// The chat core wired to fakes, the base of every core test fixture: a transport that records the
// frames each session is sent, the single-node engine on a store whose completions the test
// releases, a clock it moves.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "fakes/fake_clock.hpp"
#include "fakes/fake_hasher.hpp"
#include "fakes/fake_password_hasher.hpp"
#include "fakes/fake_transport.hpp"
#include "fakes/memory_store.hpp"
#include "server/core/chat_service.hpp"
#include "server/engine/local/local_engine.hpp"
#include "shared/codec.hpp"

namespace chat {

class CoreTest : public testing::Test {
 protected:
  CoreTest() { start(); }

  // A new core on the same store, restored from it as after a server restart.
  void start(const ServiceOptions& options = {}) {
    service_ = std::make_unique<ChatService>(Ports{transport_, engine_, clock_, random_, hasher_, passwords_}, options);
    StoredState state;
    engine_.load(state);
    service_->restore(state);
    transport_.clear();
  }
  // Connects a session and consumes its initial rooms frame.
  SessionId connect(const std::string& address = "192.0.2.1") {
    const SessionId id = next_id_++;
    service_->connect(id, address);
    transport_.take(id);
    return id;
  }
  // A connected session logged in as `name` with that protocol version, past every frame so far.
  SessionId logged_in(const std::string& name, int version = kSeedVersion, const std::string& address = "192.0.2.1") {
    const SessionId id = connect(address);
    send(id, Login{name, version});
    transport_.take(id);
    return id;
  }
  // A version-2 login; returns the session and its resume token.
  std::pair<SessionId, std::string> v2_login(const std::string& name, const std::string& address = "192.0.2.1") {
    const SessionId id = connect(address);
    send(id, Login{name, kCurrentVersion});
    for (const auto& frame : transport_.take(id)) {
      const auto* message = std::get_if<MessageFrame>(&frame);
      if (message && !message->token.empty()) return {id, message->token};
    }
    ADD_FAILURE() << name << ": no token in the login's answer";
    return {id, ""};
  }
  // The single frame the session received since the last take, as a message frame.
  MessageFrame only_message(SessionId id) {
    auto frames = transport_.take(id);
    EXPECT_EQ(frames.size(), 1u);
    if (frames.size() != 1 || !std::holds_alternative<MessageFrame>(frames[0])) return {};
    return std::get<MessageFrame>(frames[0]);
  }
  std::optional<ErrorCode> refusal_of(SessionId id) { return only_message(id).error; }
  // Sends a frame and, unless told not to, lets the store complete everything it was asked.
  void send(SessionId id, const ClientFrame& frame, bool complete = true) {
    service_->receive_text(id, encode(frame));
    if (complete) settle();
  }
  // Lets the store and the password hasher complete everything, including what each asks of the other.
  void settle() {
    do {
      store_.run_completions();
    } while (passwords_.complete() > 0);
  }

  // The frames of one type among those given, in order.
  template <class Frame>
  static std::vector<Frame> frames_of(const std::vector<ServerFrame>& frames) {
    std::vector<Frame> out;
    for (const auto& frame : frames) {
      if (const auto* f = std::get_if<Frame>(&frame)) out.push_back(*f);
    }
    return out;
  }

  FakeTransport transport_;
  MemoryStore store_;
  LocalEngine engine_{store_};  // the single-node engine, on the memory store
  FakeClock clock_;
  CountingRandom random_;
  FakeHasher hasher_;
  FakePasswordHasher passwords_;
  std::unique_ptr<ChatService> service_;
  SessionId next_id_ = 1;
};

}  // namespace chat
