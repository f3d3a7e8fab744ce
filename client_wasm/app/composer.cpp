// Drafts keyed by room name, bounded like the room list; completion works on bytes, so a name in
// any script completes from its first bytes typed.
#include "app/composer.hpp"

#include <algorithm>

namespace chat::client {
namespace {

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_folded(std::string_view name, std::string_view prefix) {
  if (name.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (fold(name[i]) != fold(prefix[i])) return false;
  }
  return true;
}

bool is_word_break(char c) { return c == ' ' || c == '\n' || c == '\t'; }

}  // namespace

void Drafts::switch_room(const std::string& from, const std::string& to, std::string& field) {
  edited(from, field);
  const auto found = drafts_.find(to);
  field = found == drafts_.end() ? std::string() : found->second.text;
}

void Drafts::edited(const std::string& room, const std::string& field) {
  auto found = drafts_.find(room);
  if (found == drafts_.end()) {
    if (field.empty() || drafts_.size() >= kMaxRooms) return;
    found = drafts_.emplace(room, Draft{}).first;
  }
  found->second.text = field;
  if (!field.empty()) found->second.unsent = field;
}

void Drafts::sent(const std::string& room) { drafts_.erase(room); }

std::optional<std::string> Drafts::recall(const std::string& room) const {
  const auto found = drafts_.find(room);
  if (found == drafts_.end() || found->second.unsent.empty()) return std::nullopt;
  return found->second.unsent;
}

std::optional<Completion> complete_name(std::string_view text, std::size_t cursor,
                                        const std::vector<std::string>& names,
                                        const std::string& my_name) {
  cursor = std::min(cursor, text.size());
  std::size_t start = cursor;
  while (start > 0 && !is_word_break(text[start - 1])) --start;
  const std::string_view word = text.substr(start, cursor - start);
  if (word.empty()) return std::nullopt;
  const auto match = std::find_if(names.begin(), names.end(), [&](const std::string& name) {
    return name != my_name && starts_with_folded(name, word);
  });
  if (match == names.end()) return std::nullopt;
  const std::string inserted = *match + (start == 0 ? ": " : " ");
  Completion out;
  out.text = std::string(text.substr(0, start)) + inserted + std::string(text.substr(cursor));
  out.cursor = start + inserted.size();
  return out;
}

}  // namespace chat::client
