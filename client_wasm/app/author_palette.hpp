// A colour per author, stable and spread: the name's hash picks a hue on a golden-ratio walk
// (neighbouring hashes land far apart on the wheel) and one of three tones, so about a hundred
// distinguishable colours instead of 12 hues where two names in six shared one.
#pragma once

#include <string_view>

namespace chat::client {

struct Hsv {
  float hue;         // [0, 1)
  float saturation;  // [0, 1]
  float value;       // [0, 1]
};

// Light enough on the dark theme whatever the tone.
Hsv author_colour(std::string_view name);

}  // namespace chat::client
