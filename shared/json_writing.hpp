// How the codec writes JSON: by hand, so that key order is fixed ("action" first, as the seed's
// clients print it) and so that it is fast: it is the hot path of every broadcast (one encoding per
// line, shared by every receiver). Inline for that reason. Internal to the codec.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "protocol.hpp"

namespace chat::json_writing {

inline void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(c));
          out += escape;
        } else {
          out += c;  // UTF-8 passes through untouched: no normalisation, byte for byte
        }
    }
  }
  out += '"';
}

class ObjectWriter {
 public:
  explicit ObjectWriter(std::string_view action) {
    out_ = "{\"action\":";
    append_json_string(out_, action);
  }
  ObjectWriter& field(const char* name, std::string_view value) {
    key(name);
    append_json_string(out_, value);
    return *this;
  }
  ObjectWriter& optional_field(const char* name, std::string_view value) {
    return value.empty() ? *this : field(name, value);
  }
  ObjectWriter& number(const char* name, std::int64_t value) {
    key(name);
    out_ += std::to_string(value);
    return *this;
  }
  ObjectWriter& optional_number(const char* name, std::int64_t value) {
    return value == 0 ? *this : number(name, value);
  }
  ObjectWriter& boolean(const char* name, bool value) {
    key(name);
    out_ += value ? "true" : "false";
    return *this;
  }
  // A value that is already compact JSON (the echoed request_id).
  ObjectWriter& optional_raw(const char* name, std::string_view json) {
    if (json.empty()) return *this;
    key(name);
    out_ += json;
    return *this;
  }
  ObjectWriter& lines(const std::vector<ChatLine>& lines) {
    key("lines");
    out_ += '[';
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) out_ += ',';
      out_ += "{\"id\":" + std::to_string(lines[i].id) + ",\"ts\":" + std::to_string(lines[i].ts) + ",\"user\":";
      append_json_string(out_, lines[i].user);
      out_ += ",\"text\":";
      append_json_string(out_, lines[i].text);
      if (!lines[i].mentions.empty()) optional_string_array("mentions", lines[i].mentions);
      out_ += '}';
    }
    out_ += ']';
    return *this;
  }
  ObjectWriter& optional_true(const char* name, bool value) { return value ? boolean(name, true) : *this; }
  ObjectWriter& sessions(const std::vector<SessionInfo>& sessions) {
    key("sessions");
    out_ += '[';
    for (std::size_t i = 0; i < sessions.size(); ++i) {
      if (i > 0) out_ += ',';
      out_ += "{\"id\":";
      append_json_string(out_, sessions[i].id);
      out_ += ",\"created_ms\":" + std::to_string(sessions[i].created_ms) +
              ",\"last_used_ms\":" + std::to_string(sessions[i].last_used_ms) +
              ",\"current\":" + (sessions[i].current ? "true" : "false") + '}';
    }
    out_ += ']';
    return *this;
  }
  ObjectWriter& string_array(const char* name, const std::vector<std::string>& values) {
    key(name);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out_ += ',';
      append_json_string(out_, values[i]);
    }
    out_ += ']';
    return *this;
  }
  ObjectWriter& optional_string_array(const char* name, const std::vector<std::string>& values) {
    return values.empty() ? *this : string_array(name, values);
  }
  ObjectWriter& unread(const std::vector<UnreadCount>& counts) {
    key("unread");
    out_ += '[';
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (i > 0) out_ += ',';
      const UnreadCount& count = counts[i];
      out_ += count.dm.empty() ? "{\"room\":" : "{\"dm\":";
      append_json_string(out_, count.dm.empty() ? count.room : count.dm);
      out_ += ",\"last_read_id\":" + std::to_string(count.last_read_id) + ",\"count\":" + std::to_string(count.count) +
              ",\"mention\":" + (count.mention ? "true" : "false") + '}';
    }
    out_ += ']';
    return *this;
  }
  std::string finish() {
    out_ += '}';
    return std::move(out_);
  }

 private:
  void key(const char* name) {
    out_ += ",\"";
    out_ += name;
    out_ += "\":";
  }

  std::string out_;
};

}  // namespace chat::json_writing
