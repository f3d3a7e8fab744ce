// The two keys under which names (nicknames and rooms) are unique, from Unicode's own data via
// ICU: a name is in use when EITHER key equals a key of a name in use. Not the accept/refuse rules
// (name_rules.hpp) nor who holds what (name_index.hpp).
#pragma once

#include <string>
#include <string_view>

namespace chat {

struct NameKeys {
  // Same name written differently: NFKC_Casefold (case, width, compatibility forms such as
  // mathematical bold, default-ignorables removed), then nonspacing and enclosing marks removed
  // (accents: "ạlice", "Zoë" = "zoe"), then runs of white space as one space.
  std::string identity;
  // Different characters that look the same: the UTS #39 skeleton of the NFKC form (confusables:
  // "ɑlice", "օscar", "aIice"), then case-folded, so the table is applied before case is (Greek
  // "νick" is "vick", not "nick").
  std::string lookalike;

  bool operator==(const NameKeys& other) const {
    return identity == other.identity && lookalike == other.lookalike;
  }
};

// `name` should be valid UTF-8 (validated names are); invalid bytes read as U+FFFD.
NameKeys name_keys(std::string_view name);
// The same keys, always through ICU: the reference that name_keys' shortcut for ASCII names
// must agree with (the tests compare them).
NameKeys name_keys_by_icu(std::string_view name);
// Space to '~': the characters of most names, which the shortcuts (here and in name_rules.cpp) take.
bool is_printable_ascii(std::string_view text);

}  // namespace chat
