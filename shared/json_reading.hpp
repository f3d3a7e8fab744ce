// How the codec reads a frame's JSON: the guards that run before the parser (size, UTF-8, depth,
// repeated keys) and typed field readers whose refusals name the field. Internal to the codec
// (codec_client_frames.cpp, codec_server_frames.cpp); nothing else includes nlohmann/json.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "error.hpp"
#include "limits.hpp"
#include "result.hpp"

namespace chat::json_reading {

using Json = nlohmann::json;

// The text as a JSON object, or why it is refused (checked in the order a hostile sender would
// make each check cost: size first, the parser last).
Result<Json> parse_object(std::string_view text, const Limits& limits);

// The refusal of an action this side does not know, echoing it cut short.
Error unknown_action(std::string_view action);

// A required string field.
Result<std::string> string_field(const Json& object, const char* name);
// An optional string field: absent gives "", present with another type is an error.
Result<std::string> optional_string_field(const Json& object, const char* name);
// An optional integer field within [min, max]; absent gives fallback.
Result<std::int64_t> integer_field(const Json& object, const char* name, std::int64_t fallback,
                                   std::int64_t min, std::int64_t max);
// True only if present and true.
bool optional_bool_field(const Json& object, const char* name);
// Strings (at most 64 bytes) and integers are accepted, kept as their compact JSON for the echo.
Result<std::string> request_id_field(const Json& object);
// A required array of strings.
Result<std::vector<std::string>> string_array_field(const Json& object, const char* name);

}  // namespace chat::json_reading
