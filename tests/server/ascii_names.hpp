// Names of printable ASCII for comparing the name shortcuts (name_keys, unicode_problem) with the
// ICU reference: every name of one and two characters, and a fixed set of longer ones that favour
// letters, digits and spaces, as real names do.
#pragma once

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace chat {

inline std::vector<std::string> ascii_names_to_compare() {
  std::vector<std::string> names;
  for (char a = 0x20; a <= 0x7E; ++a) {
    names.emplace_back(1, a);
    for (char b = 0x20; b <= 0x7E; ++b) names.push_back(std::string{a, b});
  }
  const std::string common = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789     _-.";
  std::mt19937 random(20261203);  // fixed: the same names on every run
  for (int i = 0; i < 4000; ++i) {
    std::string name(3 + random() % 30, ' ');
    for (char& c : name) c = random() % 4 == 0 ? static_cast<char>(0x20 + random() % 95) : common[random() % common.size()];
    names.push_back(name);
  }
  return names;
}

// Runs `compare` on each of those names: it answers "" when the shortcut and the reference agree,
// else what differed. The first ten differences fail the test; returns how many there were.
template <class Compare>
int disagreements(Compare compare) {
  int count = 0;
  for (const std::string& name : ascii_names_to_compare()) {
    const std::string difference = compare(name);
    if (!difference.empty() && ++count <= 10) ADD_FAILURE() << "\"" << name << "\": " << difference;
  }
  return count;
}

}  // namespace chat
