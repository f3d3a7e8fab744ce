// The words of a chat line that may mention an account (docs/ACCOUNTS.md, step 4, Mentions): "@"
// followed by the longest run of characters a name may hold, with trailing ".,:;!?" dropped, and
// that run's part before a ',' or '@' in it ("@alice,@bob" mentions both).
// Which account a word means (by identity key), and whether it may see the room, is the core's.
// Pure: no ICU here, only the shared rules (shared/validate.hpp), which the browser runs too.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "shared/limits.hpp"

namespace chat {

// At most this many words are read from one line: each costs the core an ICU pass, and a line
// mentions at most kMaxMentionedAccounts accounts (repeats and strangers use up words too).
constexpr std::size_t kMaxMentionWords = 40;
constexpr std::size_t kMaxMentionedAccounts = 20;

// In the order they appear, each once; words longer than a name may be are left out.
std::vector<std::string> mention_words(std::string_view text, const Limits& limits);

}  // namespace chat
