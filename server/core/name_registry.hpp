// Who holds which nickname: at most one session per name, at most one name per session. Names are
// unique by name_key(), so "Alice" and "alice" (or a Cyrillic look-alike) cannot both be held.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/ports/transport.hpp"

namespace chat {

class NameRegistry {
 public:
  // Gives `name` to `session`, releasing the session's previous name. Returns false, changing
  // nothing, if another session holds the name.
  bool claim(SessionId session, const std::string& name);
  void release(SessionId session);
  // The session's name, or nullptr if it has none (not logged in).
  const std::string* name_of(SessionId session) const;

 private:
  struct Held {
    std::string name;  // as the session wrote it, for display
    std::string key;
  };
  std::unordered_map<std::string, SessionId> holders_;  // by key
  std::unordered_map<SessionId, Held> names_;
};

}  // namespace chat
