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

}  // namespace

std::vector<std::string> mention_words(std::string_view text, const Limits& limits) {
  std::vector<std::string> words;
  std::size_t read = 0;
  for (std::size_t pos = text.find('@'); pos != std::string_view::npos && read < kMaxMentionWords;
       pos = text.find('@', pos)) {
    ++pos;
    std::string_view word = run_at(text, pos, limits);
    while (!word.empty() && trailing_punctuation(word.back())) word.remove_suffix(1);
    if (word.empty()) continue;
    ++read;
    const auto length = utf8::count_code_points(word);
    if (!length || *length > limits.max_name_code_points) continue;
    if (std::find(words.begin(), words.end(), word) == words.end()) words.emplace_back(word);
  }
  return words;
}

}  // namespace chat
