// What GLFW-on-Emscripten lacks for ImGui in a browser: canvas sizing for devicePixelRatio, the
// clipboard, text typed through the page's hidden input (IME, accents, emoji), keys and text
// that come faster than frames and a mouse wheel scrolled the right way. Not drawing: chat_view.hpp draws.
#pragma once

#include <string>

struct GLFWwindow;

namespace chat::client::ui {

// Sizes the canvas' framebuffer to its CSS size x devicePixelRatio; returns the ratio.
float fit_canvas();

// Call once after ImGui_ImplGlfw_InitForOpenGL(window, true).
void install_browser_input(GLFWwindow* window);

// Call before each drawn frame's NewFrame: hands ImGui the keys and text it can take in one
// frame without losing any (app/keyboard_queue.hpp). True while more wait: draw another frame.
bool feed_keyboard_frame(GLFWwindow* window);

// Opens a link of a chat line in a new tab, with no opener and no referrer.
void open_link(const std::string& url);

}  // namespace chat::client::ui
