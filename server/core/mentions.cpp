#include "server/core/mentions.hpp"

#include <algorithm>

#include "shared/utf8.hpp"
#include "shared/validate.hpp"

namespace chat {
namespace {

// A character a name may hold: one that would pass the shared rules as a name of its own (no
// white space, control, bidirectional control or invisible character).
bool name_character(std::string_view character, const Limits& limits) {
  return !validate_name(character, limits).has_value();
}

bool trailing_punctuation(char c) { return std::string_view(".,:;!?").find(c) != std::string_view::npos; }

// The run of name characters from `pos`; pos ends after it.
std::string_view run_at(std::string_view text, std::size_t& pos, const Limits& limits) {
  const std::size_t start = pos;
  while (pos < text.size()) {
    std::size_t next = pos;
    if (!utf8::decode_next(text, next) || !name_character(text.substr(pos, next - pos), limits)) break;
    pos = next;
  }
  return text.substr(start, pos - start);
}

std::string_view without_trailing_punctuation(std::string_view word) {
  while (!word.empty() && trailing_punctuation(word.back())) word.remove_suffix(1);
  return word;
}

}  // namespace

// A run may hold more than one mention ("@alice,@bob"), since ',' and '@' are characters a name
// may hold: the whole run is a word, and so is its part before the first ',' or '@'; and every '@'
// starts a word, inside a run too. An '@' inside a run ends where that run ends: the run is not read
// again, so a line of '@'s costs one pass, not one per '@'.
std::vector<std::string> mention_words(std::string_view text, const Limits& limits) {
  std::vector<std::string> words;
  std::size_t read = 0;
  const auto add = [&](std::string_view word) {
    if (word.empty() || read == kMaxMentionWords) return;
    ++read;
    const auto length = utf8::count_code_points(word);
    if (!length || *length > limits.max_name_code_points) return;
    if (std::find(words.begin(), words.end(), word) == words.end()) words.emplace_back(word);
  };
  std::size_t run_end = 0;  // where the last run read ended
  for (std::size_t at = text.find('@'); at != std::string_view::npos && read < kMaxMentionWords;
       at = text.find('@', at + 1)) {
    if (at >= run_end) {
      run_end = at + 1;
      run_at(text, run_end, limits);
    }
    const std::string_view run = text.substr(at + 1, run_end - at - 1);
    add(without_trailing_punctuation(run));
    const std::size_t inner = run.find_first_of(",@");
    if (inner != std::string_view::npos) add(without_trailing_punctuation(run.substr(0, inner)));
  }
  return words;
}

}  // namespace chat
