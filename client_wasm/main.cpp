// The browser client's entry point: GLFW/WebGL2 and ImGui set-up, then one Client frame per
// animation frame. Everything the client does is in client.cpp and below.
#include <GLFW/glfw3.h>
#include <emscripten/emscripten.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "app/frame_pacer.hpp"
#include "client.hpp"
#include "imgui.h"
#include "net/web_socket_client.hpp"
#include "ui/browser_platform.hpp"
#include "ui/display_scale.hpp"

namespace {

GLFWwindow* g_window = nullptr;
std::unique_ptr<chat::client::ui::DisplayScale> g_scale;
std::unique_ptr<chat::client::Client> g_client;
chat::client::FramePacer g_pacer;

double now_seconds() { return emscripten_get_now() / 1000.0; }
// Idle, the animation-frame loop is paused (empty animation frames still cost about 6 % of a core
// in headless Chromium) and a 4 Hz timer runs the clock instead: enough for the status line's
// countdown. An input or socket event resumes the loop at once (the next animation frame).
constexpr int kIdleTickMs = 250;
bool g_paused = false;
int g_idle_generation = 0;  // a timer chain of an older pause stops by itself

void wake() {
  g_pacer.wake();
  if (g_paused) {
    g_paused = false;
    ++g_idle_generation;
    emscripten_resume_main_loop();
  }
}

void idle_tick(void* generation) {
  if (!g_paused || reinterpret_cast<std::intptr_t>(generation) != g_idle_generation) return;
  if (g_client->tick(now_seconds())) {
    wake();
    return;
  }
  emscripten_async_call(idle_tick, generation, kIdleTickMs);
}

void pause_until_woken() {
  g_paused = true;
  ++g_idle_generation;
  emscripten_pause_main_loop();
  emscripten_async_call(idle_tick, reinterpret_cast<void*>(static_cast<std::intptr_t>(g_idle_generation)),
                        kIdleTickMs);
}

// Called at every animation frame; draws only when something changed (FramePacer). Input events
// wake it through chat_wake() (web/index.html).
void run_frame() {
  bool changed = g_scale->update(chat::client::ui::fit_canvas());
  changed |= g_client->tick(now_seconds());
  changed |= g_scale->atlas().has_pending();  // glyphs asked for by the last frame
  if (changed) wake();
  if (!g_pacer.should_draw()) {
    pause_until_woken();
    return;
  }
  if (chat::client::ui::feed_keyboard_frame(g_window)) wake();  // the rest: the next frames
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  g_client->frame(now_seconds(), g_scale->ratio(), g_scale->atlas());
  ImGui::Render();
  int width = 0;
  int height = 0;
  glfwGetFramebufferSize(g_window, &width, &height);
  glViewport(0, 0, width, height);
  glClearColor(0.08f, 0.09f, 0.11f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

bool init_window() {
  if (!glfwInit()) return false;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  g_window = glfwCreateWindow(800, 600, "Chat", nullptr, nullptr);
  if (!g_window) return false;
  glfwMakeContextCurrent(g_window);
  return true;
}

}  // namespace

// Read-only view of the client for the browser tests (web/index.html exposes it as
// window.chatSnapshot()). The pointer stays valid until the next call.
extern "C" EMSCRIPTEN_KEEPALIVE const char* chat_snapshot() {
  static std::string json;
  json = g_client ? g_client->snapshot(now_seconds()) : "{}";
  return json.c_str();
}

// An input event reached the page (web/index.html): draw the next frames.
extern "C" EMSCRIPTEN_KEEPALIVE void chat_wake() { wake(); }

// Frames drawn since the start, for the idle test and the benchmarks.
extern "C" EMSCRIPTEN_KEEPALIVE double chat_frames_drawn() {
  return static_cast<double>(g_pacer.frames_drawn());
}

// A room button of the accessible mirror was pressed (web/index.html).
extern "C" EMSCRIPTEN_KEEPALIVE void chat_join_room(const char* room) {
  if (g_client) g_client->join_room(room);
}

// The mirror's other buttons ("room.create", "chat.send", "notify") and text fields.
extern "C" EMSCRIPTEN_KEEPALIVE void chat_press(const char* widget) {
  if (g_client) g_client->press(widget);
}

extern "C" EMSCRIPTEN_KEEPALIVE void chat_focus_field(const char* field) {
  if (g_client) g_client->focus_field(field);
}

// The browser's answer to the permission "Notify me" asked for (ui/page_attention.cpp).
extern "C" EMSCRIPTEN_KEEPALIVE void chat_notify_permission(int granted) {
  if (g_client) g_client->notifications_allowed(granted != 0);
}

int main() {
  if (!init_window()) {
    std::puts("chat: could not create a WebGL2 context");
    return 1;
  }
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // no layout to remember; the browser has no file system
  ImGui::GetIO().ConfigInputTextCursorBlink = false;  // a blinking caret would draw all day
  ImGui_ImplGlfw_InitForOpenGL(g_window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  chat::client::ui::install_browser_input(g_window);
  g_scale = std::make_unique<chat::client::ui::DisplayScale>();
  g_client = std::make_unique<chat::client::Client>(chat::client::net::page_server_url(), wake);
  emscripten_set_main_loop(run_frame, 0, true);
}
