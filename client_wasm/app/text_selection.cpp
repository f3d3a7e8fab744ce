#include "app/text_selection.hpp"

#include <algorithm>

namespace chat::client {
namespace {

bool before(const TextPoint& a, const TextPoint& b) {
  return a.line < b.line || (a.line == b.line && a.offset < b.offset);
}

// Moves `offset` back to the start of the UTF-8 sequence it is in (within `size` bytes).
std::size_t to_boundary(const std::string& text, std::size_t offset) {
  offset = std::min(offset, text.size());
  while (offset > 0 && offset < text.size() &&
         (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80) {
    --offset;
  }
  return offset;
}

}  // namespace

void TextSelection::start(TextPoint at) {
  started_ = true;
  anchor_ = at;
  focus_ = at;
}

void TextSelection::extend(TextPoint to) {
  if (started_) focus_ = to;
}

void TextSelection::shift_lines(int lines) {
  anchor_.line += lines;
  focus_.line += lines;
}

bool TextSelection::empty() const {
  return !started_ || (anchor_.line == focus_.line && anchor_.offset == focus_.offset);
}

std::pair<TextPoint, TextPoint> TextSelection::ordered() const {
  return before(focus_, anchor_) ? std::make_pair(focus_, anchor_) : std::make_pair(anchor_, focus_);
}

std::pair<std::size_t, std::size_t> TextSelection::range_in(int line, std::size_t size) const {
  if (empty()) return {0, 0};
  const auto [first, last] = ordered();
  if (line < first.line || line > last.line) return {0, 0};
  const std::size_t begin = line == first.line ? std::min(first.offset, size) : 0;
  const std::size_t end = line == last.line ? std::min(last.offset, size) : size;
  return begin < end ? std::make_pair(begin, end) : std::make_pair(std::size_t{0}, std::size_t{0});
}

std::string TextSelection::text(const std::vector<std::string>& copy_texts) const {
  if (empty()) return {};
  const auto [first, last] = ordered();
  std::string out;
  for (int line = std::max(first.line, 0);
       line <= last.line && line < static_cast<int>(copy_texts.size()); ++line) {
    const std::string& whole = copy_texts[static_cast<std::size_t>(line)];
    const auto [begin, end] = range_in(line, whole.size());
    if (line > first.line) out += '\n';
    const std::size_t from = to_boundary(whole, begin);
    out += whole.substr(from, to_boundary(whole, end) - from);
  }
  return out;
}

}  // namespace chat::client
