// Part of the log selected with the mouse, pure: from where the button went down (the anchor) to
// where it is now (the focus), in lines and bytes of each line's copy text ("user: text" for a
// chat line), whichever comes first. What is copied is exactly the selected bytes.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace chat::client {

struct TextPoint {
  int line = 0;            // index in the room's log
  std::size_t offset = 0;  // bytes into that line's copy text
};

class TextSelection {
 public:
  void start(TextPoint at);   // anchor and focus at `at`: nothing selected yet
  void extend(TextPoint to);  // the focus moves; ignored when not started
  void clear() { started_ = false; }
  // Older lines were put above: every index moves down by `lines`.
  void shift_lines(int lines);

  bool started() const { return started_; }
  bool empty() const;  // nothing between anchor and focus
  // The selected bytes [first, second) of line `line`, whose copy text is `size` bytes long;
  // {0, 0} when none of it is selected.
  std::pair<std::size_t, std::size_t> range_in(int line, std::size_t size) const;
  // The selected text: each selected line's part, joined by line breaks. copy_texts: every line's
  // copy text, by index. Never cuts a UTF-8 sequence in two.
  std::string text(const std::vector<std::string>& copy_texts) const;

 private:
  std::pair<TextPoint, TextPoint> ordered() const;

  bool started_ = false;
  TextPoint anchor_;
  TextPoint focus_;
};

}  // namespace chat::client
