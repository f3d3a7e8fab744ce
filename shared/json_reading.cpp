// The codec's JSON reading (json_reading.hpp): guards first, so that nlohmann only ever sees
// bounded, well-formed-enough input; it then builds the DOM with exceptions disabled, stopping at a
// key repeated in one object, and every field's type is checked before it is read.
#include "json_reading.hpp"

#include <algorithm>
#include <optional>

#include "duplicate_keys.hpp"
#include "utf8.hpp"

namespace chat::json_reading {
namespace {

// Depth of [ and { outside strings; stops counting once past the limit.
bool nesting_exceeds(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

// nlohmann's own DOM builder (the one Json::parse uses; a detail:: class, pinned by Debian's
// 3.11.2 on both builds), stopped at the first key repeated in one object. Measured per decode of
// a chat line / a v2 login: 818 / 880 ns before, 823 / 921 ns with this, 1005 / 1248 ns with
// Json::parse's public parse callback instead (it wraps every value in a std::function call).
class RefusingDuplicateKeys : public nlohmann::detail::json_sax_dom_parser<Json> {
 public:
  explicit RefusingDuplicateKeys(Json& result) : json_sax_dom_parser(result, /*allow_exceptions=*/false) {}
  bool start_object(std::size_t size) {
    keys_.open_object();
    return json_sax_dom_parser::start_object(size);
  }
  bool key(Json::string_t& key) {
    if (keys_.add(key)) return json_sax_dom_parser::key(key);
    repeated_ = key;
    return false;  // stops the parse
  }
  bool end_object() {
    keys_.close_object();
    return json_sax_dom_parser::end_object();
  }
  const std::optional<std::string>& repeated() const { return repeated_; }

 private:
  DuplicateKeys keys_;
  std::optional<std::string> repeated_;
};

// Which value nlohmann keeps for a repeated key is its choice (the last one), and another reader
// of the same frame (a proxy, a log filter) may keep the first: such a frame means two things, so
// it is refused, naming the key (cut short, as it comes from the sender).
Error duplicate_key(const std::string& key) {
  return Error{ErrorCode::duplicate_key, "\"" + std::string(utf8::truncate(key, 64)) + "\" appears twice in one object"};
}

}  // namespace

Result<Json> parse_object(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_frame_bytes) {
    return Error{ErrorCode::frame_too_large, std::to_string(text.size()) + " bytes, the limit is " +
                                                 std::to_string(limits.max_frame_bytes)};
  }
  if (!utf8::is_valid(text)) return Error{ErrorCode::invalid_utf8, ""};
  if (nesting_exceeds(text, limits.max_json_depth)) {
    return Error{ErrorCode::too_deep, "more than " + std::to_string(limits.max_json_depth) + " levels"};
  }
  Json json;
  RefusingDuplicateKeys reader(json);
  const bool read = Json::sax_parse(text.begin(), text.end(), &reader);
  if (reader.repeated()) return duplicate_key(*reader.repeated());
  if (!read) return Error{ErrorCode::bad_json, ""};
  if (!json.is_object()) return Error{ErrorCode::not_object, ""};
  return json;
}

// The refusal echoes the action, cut short so a hostile name cannot make the reply large.
Error unknown_action(std::string_view action) {
  return Error{ErrorCode::unknown_action, "\"" + std::string(utf8::truncate(action, 64)) + "\""};
}

Result<std::string> string_field(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end()) return Error{ErrorCode::missing_field, std::string("\"") + name + "\""};
  if (!it->is_string()) {
    return Error{ErrorCode::wrong_type, std::string("\"") + name + "\" must be a string"};
  }
  return it->get<std::string>();
}

Result<std::string> optional_string_field(const Json& object, const char* name) {
  if (object.find(name) == object.end()) return std::string();
  return string_field(object, name);
}

Result<std::int64_t> integer_field(const Json& object, const char* name, std::int64_t fallback,
                                   std::int64_t min, std::int64_t max) {
  const auto it = object.find(name);
  if (it == object.end()) return fallback;
  if (!it->is_number_integer()) {
    return Error{ErrorCode::wrong_type, std::string("\"") + name + "\" must be an integer"};
  }
  const auto value = it->is_number_unsigned() ? static_cast<std::int64_t>(std::min<std::uint64_t>(
                                                    it->get<std::uint64_t>(), INT64_MAX))
                                              : it->get<std::int64_t>();
  if (value < min || value > max) {
    return Error{ErrorCode::bad_value, std::string("\"") + name + "\" must be from " +
                                           std::to_string(min) + " to " + std::to_string(max)};
  }
  return value;
}

bool optional_bool_field(const Json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

Result<std::string> request_id_field(const Json& object) {
  const auto it = object.find("request_id");
  if (it == object.end()) return std::string();
  const bool short_string = it->is_string() && it->get_ref<const std::string&>().size() <= 64;
  if (!short_string && !it->is_number_integer()) {
    return Error{ErrorCode::wrong_type, "\"request_id\" must be an integer or a string of at most 64 bytes"};
  }
  return it->dump();
}

Result<std::vector<std::string>> string_array_field(const Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end()) return Error{ErrorCode::missing_field, std::string("\"") + name + "\""};
  if (!it->is_array()) return Error{ErrorCode::wrong_type, std::string("\"") + name + "\" must be an array"};
  std::vector<std::string> values;
  values.reserve(it->size());
  for (const auto& value : *it) {
    if (!value.is_string()) return Error{ErrorCode::wrong_type, std::string("\"") + name + "\" must hold strings"};
    values.push_back(value.get<std::string>());
  }
  return values;
}

}  // namespace chat::json_reading
