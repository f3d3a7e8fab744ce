// sessionStorage through EM_JS. Every access is guarded: storage can be disabled or full, and a
// session that cannot be kept only costs a login after a reload.
#include "net/session_storage.hpp"

#include <emscripten/emscripten.h>

#include <string>

namespace chat::client::net {
namespace {

// Copies the value into buf (NUL-terminated, cut to size); returns its full length in bytes, or
// -1 when there is none.
EM_JS(int, js_session_get, (const char* key, char* buf, int size), {
  let value = null;
  try { value = sessionStorage.getItem(UTF8ToString(key)); } catch (e) { return -1; }
  if (value === null) return -1;
  stringToUTF8(value, buf, size);
  return lengthBytesUTF8(value);
});

EM_JS(void, js_session_set, (const char* key, const char* value), {
  try { sessionStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) {
    console.warn('sessionStorage:', e);
  }
});

EM_JS(void, js_session_remove, (const char* key), {
  try { sessionStorage.removeItem(UTF8ToString(key)); } catch (e) {}
});

constexpr const char* kUser = "chat.user";
constexpr const char* kToken = "chat.token";
constexpr const char* kRoom = "chat.room";
constexpr const char* kAccount = "chat.account";  // "1": the token is an account's session

std::string get(const char* key) {
  char small[128];
  const int length = js_session_get(key, small, sizeof small);
  if (length < 0) return "";
  if (length < static_cast<int>(sizeof small)) return small;
  std::string value(static_cast<std::size_t>(length) + 1, '\0');
  js_session_get(key, value.data(), static_cast<int>(value.size()));
  value.resize(static_cast<std::size_t>(length));
  return value;
}

}  // namespace

SavedSession load_session() {
  SavedSession session{get(kUser), get(kToken), get(kRoom), get(kAccount) == "1"};
  if (session.token.empty()) return {};
  return session;
}

void store_session(const SavedSession& session) {
  if (session.token.empty()) {
    for (const char* key : {kUser, kToken, kRoom, kAccount}) js_session_remove(key);
    return;
  }
  js_session_set(kUser, session.user.c_str());
  js_session_set(kToken, session.token.c_str());
  js_session_set(kRoom, session.room.c_str());
  js_session_set(kAccount, session.account ? "1" : "0");
}

}  // namespace chat::client::net
