// Who holds which nickname: at most one session per name, at most one name per session. Names are
// unique by both keys of name_keys(), so "Alice" and "alice" (or "ɑlice", "aIice") cannot both be
// held.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/names/name_index.hpp"
#include "server/names/name_keys.hpp"
#include "server/ports/transport.hpp"

namespace chat {

class NameRegistry {
 public:
  // Gives `name` to `session`, releasing the session's previous name. Returns false, changing
  // nothing, if another session holds the name.
  bool claim(SessionId session, const std::string& name);
  void release(SessionId session);
  // True if a session other than `session` holds `name` (by either key).
  bool held_by_other(SessionId session, const std::string& name) const {
    return holders_.holder_other_than(name_keys(name), session).has_value();
  }
  // The session's name, or nullptr if it has none (not logged in).
  const std::string* name_of(SessionId session) const;

 private:
  struct Held {
    std::string name;  // as the session wrote it, for display
    NameKeys keys;
  };
  NameIndex<SessionId> holders_;
  std::unordered_map<SessionId, Held> names_;
};

}  // namespace chat
