// Who holds which nickname: at most one session per name, at most one name per session.
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
  std::unordered_map<std::string, SessionId> holders_;
  std::unordered_map<SessionId, std::string> names_;
};

}  // namespace chat
