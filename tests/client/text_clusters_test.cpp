// Clusters: composed marks, emoji sequences, flags, conjuncts and right-to-left words stay one
// glyph each; right-to-left runs are put in reading order; the private-use table is bounded.
#include "app/text_clusters.hpp"

#include <gtest/gtest.h>

#include "shared/utf8.hpp"

#include <string>
#include <vector>

namespace chat::client {
namespace {

using Clusters = std::vector<std::string>;

TEST(TextClusters, LatinAndCjkAreOneCharacterEach) {
  EXPECT_EQ(split_clusters("a 你好"), (Clusters{"a", " ", "你", "好"}));
}

TEST(TextClusters, CombiningMarksStayWithTheirLetter) {
  EXPECT_EQ(split_clusters("Jose\xCC\x81!"), (Clusters{"J", "o", "s", "e\xCC\x81", "!"}));
}

TEST(TextClusters, EmojiSequencesAndFlagsAreOneCluster) {
  const std::string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
  const std::string waving_dark = "\U0001F44B\U0001F3FF";
  const std::string flags = "\U0001F1EB\U0001F1F7\U0001F1EF\U0001F1F5";  // FR JP
  EXPECT_EQ(split_clusters(family + waving_dark), (Clusters{family, waving_dark}));
  EXPECT_EQ(split_clusters(flags), (Clusters{"\U0001F1EB\U0001F1F7", "\U0001F1EF\U0001F1F5"}));
  EXPECT_EQ(split_clusters("\u2615\uFE0F"), (Clusters{"\u2615\uFE0F"}));
}

TEST(TextClusters, DevanagariConjunctsAndThaiMarksStayTogether) {
  // क्षि: KA VIRAMA SSA VOWEL-SIGN-I
  EXPECT_EQ(split_clusters("\u0915\u094D\u0937\u093F"), (Clusters{"\u0915\u094D\u0937\u093F"}));
  // กี่: KO KAI, SARA II, MAI EK
  EXPECT_EQ(split_clusters("\u0E01\u0E35\u0E48\u0E01"), (Clusters{"\u0E01\u0E35\u0E48", "\u0E01"}));
}

TEST(TextClusters, RightToLeftWordsAreWholeAndRunsReadRightToLeft) {
  EXPECT_EQ(split_clusters("مرحبا"), (Clusters{"مرحبا"}));
  EXPECT_EQ(split_clusters("hi שלום עולם!"), (Clusters{"h", "i", " ", "עולם", " ", "שלום", "!"}));
  EXPECT_EQ(split_clusters("אב · גד 1"), (Clusters{"גד", " ", "·", " ", "אב", " ", "1"}));
}

TEST(TextClusters, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(split_clusters("a\xFF" "b"), (Clusters{"a", "\uFFFD", "b"}));
}

TEST(TextClusters, LongClustersAreCut) {
  std::string word;
  for (int i = 0; i < 100; ++i) word += "ب";  // 2 bytes each
  const auto clusters = split_clusters(word);
  ASSERT_EQ(clusters.size(), 4u);  // 32 + 32 + 32 + 4 letters
  for (const auto& cluster : clusters) EXPECT_LE(cluster.size(), kMaxClusterBytes);
}

TEST(ClusterTable, SingleCharactersPassAndClustersGetPrivateCodes) {
  ClusterTable table;
  const std::string shown = table.display("e\u0301e\u0301x");
  std::string expected;
  utf8::append(expected, ClusterTable::kFirst);
  utf8::append(expected, ClusterTable::kFirst);
  expected += "x";
  EXPECT_EQ(shown, expected);
  EXPECT_EQ(table.text_of(ClusterTable::kFirst), "e\u0301");
  EXPECT_EQ(table.text_of(U'x'), "x");
  EXPECT_EQ(table.size(), 1u);
}

TEST(ClusterTable, ATypedPrivateUseCharacterNeverStandsForAnotherCluster) {
  ClusterTable table;
  table.display("\uE000");
  table.display("a\u0301");
  EXPECT_EQ(table.text_of(ClusterTable::kFirst), "\uE000");
  EXPECT_EQ(table.text_of(ClusterTable::kFirst + 1), "a\u0301");
}

TEST(ClusterTable, WhenFullClustersShowTheirFirstCharacter) {
  ClusterTable table;
  const int capacity = static_cast<int>(ClusterTable::kLast - ClusterTable::kFirst) + 1;
  for (int i = 0; i < capacity; ++i) {
    std::string cluster;
    utf8::append(cluster, 0x4E00 + static_cast<char32_t>(i));
    table.display(cluster + "\u0301");
  }
  EXPECT_EQ(table.size(), static_cast<std::size_t>(capacity));
  EXPECT_EQ(table.display("z\u0301"), "z");
}

TEST(TextClusters, EachClusterKnowsItsSourceBytes) {
  // "a", "e" + combining acute, a Hebrew word shown right to left.
  const auto clusters = split_sourced_clusters("ae\xCC\x81 \u05E9\u05DC");
  ASSERT_EQ(clusters.size(), 4u);
  EXPECT_EQ(clusters[0].begin, 0u);
  EXPECT_EQ(clusters[0].end, 1u);
  EXPECT_EQ(clusters[1].text, "e\xCC\x81");
  EXPECT_EQ(clusters[1].begin, 1u);
  EXPECT_EQ(clusters[1].end, 4u);
  EXPECT_EQ(clusters[3].begin, 5u);  // the whole word: one cluster
  EXPECT_EQ(clusters[3].end, 9u);
}

TEST(ClusterTable, DisplayIsEachClustersCode) {
  ClusterTable table;
  std::string joined;
  for (const auto& cluster : split_clusters("Jose\xCC\x81 \U0001F44B")) joined += table.display_cluster(cluster);
  EXPECT_EQ(joined, table.display("Jose\xCC\x81 \U0001F44B"));
}

}  // namespace
}  // namespace chat::client
