// Two maps kept in step: name -> holder answers "is it taken" in O(1), session -> name answers
// "who is this" and lets a disconnect release the name without a search.
#include "server/core/name_registry.hpp"

#include "server/core/name_key.hpp"

namespace chat {

bool NameRegistry::claim(SessionId session, const std::string& name) {
  std::string key = name_key(name);
  const auto holder = holders_.find(key);
  if (holder != holders_.end() && holder->second != session) return false;
  release(session);  // also when re-claiming under another spelling of the same key
  holders_.emplace(key, session);
  names_.emplace(session, Held{name, std::move(key)});
  return true;
}

void NameRegistry::release(SessionId session) {
  const auto it = names_.find(session);
  if (it == names_.end()) return;
  holders_.erase(it->second.key);
  names_.erase(it);
}

const std::string* NameRegistry::name_of(SessionId session) const {
  const auto it = names_.find(session);
  return it == names_.end() ? nullptr : &it->second.name;
}

}  // namespace chat
