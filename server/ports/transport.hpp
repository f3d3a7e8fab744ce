// The port through which the chat core sends to connections. The core never knows how bytes
// travel; the libwebsockets edge implements this, tests use a fake.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace chat {

// Assigned by the edge, unique for the life of the process, never reused.
using SessionId = std::uint64_t;

// One encoded frame (JSON text), immutable and shared: a broadcast is encoded once and the same
// bytes are queued to every member.
using SharedText = std::shared_ptr<const std::string>;

inline SharedText share(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

class Transport {
 public:
  virtual ~Transport() = default;
  // Queues one text frame to a connection. Never blocks; the edge decides what to do with a
  // connection whose queue is full (it closes it).
  virtual void send(SessionId session, const SharedText& text) = 0;
  // Stops (true) or resumes (false) reading a connection: the core's back-pressure on a client
  // that sends faster than its requests can take effect. TCP then slows the client down.
  virtual void pause_reading(SessionId session, bool paused) = 0;
  // Closes a connection (what is still queued to it is dropped); the core then gets a disconnect.
  virtual void close(SessionId session, int close_code, const std::string& reason) = 0;
};

}  // namespace chat
