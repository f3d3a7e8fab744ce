// Two maps kept in step: name -> holder answers "is it taken" in O(1), session -> name answers
// "who is this" and lets a disconnect release the name without a search.
#include "server/core/name_registry.hpp"

namespace chat {

bool NameRegistry::claim(SessionId session, const std::string& name) {
  NameKeys keys = name_keys(name);
  if (holders_.holder_other_than(keys, session)) return false;
  release(session);  // also when re-claiming under another spelling of the same keys
  holders_.add(keys, session);
  names_.emplace(session, Held{name, std::move(keys)});
  return true;
}

void NameRegistry::release(SessionId session) {
  const auto it = names_.find(session);
  if (it == names_.end()) return;
  holders_.remove(it->second.keys, session);
  names_.erase(it);
}

const std::string* NameRegistry::name_of(SessionId session) const {
  const auto it = names_.find(session);
  return it == names_.end() ? nullptr : &it->second.name;
}

}  // namespace chat
