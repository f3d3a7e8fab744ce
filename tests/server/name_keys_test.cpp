// name_keys: the two keys (identity, look-alike) under which names are unique (PROTOCOL.md, Names).
#include "server/names/name_keys.hpp"

#include <gtest/gtest.h>

#include "server/ascii_names.hpp"

namespace chat {
namespace {

struct Pair {
  const char* taken;
  const char* candidate;
};

bool collide(const char* a, const char* b) {
  const NameKeys x = name_keys(a);
  const NameKeys y = name_keys(b);
  return x.identity == y.identity || x.lookalike == y.lookalike;
}

// Each case from issue 12: a name that displays like one in use must collide with it.
TEST(NameKeys, LookAlikesOfNamesInUseCollide) {
  const Pair same[] = {
      {"alice", "Alice"},
      {"alice", "ALICE"},
      {"alice", "\xF0\x9D\x90\x9A\xF0\x9D\x90\xA5\xF0\x9D\x90\xA2\xF0\x9D\x90\x9C\xF0\x9D\x90\x9E"},  // 𝐚𝐥𝐢𝐜𝐞
      {"alice", "\xC9\x91lice"},                                  // ɑlice (Latin alpha)
      {"alice", "\xEF\xBC\xA1\xEF\xBC\xAC\xEF\xBC\xA9\xEF\xBC\xA3\xEF\xBC\xA5"},  // ＡＬＩＣＥ
      {"oscar", "\xD6\x85scar"},                                  // Armenian օ
      {"alice", "\xE1\xBA\xA1lice"},                              // ạlice (Vietnamese)
      {"alice", "a\xCC\xA3lice"},                                 // the same, decomposed
      {"alice", "aIice"},                                         // capital I
      {"alice", "\xD0\xB0lice"},                                  // Cyrillic а
      {"paypal", "\xD1\x80\xD0\xB0yp\xD0\xB0l"},                  // Cyrillic р, а
      {"jose", "Jos\xC3\xA9"},
      {"zoe", "Zo\xC3\xAB"},
      {"ana maria", "Ana   Maria"},                               // runs of spaces
      {"ana maria", "Ana\xC2\xA0Maria"},                          // no-break space
      {"rn", "m"},                                                // UTS #39: "rn" looks like "m"
      {"\xD0\x94\xD0\xBC\xD0\xB8\xD1\x82\xD1\x80\xD0\xB8\xD0\xB9",
       "\xD0\x94\xD0\x9C\xD0\x98\xD0\xA2\xD0\xA0\xD0\x98\xD0\x99"},  // Дмитрий / ДМИТРИЙ
      {"\xCE\x95\xCE\xBB\xCE\xAD\xCE\xBD\xCE\xB7", "\xCE\x95\xCE\x9B\xCE\x88\xCE\x9D\xCE\x97"},  // Ελένη / ΕΛΈΝΗ
  };
  for (const auto& c : same) EXPECT_TRUE(collide(c.taken, c.candidate)) << c.taken << " / " << c.candidate;
}

// The reported bug: case was folded before the look-alike table, so Greek nu (which looks like v)
// became Latin n. It must not collide with "nick" (it is refused anyway, for mixing scripts).
TEST(NameKeys, GreekNuIsNotLatinN) {
  const NameKeys greek = name_keys("\xCE\xBDick");  // νick
  const NameKeys latin = name_keys("nick");
  EXPECT_NE(greek.identity, latin.identity);
  EXPECT_NE(greek.lookalike, latin.lookalike);
  EXPECT_EQ(greek.lookalike, name_keys("vick").lookalike);
}

TEST(NameKeys, DifferentNamesKeepDifferentKeys) {
  const Pair different[] = {
      {"alice", "alicia"},
      {"ana", "anna"},
      {"a b", "ab"},
      {"Bob_2", "Bob_3"},
      {"\xD0\x94\xD0\xBC\xD0\xB8\xD1\x82\xD1\x80\xD0\xB8\xD0\xB9", "\xD0\x94\xD0\xBC\xD0\xB8\xD1\x82\xD1\x80\xD0\xB8"},
      {"\xE6\x9D\x8E\xE9\x9B\xB7", "\xE9\x9F\xA9\xE6\xA2\x85\xE6\xA2\x85"},  // 李雷 / 韩梅梅
      {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x83"},                              // two emoji
  };
  for (const auto& c : different) EXPECT_FALSE(collide(c.taken, c.candidate)) << c.taken << " / " << c.candidate;
}

TEST(NameKeys, SpellingsOfOneNameHaveEqualKeys) {
  EXPECT_EQ(name_keys("Alice"), name_keys("alice"));
  EXPECT_EQ(name_keys("Jos\xC3\xA9"), name_keys("Jose\xCC\x81"));  // precomposed or not
}

TEST(NameKeys, InvisibleOnlyNamesHaveAnEmptyIdentity) {
  EXPECT_EQ(name_keys("\xCC\x81\xCC\x81").identity, "");  // combining marks only
  EXPECT_EQ(name_keys("\xE2\x80\x8E").identity, "");      // U+200E (NFKC_Casefold removes it)
}

// Names of printable ASCII skip ICU; their keys must be exactly ICU's ("rn" / "m", "Il1", "%" /
// "o/0" included).
TEST(NameKeys, TheAsciiShortcutGivesIcusKeys) {
  EXPECT_EQ(disagreements([](const std::string& name) -> std::string {
              const NameKeys fast = name_keys(name);
              const NameKeys reference = name_keys_by_icu(name);
              if (fast == reference) return "";
              return "identity \"" + fast.identity + "\" / \"" + reference.identity + "\", look-alike \"" +
                     fast.lookalike + "\" / \"" + reference.lookalike + "\"";
            }),
            0);
}

}  // namespace
}  // namespace chat
