// Two maps kept in step: name -> holder answers "is it taken" in O(1), session -> name answers
// "who is this" and lets a disconnect release the name without a search.
#include "server/core/name_registry.hpp"

namespace chat {

bool NameRegistry::claim(SessionId session, const std::string& name) {
  const auto holder = holders_.find(name);
  if (holder != holders_.end()) return holder->second == session;
  release(session);
  holders_.emplace(name, session);
  names_.emplace(session, name);
  return true;
}

void NameRegistry::release(SessionId session) {
  const auto it = names_.find(session);
  if (it == names_.end()) return;
  holders_.erase(it->second);
  names_.erase(it);
}

const std::string* NameRegistry::name_of(SessionId session) const {
  const auto it = names_.find(session);
  return it == names_.end() ? nullptr : &it->second;
}

}  // namespace chat
