// Names (nicknames and rooms) must be short, visible single-line labels; chat text may be long and
// multi-line but not blank. Lengths of names count code points, because a person counts characters;
// text is capped in bytes, because bytes are what the server stores and sends.
#include "validate.hpp"

#include <cstdio>
#include <string>

#include "ignorable.hpp"
#include "utf8.hpp"

namespace chat {
namespace {

bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// White space per Unicode's White_Space property, the characters that look like nothing at the
// edge of a label.
bool is_space(char32_t c) {
  switch (c) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0x85: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

// Code points that draw nothing: allowed inside text (ZWJ emoji need U+200D). Names refuse every
// default-ignorable character anywhere (refuse_hidden); this set only decides when text is blank.
bool is_invisible(char32_t c) {
  return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0xAD;
}

// U+2800 BRAILLE PATTERN BLANK is a symbol, not white space or default-ignorable, yet draws an empty
// cell: a name made of it looks like no name at all.
bool is_blank_symbol(char32_t c) { return c == 0x2800; }

std::string code_point_text(char32_t c) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(c));
  return text;
}

// Characters that reorder the display (so "\u202Eecila" shows as "alice") or draw nothing.
std::optional<Error> refuse_hidden(char32_t c, ErrorCode code) {
  if (is_bidi_control(c)) return Error{code, "contains a bidirectional control character (" + code_point_text(c) + ")"};
  if (is_default_ignorable(c) || is_blank_symbol(c)) {
    return Error{code, "contains an invisible character (" + code_point_text(c) + ")"};
  }
  return std::nullopt;
}

std::optional<Error> validate_label(std::string_view label, std::size_t max_code_points,
                                    ErrorCode code) {
  if (label.empty()) return Error{code, "empty"};
  std::size_t count = 0;
  std::size_t pos = 0;
  char32_t first = 0;
  char32_t last = 0;
  while (pos < label.size()) {
    const auto c = utf8::decode_next(label, pos);
    if (!c) return Error{code, "not valid UTF-8"};
    if (is_control(*c)) return Error{code, "contains a control character"};
    if (auto hidden = refuse_hidden(*c, code)) return hidden;
    if (count == 0) first = *c;
    last = *c;
    ++count;
  }
  if (count > max_code_points) {
    return Error{code, "longer than " + std::to_string(max_code_points) + " characters"};
  }
  for (const char32_t edge : {first, last}) {
    if (is_space(edge)) {
      return Error{code, "starts or ends with white space"};
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> validate_name(std::string_view name, const Limits& limits) {
  return validate_label(name, limits.max_name_code_points, ErrorCode::invalid_name);
}

std::optional<Error> validate_room(std::string_view room, const Limits& limits) {
  return validate_label(room, limits.max_room_code_points, ErrorCode::invalid_room);
}

std::optional<Error> validate_text(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_text_bytes) {
    return Error{ErrorCode::message_too_long,
                 std::to_string(text.size()) + " bytes, the limit is " +
                     std::to_string(limits.max_text_bytes)};
  }
  bool visible = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto c = utf8::decode_next(text, pos);
    if (!c) return Error{ErrorCode::invalid_message, "not valid UTF-8"};
    // Tab and line breaks are how pasted text looks; other controls only corrupt displays.
    if (is_control(*c) && *c != '\t' && *c != '\n' && *c != '\r') {
      return Error{ErrorCode::invalid_message, "contains a control character"};
    }
    visible = visible || !(is_space(*c) || is_invisible(*c));
  }
  if (!visible) return Error{ErrorCode::empty_message, ""};
  return std::nullopt;
}

}  // namespace chat
