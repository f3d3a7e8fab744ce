// CoreTest with the steps account tests share: register, sign in with a password, read answers.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "fakes/core_test.hpp"
#include "server/names/name_keys.hpp"

namespace chat {

class AccountTest : public CoreTest {
 protected:
  static constexpr const char* kPassword = "correct horse battery";

  // Sends and lets the store and hasher finish; every frame the session got.
  std::vector<ServerFrame> register_as(SessionId id, const std::string& name, const std::string& password) {
    send(id, Register{name, password});
    return transport_.take(id);
  }
  std::vector<ServerFrame> password_login(SessionId id, const std::string& name, const std::string& password) {
    send(id, PasswordLogin{name, password});
    return transport_.take(id);
  }
  // The first message frame among `frames` (the answer: members and history follow it).
  static MessageFrame first_message(const std::vector<ServerFrame>& frames) {
    const auto messages = frames_of<MessageFrame>(frames);
    EXPECT_FALSE(messages.empty());
    return messages.empty() ? MessageFrame{} : messages[0];
  }
  static std::string token_id(const std::string& token) { return token.substr(0, token.find('.')); }
  // A password login whose try may be held by the limiter: time moves on until it is answered.
  MessageFrame answer_when_due(SessionId id, const std::string& name, const std::string& password) {
    send(id, PasswordLogin{name, password});
    for (int step = 0; step < 1000; ++step) {
      const auto messages = frames_of<MessageFrame>(transport_.take(id));
      if (!messages.empty()) return messages[0];
      clock_.now += 250;
      service_->on_tick();
      settle();
    }
    ADD_FAILURE() << "never answered";
    return {};
  }
  // A session signed in to `name`'s account (registering it first if need be); its token.
  std::pair<SessionId, std::string> device(const std::string& name, const std::string& address = "192.0.2.1") {
    const SessionId id = connect(address);
    const bool known = std::any_of(store_.accounts().begin(), store_.accounts().end(),
                                   [&](const auto& entry) { return entry.second.name == name; });
    const MessageFrame ack = first_message(known ? password_login(id, name, kPassword) : register_as(id, name, kPassword));
    EXPECT_TRUE(ack.account) << name;
    return {id, ack.token};
  }
};

}  // namespace chat
