// ICU does the work: Normalizer2 for NFKC / NFKC_Casefold / NFD / NFC and a USpoofChecker for the
// skeleton. Both are built once and only read afterwards (ICU documents them as thread-safe for
// that use). Measured 2.1 µs per name (8 typical names, this machine under a load of 10); a
// login computes them about three times, a room creation twice. Names of printable ASCII, most
// of them, take a shortcut through a table ICU fills once (below): ~50x cheaper.
#include "server/names/name_keys.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace chat {
namespace {

const USpoofChecker* skeleton_checker() {
  static USpoofChecker* const checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* opened = uspoof_open(&status);
    return U_SUCCESS(status) ? opened : nullptr;
  }();
  return checker;
}

bool is_dropped_mark(UChar32 c) {
  const auto type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK;
}

// Decomposes, drops the marks that only decorate a base letter, recomposes; white space runs (no
// break spaces, ideographic space, ...) become one U+0020, and none is kept at either end.
icu::UnicodeString strip_marks_and_spaces(const icu::UnicodeString& text, UErrorCode& status) {
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return text;
  const icu::UnicodeString decomposed = nfd->normalize(text, status);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length(); i = decomposed.moveIndex32(i, 1)) {
    const UChar32 c = decomposed.char32At(i);
    if (is_dropped_mark(c)) continue;
    if (u_isUWhiteSpace(c)) {
      if (kept.length() > 0 && kept.char32At(kept.length() - 1) != u' ') kept.append(u' ');
      continue;
    }
    kept.append(c);
  }
  if (kept.length() > 0 && kept.charAt(kept.length() - 1) == u' ') kept.truncate(kept.length() - 1);
  return nfc->normalize(kept, status);
}

std::string utf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Each printable ASCII character's own look-alike key, from ICU. For a name made only of
// characters whose key is ASCII too, ICU's steps act on each character alone (NFD and NFKC leave
// ASCII as it is, the skeleton maps one code point at a time, case folding of ASCII is per
// character), so the name's key is the keys of its characters end to end; the identity key is the
// name in lower case with runs of spaces as one, none at the ends. A character whose key is not
// ASCII (none with ICU 72's data, but the table checks rather than assumes it) sends its name
// through ICU. Tests compare both ways.
struct AsciiKeyTable {
  std::array<std::string, 0x80> lookalike;
  std::array<bool, 0x80> usable{};
};

const AsciiKeyTable& ascii_key_table() {
  static const AsciiKeyTable table = [] {
    AsciiKeyTable built;
    for (char c = 0x20; c <= 0x7E; ++c) {
      const NameKeys keys = name_keys_by_icu(std::string_view(&c, 1));
      const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      const std::string identity = c == ' ' ? std::string() : std::string(1, lower);
      built.usable[c] = is_ascii(keys.lookalike) && keys.identity == identity;
      built.lookalike[c] = keys.lookalike;
    }
    return built;
  }();
  return table;
}

std::optional<NameKeys> ascii_name_keys(std::string_view name) {
  if (!is_printable_ascii(name)) return std::nullopt;
  const AsciiKeyTable& table = ascii_key_table();
  NameKeys keys;
  bool space_pending = false;
  for (const char c : name) {
    if (!table.usable[c]) return std::nullopt;
    keys.lookalike += table.lookalike[c];
    if (c == ' ') {
      space_pending = !keys.identity.empty();
      continue;
    }
    if (space_pending) keys.identity += ' ';
    space_pending = false;
    keys.identity += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return keys;
}

}  // namespace

bool is_printable_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7E; });
}

NameKeys name_keys(std::string_view name) {
  if (auto keys = ascii_name_keys(name)) return std::move(*keys);
  return name_keys_by_icu(name);
}

NameKeys name_keys_by_icu(std::string_view name) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  const icu::Normalizer2* fold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  const USpoofChecker* checker = skeleton_checker();
  if (U_FAILURE(status) || checker == nullptr) return NameKeys{std::string(name), std::string(name)};

  const icu::UnicodeString identity = strip_marks_and_spaces(fold->normalize(text, status), status);
  icu::UnicodeString skeleton;
  uspoof_getSkeletonUnicodeString(checker, 0, nfkc->normalize(text, status), skeleton, &status);
  const icu::UnicodeString lookalike = fold->normalize(skeleton, status);
  // Unreachable with ICU's built-in data; the name itself is still a working (strict) key.
  if (U_FAILURE(status)) return NameKeys{std::string(name), std::string(name)};
  return NameKeys{utf8(identity), utf8(lookalike)};
}

}  // namespace chat
