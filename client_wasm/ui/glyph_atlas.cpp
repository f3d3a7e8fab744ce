// Measured in headless Chromium (software GL, 2 cores): rasterising a glyph costs about 0.1 ms,
// rebuilding and uploading the atlas a few ms for a few hundred glyphs (docs/BENCHMARKS.md).
#include "ui/glyph_atlas.hpp"

#include <emscripten/emscripten.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "backends/imgui_impl_opengl3.h"
#include "imgui.h"

namespace chat::client::ui {
namespace {

constexpr float kLineCssPixels = 19.0f;  // ImGui's font size: one text line
constexpr float kFontCssPixels = 15.0f;  // the CSS font size, the em of the glyphs inside it
constexpr float kBaselineOfLine = 0.78f;
// The glyphs' pixels, all together: others' text can bring new clusters (long right-to-left
// words are wide), and the texture must stay well under WebGL's size limit (4 096 squared is
// common). Past it, new characters show the fallback glyph.
constexpr long kMaxAtlasPixels = 2048L * 2048L;

// Draws `text` white on a transparent canvas in the page's font stack, the browser falling back
// to any system font that has the characters. meta receives width, height, advance * 64, left and
// top offsets of the bitmap (pixels from the pen and from the baseline), colour (any non-grey
// pixel), missing (the picture is that of a character no font has). Returns the bytes needed:
// when more than cap, nothing was written and the caller asks again with a bigger buffer.
EM_JS(int, js_rasterise, (const char* text, int font_px, int* meta, unsigned char* out, int cap), {
  const s = UTF8ToString(text);
  let r = Module.chatRaster;
  if (!r || r.px !== font_px) {
    const canvas = document.createElement('canvas');
    r = Module.chatRaster = { px: font_px, canvas: canvas, ctx: canvas.getContext('2d', { willReadFrequently: true }) };
    r.notdef = null;
  }
  // Emoji-presentation characters (and any text with VS16) ask for the colour emoji fonts first:
  // a text font may have a black-and-white glyph for them (DejaVu has U+2615).
  if (!r.emoji) r.emoji = new RegExp(String.fromCharCode(92) + 'p{Emoji_Presentation}|' + String.fromCharCode(0xFE0F), 'u');
  const stack = r.emoji.test(s) ? '"Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", ' : "";
  const font = font_px + 'px ' + stack + '"DejaVu Sans", sans-serif';
  function draw(str) {
    let ctx = r.ctx;
    ctx.font = font;
    const m = ctx.measureText(str);
    const left = Math.max(0, Math.ceil(m.actualBoundingBoxLeft)) + 1;
    const right = Math.max(0, Math.ceil(m.actualBoundingBoxRight)) + 1;
    const up = Math.max(0, Math.ceil(m.actualBoundingBoxAscent)) + 1;
    const down = Math.max(0, Math.ceil(m.actualBoundingBoxDescent)) + 1;
    const w = left + right, h = up + down;
    if (r.canvas.width < w || r.canvas.height < h) {
      r.canvas.width = Math.max(r.canvas.width, w);
      r.canvas.height = Math.max(r.canvas.height, h);
      ctx = r.ctx;
      ctx.font = font;
    }
    ctx.clearRect(0, 0, r.canvas.width, r.canvas.height);
    ctx.fillStyle = '#fff';
    ctx.textBaseline = 'alphabetic';
    ctx.fillText(str, left, up);
    return { w: w, h: h, left: left, up: up, advance: m.width, data: ctx.getImageData(0, 0, w, h).data };
  }
  if (!r.notdef) r.notdef = draw(String.fromCodePoint(0x10FFFD));
  const g = draw(s);
  const same = (a, b) => {
    if (a.w !== b.w || a.h !== b.h) return false;
    for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
    return true;
  };
  const bytes = g.w * g.h * 4;
  if (bytes > cap) return bytes;
  // Drawn in white, a text glyph has only white pixels; anything darker or coloured is the
  // font's own colour (emoji, grey ones included), kept and not tinted by ImGui.
  let colored = 0;
  const d = g.data;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] > 64 && Math.min(d[i], d[i + 1], d[i + 2]) < 200) { colored = 1; break; }
  }
  if (!colored) for (let i = 0; i < d.length; i += 4) { d[i] = 255; d[i + 1] = 255; d[i + 2] = 255; }
  HEAPU8.set(d, out);
  const m = meta >> 2;
  HEAP32[m] = g.w; HEAP32[m + 1] = g.h; HEAP32[m + 2] = Math.round(g.advance * 64);
  HEAP32[m + 3] = -g.left; HEAP32[m + 4] = -g.up; HEAP32[m + 5] = colored;
  HEAP32[m + 6] = (s !== String.fromCharCode(0xFFFD) && same(g, r.notdef)) ? 1 : 0;
  return bytes;
});

// What the view draws before any text arrives: ASCII, the room markers, the ellipsis and the
// fallback ImGui uses for characters it has no glyph for.
const char kSeed[] =
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
    "\u25CF\u25CB\u2026\uFFFD";

}  // namespace

GlyphAtlas::GlyphAtlas() { glyphs_.want(kSeed); }

std::size_t GlyphAtlas::colored_count() const {
  return static_cast<std::size_t>(std::count_if(bitmaps_.begin(), bitmaps_.end(),
                                                [](const Bitmap& b) { return b.colored; }));
}

float GlyphAtlas::line_pixels() const { return std::round(kLineCssPixels * ratio_); }

std::string GlyphAtlas::shown(std::string_view utf8) {
  std::string text = clusters_.display(utf8);
  glyphs_.want(text);
  return text;
}

std::vector<ShownCluster> GlyphAtlas::shown_clusters(std::string_view utf8) {
  std::vector<ShownCluster> out;
  std::string codes;
  for (auto& cluster : split_sourced_clusters(utf8)) {
    out.push_back(ShownCluster{clusters_.display_cluster(cluster.text), cluster.begin, cluster.end});
    codes += out.back().code;
  }
  glyphs_.want(codes);
  return out;
}

bool GlyphAtlas::update(float device_pixel_ratio) {
  const bool new_ratio = device_pixel_ratio > 0 && std::fabs(device_pixel_ratio - ratio_) >= 0.01f;
  if (!new_ratio && !glyphs_.has_pending()) return false;
  const double start = emscripten_get_now();
  std::vector<char32_t> codes;
  if (new_ratio) {
    ratio_ = device_pixel_ratio;
    codes = glyphs_.held();
    bitmaps_.clear();
    missing_.clear();
  }
  const std::vector<char32_t> pending = glyphs_.take_pending();
  codes.insert(codes.end(), pending.begin(), pending.end());
  long pixels = 0;
  for (const auto& b : bitmaps_) pixels += static_cast<long>(b.width) * b.height;
  for (char32_t code : codes) {
    Bitmap bitmap = rasterise(code);
    pixels += static_cast<long>(bitmap.width) * bitmap.height;
    if (pixels > kMaxAtlasPixels && code != 0xFFFD) {  // over budget: the fallback, small
      bitmap = rasterise(0xFFFD);
      bitmap.code = code;
      pixels += static_cast<long>(bitmap.width) * bitmap.height;
    }
    bitmaps_.push_back(std::move(bitmap));
  }
  const double rasterised = emscripten_get_now();
  if (!codes.empty()) last_glyph_ms_ = (rasterised - start) / static_cast<double>(codes.size());
  rebuild();
  if (new_ratio || !textures_live_) {
    ImGui_ImplOpenGL3_DestroyDeviceObjects();  // recreated, font texture included, by NewFrame
  } else {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  textures_live_ = true;
  last_build_ms_ = emscripten_get_now() - start;
  return true;
}

GlyphAtlas::Bitmap GlyphAtlas::rasterise(char32_t code) {
  Bitmap bitmap;
  bitmap.code = code;
  const int font_px = static_cast<int>(std::round(kFontCssPixels * ratio_));
  int meta[7] = {};
  std::string text = clusters_.text_of(code);
  bitmap.rgba.resize(static_cast<std::size_t>(font_px * font_px) * 16);
  int needed = js_rasterise(text.c_str(), font_px, meta, bitmap.rgba.data(),
                            static_cast<int>(bitmap.rgba.size()));
  if (needed > static_cast<int>(bitmap.rgba.size())) {
    bitmap.rgba.resize(static_cast<std::size_t>(needed));
    js_rasterise(text.c_str(), font_px, meta, bitmap.rgba.data(), needed);
  }
  if (meta[6] != 0) {  // no font has it: show the replacement character, and say so
    missing_.push_back(text);
    Bitmap replacement = rasterise(0xFFFD);
    replacement.code = code;
    return replacement;
  }
  bitmap.width = std::max(1, meta[0]);
  bitmap.height = std::max(1, meta[1]);
  bitmap.rgba.resize(static_cast<std::size_t>(bitmap.width * bitmap.height) * 4);
  bitmap.advance = static_cast<float>(meta[2]) / 64.0f;
  bitmap.x = static_cast<float>(meta[3]);
  bitmap.y = std::round(line_pixels() * kBaselineOfLine) + static_cast<float>(meta[4]);
  bitmap.colored = meta[5] != 0;
  return bitmap;
}

// ImGui packs the rectangles (its own default font gives the ImFont and the white pixel); the
// pixels are then copied into the RGBA texture it hands to the renderer.
void GlyphAtlas::rebuild() {
  ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  atlas.Clear();
  ImFontConfig config;
  config.SizePixels = line_pixels();
  ImFont* font = atlas.AddFontDefault(&config);
  std::vector<int> rects;
  rects.reserve(bitmaps_.size());
  for (const auto& b : bitmaps_) {
    rects.push_back(atlas.AddCustomRectFontGlyph(font, static_cast<ImWchar>(b.code), b.width,
                                                 b.height, b.advance, ImVec2(b.x, b.y)));
  }
  atlas.Build();
  unsigned char* pixels = nullptr;
  atlas.GetTexDataAsRGBA32(&pixels, &texture_width_, &texture_height_);
  for (std::size_t i = 0; i < bitmaps_.size(); ++i) {
    const Bitmap& b = bitmaps_[i];
    const ImFontAtlasCustomRect* rect = atlas.GetCustomRectByIndex(rects[i]);
    for (int row = 0; row < b.height; ++row) {
      std::memcpy(pixels + (static_cast<std::size_t>(rect->Y + row) * texture_width_ + rect->X) * 4,
                  b.rgba.data() + static_cast<std::size_t>(row * b.width) * 4,
                  static_cast<std::size_t>(b.width) * 4);
    }
    if (b.colored) const_cast<ImFontGlyph*>(font->FindGlyph(static_cast<ImWchar>(b.code)))->Colored = 1;
  }
}

}  // namespace chat::client::ui
