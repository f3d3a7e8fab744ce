// The port through which the edge reports connection events to the core (the core's inbox).
#pragma once

#include <string_view>

#include "server/ports/transport.hpp"

namespace chat {

class SessionHandler {
 public:
  virtual ~SessionHandler() = default;
  virtual void connect(SessionId session, std::string_view address) = 0;
  // One complete (reassembled) text message.
  virtual void receive_text(SessionId session, std::string_view text) = 0;
  virtual void receive_binary(SessionId session) = 0;
  // After this, the session id is never used again.
  virtual void disconnect(SessionId session) = 0;
};

}  // namespace chat
