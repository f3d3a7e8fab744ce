// A check that stops the fuzz target: libFuzzer saves the input that made it abort. Shared by the
// fuzz targets; the replay program (replay_main.cpp) reports the file being replayed.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace chat::fuzz {

[[noreturn]] inline void fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "fuzz check failed: %.*s\n  %.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size() > 2000 ? 2000 : detail.size()), detail.data());
  std::abort();
}

inline void require(bool condition, std::string_view what, std::string_view detail = "") {
  if (!condition) fail(what, detail);
}

}  // namespace chat::fuzz
