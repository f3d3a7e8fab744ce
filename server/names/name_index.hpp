// Which owner holds which name, indexed by both keys of name_keys(): a name is in use when either
// of its keys is held. O(1) per lookup once the keys are computed. Owners are whatever the user
// of the index needs (a session, a room, a resume token); it knows nothing of what they are.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "server/names/name_keys.hpp"

namespace chat {

template <typename Owner>
class NameIndex {
 public:
  // The holder of either key, if any (the identity key's holder first).
  std::optional<Owner> holder(const NameKeys& keys) const {
    if (auto found = find(by_identity_, keys.identity)) return found;
    return find(by_lookalike_, keys.lookalike);
  }

  // The holder of the identity key alone (the same name, however spelled; not a look-alike).
  std::optional<Owner> identity_holder(const std::string& identity_key) const {
    return find(by_identity_, identity_key);
  }

  // A holder of either key other than `self`: what a claim by `self` would collide with.
  std::optional<Owner> holder_other_than(const NameKeys& keys, const Owner& self) const {
    for (const auto* map : {&by_identity_, &by_lookalike_}) {
      const auto found = find(*map, map == &by_identity_ ? keys.identity : keys.lookalike);
      if (found && !(*found == self)) return found;
    }
    return std::nullopt;
  }

  // Both keys now point at `owner` (the caller checked they were free or its own).
  void add(const NameKeys& keys, const Owner& owner) {
    by_identity_[keys.identity] = owner;
    by_lookalike_[keys.lookalike] = owner;
  }

  // Removes the keys only where `owner` holds them, so a stale remove cannot free someone else's.
  void remove(const NameKeys& keys, const Owner& owner) {
    erase_if_held(by_identity_, keys.identity, owner);
    erase_if_held(by_lookalike_, keys.lookalike, owner);
  }

 private:
  using Map = std::unordered_map<std::string, Owner>;

  static std::optional<Owner> find(const Map& map, const std::string& key) {
    const auto it = map.find(key);
    if (it == map.end()) return std::nullopt;
    return it->second;
  }

  static void erase_if_held(Map& map, const std::string& key, const Owner& owner) {
    const auto it = map.find(key);
    if (it != map.end() && it->second == owner) map.erase(it);
  }

  Map by_identity_;
  Map by_lookalike_;
};

}  // namespace chat
