// The message field's memory, pure: a draft per room that survives a room switch, the last draft
// left unsent (Up in an empty field brings it back), and Tab completion of members' names.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat::client {

class Drafts {
 public:
  static constexpr std::size_t kMaxRooms = 256;  // drafts of more rooms than this are dropped

  // The field shows `to`'s draft after showing `from`'s (field holds what was typed there).
  void switch_room(const std::string& from, const std::string& to, std::string& field);
  // The field's text in `room` as it is now; remembers a non-empty text as the one to recall.
  void edited(const std::string& room, const std::string& field);
  void sent(const std::string& room);  // the field was sent: nothing to recall
  // The last non-empty text of `room` that was emptied without being sent, if any.
  std::optional<std::string> recall(const std::string& room) const;

 private:
  struct Draft {
    std::string text;
    std::string unsent;  // the last non-empty text, until sent
  };
  std::map<std::string, Draft> drafts_;
};

struct Completion {
  std::string text;
  std::size_t cursor = 0;  // byte offset in text
};

// Completes the word before `cursor` (bytes) with the first of `names` (sorted) that starts with
// it, ASCII letters compared without case; at the start of the text ": " follows the name, else
// a space. Nothing when the word is empty or no name matches.
std::optional<Completion> complete_name(std::string_view text, std::size_t cursor,
                                        const std::vector<std::string>& names,
                                        const std::string& my_name);

}  // namespace chat::client
