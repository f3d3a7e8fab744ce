// Browser glue for ImGui. The page (web/index.html) keeps a hidden <input> focused so that the
// browser's text input (keyboard layouts, dead keys, IME, emoji) arrives as `input` events; it
// calls chat_on_text_input() with the text and chat_on_paste() with pasted text. The mouse wheel
// is read here too (see on_wheel).
#include "ui/browser_platform.hpp"

#include <GLFW/glfw3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <string>

#include "app/keyboard_queue.hpp"
#include "backends/imgui_impl_glfw.h"
#include "imgui.h"

namespace {

// The browser's clipboard can only be read inside a paste event, so the last pasted or copied
// text is kept here for ImGui's synchronous GetClipboardText().
std::string g_clipboard;
// Keys and typed text not yet handed to ImGui, in the order they came (app/keyboard_queue.hpp).
chat::client::KeyboardQueue g_keyboard;

// Through Browser.setCanvasSize, which also tells GLFW the new window size: glfwSetWindowSize
// would switch to fullscreen whenever the size equals the screen's (a maximised window).
EM_JS(double, js_fit_canvas, (), {
  const ratio = window.devicePixelRatio || 1;
  const rect = Module.canvas.getBoundingClientRect();
  const width = Math.round(rect.width * ratio);
  const height = Math.round(rect.height * ratio);
  if (width > 0 && height > 0 && (Module.canvas.width != width || Module.canvas.height != height)) {
    Browser.setCanvasSize(width, height);
  }
  return ratio;
});

EM_JS(void, js_write_clipboard, (const char* text), {
  const value = UTF8ToString(text);
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(value).catch(function(e) { console.warn('clipboard:', e); });
  }
});

// ImGui tells where the active field's caret is (framebuffer pixels); the hidden input goes
// there, so the IME's candidate window opens at the caret and the page shows the composition
// over it (web/style.css, .composing).
EM_JS(void, js_place_text_input, (int x, int y), {
  const input = document.getElementById('text-input');
  if (!input) return;
  const ratio = window.devicePixelRatio || 1;
  input.style.left = (x / ratio) + 'px';
  input.style.top = (y / ratio) + 'px';
});

void place_text_input(int x, int y) { js_place_text_input(x, y); }

// Called in the frame after the click, within the click's user activation, so not blocked.
EM_JS(void, js_open_link, (const char* url), {
  window.open(UTF8ToString(url), '_blank', 'noopener,noreferrer');
});

const char* get_clipboard(void*) { return g_clipboard.c_str(); }

void set_clipboard(void*, const char* text) {
  g_clipboard = text;
  js_write_clipboard(text);
}

bool is_modifier(int key) { return key >= GLFW_KEY_LEFT_SHIFT && key <= GLFW_KEY_RIGHT_SUPER; }

// A held key's repeats are left out: ImGui repeats a key held down by itself.
void on_key(GLFWwindow*, int key, int, int action, int mods) {
  using chat::client::KeyboardEvent;
  if (action == GLFW_PRESS) g_keyboard.push(KeyboardEvent::press(key, mods, is_modifier(key)));
  if (action == GLFW_RELEASE) g_keyboard.push(KeyboardEvent::release(key, mods, is_modifier(key)));
}

// Emscripten 3.1.6's GLFW hands the DOM deltaY (pixels, positive = down) to the scroll callback as
// is, and ImGui reads it as notches, positive = up: one notch down would scroll 100 notches up.
EM_BOOL on_wheel(int, const EmscriptenWheelEvent* event, void*) {
  double per_notch = 100;  // DOM_DELTA_PIXEL, as Chromium sends; Firefox counts 3 lines a notch
  if (event->deltaMode == DOM_DELTA_LINE) per_notch = 3;
  if (event->deltaMode == DOM_DELTA_PAGE) per_notch = 1;
  ImGuiIO& io = ImGui::GetIO();
  io.MouseWheel -= static_cast<float>(event->deltaY / per_notch);
  io.MouseWheelH -= static_cast<float>(event->deltaX / per_notch);
  return EM_TRUE;
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE void chat_on_text_input(const char* utf8) {
  g_keyboard.push(chat::client::KeyboardEvent::typed(utf8));
}

EMSCRIPTEN_KEEPALIVE void chat_on_paste(const char* utf8) { g_clipboard = utf8; }

}  // extern "C"

namespace chat::client::ui {

float fit_canvas() { return static_cast<float>(js_fit_canvas()); }

void install_browser_input(GLFWwindow* window) {
  ImGuiIO& io = ImGui::GetIO();
  io.GetClipboardTextFn = get_clipboard;
  io.SetClipboardTextFn = set_clipboard;
  io.ClipboardUserData = nullptr;
  io.ImeSetInputScreenPosFn = place_text_input;
  // Text comes from the page's hidden input instead: GLFW's keypress-based characters miss
  // dead keys, IME and emoji, and would double what the input reports.
  glfwSetCharCallback(window, nullptr);
  glfwSetKeyCallback(window, on_key);
  glfwSetScrollCallback(window, nullptr);
  emscripten_set_wheel_callback("#canvas", nullptr, true, on_wheel);
}

bool feed_keyboard_frame(GLFWwindow* window) {
  using Kind = chat::client::KeyboardEvent::Kind;
  for (const chat::client::KeyboardEvent& event : g_keyboard.take_frame()) {
    if (event.kind == Kind::text) {
      ImGui::GetIO().AddInputCharactersUTF8(event.text.c_str());
    } else {
      const int action = event.kind == Kind::press ? GLFW_PRESS : GLFW_RELEASE;
      ImGui_ImplGlfw_KeyCallback(window, event.key, 0, action, event.mods);
    }
  }
  return !g_keyboard.empty();
}

void open_link(const std::string& url) { js_open_link(url.c_str()); }

}  // namespace chat::client::ui
