// The key under which nicknames are unique: two names with the same key cannot both be in use.
// It folds what makes names look alike to a person, so nobody can pass for someone else:
// letter case, accents and other combining marks, invisible characters, runs of spaces, and the
// Greek and Cyrillic letters that look like Latin ones. A documented subset of Unicode's
// confusables (docs/PROTOCOL.md, "Names"), not full NFKC + case folding: no ICU in the core.
#pragma once

#include <string>
#include <string_view>

namespace chat {

// `name` must be valid UTF-8 (validated names are).
std::string name_key(std::string_view name);

}  // namespace chat
