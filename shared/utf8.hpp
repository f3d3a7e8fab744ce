// Strict UTF-8 reading (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), and
// writing one code point. No normalisation or case folding lives here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace chat::utf8 {

// Decodes the code point that starts at text[pos] and advances pos past it.
// Returns nullopt (pos unchanged) if the bytes there are not a valid UTF-8 sequence.
std::optional<char32_t> decode_next(std::string_view text, std::size_t& pos);

bool is_valid(std::string_view text);

// The longest prefix of at most max_bytes that does not cut a multi-byte sequence in two.
std::string_view truncate(std::string_view text, std::size_t max_bytes);

// Number of code points, or nullopt if the text is not valid UTF-8.
std::optional<std::size_t> count_code_points(std::string_view text);

// Appends the UTF-8 form of `c` (a Unicode scalar value: not a surrogate, at most U+10FFFF).
void append(std::string& out, char32_t c);

}  // namespace chat::utf8
