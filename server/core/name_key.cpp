// Each code point is mapped to zero or one code point of the key: dropped (combining marks,
// invisibles), folded to a lowercase Latin base letter (case, precomposed accents, homoglyphs), or
// kept. Spaces of every kind become one ASCII space.
#include "server/core/name_key.hpp"

#include <array>

#include "shared/utf8.hpp"

namespace chat {
namespace {

constexpr char32_t kDrop = 0;

bool is_combining_mark(char32_t c) {
  return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
         (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F);
}

bool is_invisible(char32_t c) {
  return c == 0x00AD || c == 0x034F || c == 0x061C || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF || (c >= 0xFE00 && c <= 0xFE0F);
}

bool is_space(char32_t c) {
  return c == ' ' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// Latin-1 Supplement letters U+00C0..U+00FF to their base letter ('\0': not a letter).
constexpr std::string_view kLatin1Base =
    "aaaaaaaceeeeiiii"   // C0-CF
    "dnooooo\0ouuuuyts"  // D0-DF (D7 multiplication sign, DE thorn, DF sharp s)
    "aaaaaaaceeeeiiii"   // E0-EF
    "dnooooo\0ouuuuyty"; // F0-FF (F7 division sign, FE thorn)

// Latin Extended-A U+0100..U+017F, in pairs (upper, lower) mostly, to their base letter.
constexpr std::string_view kLatinExtABase =
    "aaaaaaccccccccdd"  // 100-10F
    "ddeeeeeeeeeegggg"  // 110-11F
    "gggghhhhiiiiiiii"  // 120-12F
    "iijjjjkkklllllll"  // 130-13F (132-133 IJ ligature -> j)
    "lllnnnnnnnnnoooo"  // 140-14F
    "oooorrrrrrssssss"  // 150-15F (152-153 OE ligature -> o)
    "ssttttttuuuuuuuu"  // 160-16F
    "uuuuwwyyyzzzzzzs"; // 170-17F (17F long s)

// Greek and Cyrillic letters (after case folding) whose lowercase or capital form looks like a
// Latin letter, to that letter. Folding a little too much is the safe side: it only makes more
// names collide.
struct Homoglyph {
  char32_t from;
  char to;
};
constexpr std::array<Homoglyph, 33> kHomoglyphs{{
    {0x03B1, 'a'}, {0x03B2, 'b'}, {0x03B5, 'e'}, {0x03B6, 'z'}, {0x03B7, 'h'}, {0x03B9, 'i'}, {0x03BA, 'k'},
    {0x03BC, 'm'}, {0x03BD, 'n'}, {0x03BF, 'o'}, {0x03C1, 'p'}, {0x03C4, 't'}, {0x03C5, 'y'}, {0x03C7, 'x'},
    {0x0430, 'a'}, {0x0432, 'b'}, {0x0435, 'e'}, {0x043A, 'k'}, {0x043C, 'm'}, {0x043D, 'h'}, {0x043E, 'o'},
    {0x0440, 'p'}, {0x0441, 'c'}, {0x0442, 't'}, {0x0443, 'y'}, {0x0445, 'x'}, {0x0455, 's'}, {0x0456, 'i'},
    {0x0458, 'j'}, {0x04BB, 'h'}, {0x0501, 'd'}, {0x0457, 'i'}, {0x0491, 'r'},
}};

char32_t fold_case(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0x0391 && c <= 0x03A9 && c != 0x03A2) return c + 32;  // Greek capitals
  if (c >= 0x0410 && c <= 0x042F) return c + 32;                  // Cyrillic capitals
  if (c >= 0x0400 && c <= 0x040F) return c + 80;                  // Cyrillic Ѐ..Џ
  return c;
}

char32_t key_of(char32_t c) {
  if (is_combining_mark(c) || is_invisible(c)) return kDrop;
  if (is_space(c)) return ' ';
  if (c >= 0xC0 && c <= 0xFF && kLatin1Base[c - 0xC0] != '\0') return static_cast<char32_t>(kLatin1Base[c - 0xC0]);
  if (c >= 0x100 && c <= 0x17F) return static_cast<char32_t>(kLatinExtABase[c - 0x100]);
  const char32_t folded = fold_case(c);
  for (const auto& glyph : kHomoglyphs) {
    if (glyph.from == folded) return static_cast<char32_t>(glyph.to);
  }
  return folded;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace

std::string name_key(std::string_view name) {
  std::string key;
  key.reserve(name.size());
  std::size_t pos = 0;
  while (pos < name.size()) {
    const auto c = utf8::decode_next(name, pos);
    if (!c) {  // not valid UTF-8: keep the byte, so distinct invalid names stay distinct
      key += name[pos++];
      continue;
    }
    const char32_t mapped = key_of(*c);
    if (mapped == kDrop || (mapped == ' ' && (key.empty() || key.back() == ' '))) continue;
    append_utf8(key, mapped);
  }
  while (!key.empty() && key.back() == ' ') key.pop_back();
  return key;
}

}  // namespace chat
