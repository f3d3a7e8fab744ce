// The rules, in the order a refusal names them:
// 1. letters, marks and digits must be ones UTS #39 allows in identifiers (Identifier_Status =
//    Allowed: ICU's recommended + inclusion sets), read after NFKC, so full-width or mathematical
//    letters count as the plain ones and obsolete or technical letters ("ᴀ", "ɑ") are refused;
//    spaces, punctuation and symbols (emoji) stay allowed as before;
// 2. scripts may mix only as far as ICU's MODERATELY_RESTRICTIVE level allows (Latin with Han,
//    Japanese or Korean, or with one other script but not Greek, Cyrillic or Cherokee);
// 3. the name must show something: its identity key (name_keys.hpp) is not empty.
#include "server/names/name_rules.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "server/names/name_keys.hpp"
#include "shared/validate.hpp"

namespace chat {
namespace {

const char* const kShowsNothing = "shows no letter, digit or symbol";

const USpoofChecker* script_checker() {
  static USpoofChecker* const checker = [] {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker* opened = uspoof_open(&status);
    uspoof_setChecks(opened, USPOOF_RESTRICTION_LEVEL, &status);
    uspoof_setRestrictionLevel(opened, USPOOF_MODERATELY_RESTRICTIVE);
    return U_SUCCESS(status) ? opened : nullptr;
  }();
  return checker;
}

bool is_letter_mark_or_digit(UChar32 c) {
  return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

std::string code_point_text(UChar32 c) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(c));
  return text;
}

std::optional<std::string> refused_character(const icu::UnicodeString& text, UErrorCode& status) {
  const icu::UnicodeSet* recommended = uspoof_getRecommendedUnicodeSet(&status);
  const icu::UnicodeSet* inclusion = uspoof_getInclusionUnicodeSet(&status);
  if (U_FAILURE(status)) return "cannot be checked";
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    const UChar32 c = text.char32At(i);
    if (is_letter_mark_or_digit(c) && !recommended->contains(c) && !inclusion->contains(c)) {
      return "contains a character not used in names (" + code_point_text(c) + ")";
    }
  }
  return std::nullopt;
}

// The scripts named in the refusal, so its reader knows which letters to change.
std::string scripts_of(const icu::UnicodeString& text) {
  std::vector<UScriptCode> seen;
  std::string names;
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(text.char32At(i), &status);
    if (U_FAILURE(status) || script == USCRIPT_COMMON || script == USCRIPT_INHERITED) continue;
    if (std::find(seen.begin(), seen.end(), script) != seen.end()) continue;
    seen.push_back(script);
    names += (names.empty() ? "" : ", ") + std::string(uscript_getName(script));
  }
  return names;
}

}  // namespace

// A name of printable ASCII passes rules 1 and 2 whatever it holds: ASCII letters and digits are
// all Allowed in identifiers, and they are Latin, every other ASCII character Common. Only rule 3
// is left to check; ICU is not needed (most logins: it saves ~10 us each). Tested against ICU.
std::optional<std::string> unicode_problem(std::string_view name) {
  if (!is_printable_ascii(name)) return unicode_problem_by_icu(name);
  if (name_keys(name).identity.empty()) return kShowsNothing;
  return std::nullopt;
}

std::optional<std::string> unicode_problem_by_icu(std::string_view name) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  const USpoofChecker* checker = script_checker();
  if (U_FAILURE(status) || checker == nullptr) return "cannot be checked";
  const icu::UnicodeString normal = nfkc->normalize(text, status);
  if (auto refused = refused_character(normal, status)) return refused;
  const int32_t failed = uspoof_check2UnicodeString(checker, normal, nullptr, &status);
  if (U_FAILURE(status)) return "cannot be checked";
  if ((failed & USPOOF_RESTRICTION_LEVEL) != 0) return "mixes scripts that are not written together (" + scripts_of(normal) + ")";
  if (name_keys(name).identity.empty()) return kShowsNothing;
  return std::nullopt;
}

std::optional<Error> check_name(std::string_view name, const Limits& limits) {
  if (auto error = validate_name(name, limits)) return error;
  if (auto problem = unicode_problem(name)) return Error{ErrorCode::invalid_name, *problem};
  return std::nullopt;
}

std::optional<Error> check_room(std::string_view room, const Limits& limits) {
  if (auto error = validate_room(room, limits)) return error;
  if (auto problem = unicode_problem(room)) return Error{ErrorCode::invalid_room, *problem};
  return std::nullopt;
}

}  // namespace chat
