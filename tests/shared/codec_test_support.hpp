// What the codec tests share: decode a text expecting one frame type, or expecting a refusal (a
// failure shows the text's first 80 bytes: some tests send megabytes).
#pragma once

#include <gtest/gtest.h>

#include <string_view>
#include <variant>

#include "shared/codec.hpp"

namespace chat::codec_test {

inline const Limits kLimits{};

inline ErrorCode client_error(std::string_view text) {
  auto result = decode_client_frame(text, kLimits);
  EXPECT_FALSE(result.ok()) << "decoded unexpectedly: " << text.substr(0, 80);
  return result.ok() ? ErrorCode::other : result.error().code;
}

inline ErrorCode server_error(std::string_view text) {
  auto result = decode_server_frame(text, kLimits);
  EXPECT_FALSE(result.ok()) << "decoded unexpectedly: " << text.substr(0, 80);
  return result.ok() ? ErrorCode::other : result.error().code;
}

template <class Frame, class Decoded>
Frame only_frame(std::string_view text, const Result<Decoded>& result) {
  EXPECT_TRUE(result.ok()) << text << ": " << (result.ok() ? "" : describe(result.error()));
  if (!result.ok()) return Frame{};
  const Frame* frame = std::get_if<Frame>(&result.value());
  EXPECT_NE(frame, nullptr) << text << " decoded as index " << result.value().index();
  return frame ? *frame : Frame{};
}

template <class Frame>
Frame decoded_client(std::string_view text) {
  return only_frame<Frame>(text, decode_client_frame(text, kLimits));
}

template <class Frame>
Frame decoded_server(std::string_view text) {
  return only_frame<Frame>(text, decode_server_frame(text, kLimits));
}

}  // namespace chat::codec_test
