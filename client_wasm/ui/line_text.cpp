// The layout follows ImFont::CalcTextSizeA (ImGui 1.86) step by step, so that a line is as tall
// as ImGui::CalcTextSize says and wraps where TextUnformatted would wrap it.
#include "ui/line_text.hpp"

#include <algorithm>
#include <cmath>

#include "imgui_internal.h"  // ImTextCharFromUtf8, as CalcTextSizeA decodes

namespace chat::client::ui {
namespace {

const ImU32 kLinkColour = IM_COL32(120, 170, 255, 255);
const ImU32 kSelectionColour = IM_COL32(90, 130, 230, 110);

bool is_link(const std::vector<LinkSpan>& links, std::size_t begin) {
  return std::any_of(links.begin(), links.end(),
                     [begin](const LinkSpan& l) { return begin >= l.begin && begin < l.end; });
}

}  // namespace

LineText::LineText(std::vector<ShownCluster> clusters, float wrap_width)
    : clusters_(std::move(clusters)), placed_(clusters_.size()) {
  for (std::size_t i = 0; i < clusters_.size(); ++i) {
    placed_[i].shown_at = shown_.size();
    shown_ += clusters_[i].code;
  }
  const ImFont* font = ImGui::GetFont();
  const float font_size = ImGui::GetFontSize();
  const float scale = font_size / font->FontSize;
  line_height_ = font_size;
  const char* const begin = shown_.data();
  const char* const end = begin + shown_.size();
  const char* s = begin;
  const char* wrap_end = nullptr;  // where the current row must wrap
  std::size_t index = 0;           // the cluster at s: one code point each
  int row = 0;
  float x = 0;
  float widest = 0;
  while (s < end && index < clusters_.size()) {
    if (wrap_width > 0) {
      if (wrap_end == nullptr) {
        wrap_end = font->CalcWordWrapPositionA(scale, s, end, wrap_width - x);
        if (wrap_end == s) ++wrap_end;  // nothing fits: one character anyway, as ImGui does
      }
      if (s >= wrap_end) {
        widest = std::max(widest, x);
        wrap_end = nullptr;
        // Wrapping skips the blanks (and one line break) that follow; they stay on the row above.
        while (s < end && index < clusters_.size() && (*s == ' ' || *s == '\t' || *s == '\n')) {
          const bool line_break = *s == '\n';
          place(index++, row, x, 0, true);
          ++s;
          if (line_break) break;
        }
        ++row;
        x = 0;
        continue;
      }
    }
    unsigned int c = static_cast<unsigned char>(*s);
    if (c < 0x80) {
      s += 1;
    } else {
      s += ImTextCharFromUtf8(&c, s, end);
      if (c == 0) break;
    }
    if (c == '\n' || c == '\r') {
      place(index++, row, x, 0, true);
      if (c == '\n') {
        widest = std::max(widest, x);
        ++row;
        x = 0;
      }
      continue;
    }
    const float width = font->GetCharAdvance(static_cast<ImWchar>(c)) * scale;
    place(index++, row, x, width, false);
    x += width;
  }
  widest = std::max(widest, x);
  rows_ = row + ((x > 0 || row == 0) ? 1 : 0);
  size_ = ImVec2(std::floor(widest + 0.99999f), static_cast<float>(rows_) * line_height_);
}

void LineText::place(std::size_t index, int row, float x, float width, bool control) {
  Placed& p = placed_[index];
  p.row = row;
  p.x = x;
  p.width = width;
  p.control = control;
}

void LineText::draw(ImDrawList* draw_list, ImVec2 origin, ImU32 text_colour,
                    const std::vector<LinkSpan>& links,
                    std::pair<std::size_t, std::size_t> selected) const {
  const ImFont* font = ImGui::GetFont();
  const float font_size = ImGui::GetFontSize();
  for (std::size_t i = 0; i < clusters_.size(); ++i) {
    const Placed& p = placed_[i];
    if (clusters_[i].begin >= selected.first && clusters_[i].end <= selected.second && p.width > 0) {
      const ImVec2 top(origin.x + p.x, origin.y + static_cast<float>(p.row) * line_height_);
      draw_list->AddRectFilled(top, ImVec2(top.x + p.width, top.y + line_height_), kSelectionColour);
    }
  }
  // Runs of clusters on one row in one colour, each drawn by one AddText.
  std::size_t i = 0;
  while (i < clusters_.size()) {
    if (placed_[i].control) {
      ++i;
      continue;
    }
    const bool link = is_link(links, clusters_[i].begin);
    std::size_t j = i + 1;
    while (j < clusters_.size() && !placed_[j].control && placed_[j].row == placed_[i].row &&
           is_link(links, clusters_[j].begin) == link) {
      ++j;
    }
    const Placed& first = placed_[i];
    const Placed& last = placed_[j - 1];
    const ImVec2 at(origin.x + first.x, origin.y + static_cast<float>(first.row) * line_height_);
    const char* text = shown_.data() + first.shown_at;
    const char* text_end = shown_.data() + (j < clusters_.size() ? placed_[j].shown_at : shown_.size());
    draw_list->AddText(font, font_size, at, link ? kLinkColour : text_colour, text, text_end);
    if (link) {
      const float underline = at.y + line_height_ - 1;
      draw_list->AddLine(ImVec2(at.x, underline), ImVec2(origin.x + last.x + last.width, underline), kLinkColour);
    }
    i = j;
  }
}

std::size_t LineText::offset_at(ImVec2 point) const {
  if (clusters_.empty() || point.y < 0) return 0;
  std::size_t text_end = 0;
  for (const auto& cluster : clusters_) text_end = std::max(text_end, cluster.end);
  if (point.y >= size_.y) return text_end;
  const int row = static_cast<int>(point.y / line_height_);
  std::size_t row_end = 0;
  bool on_row = false;
  for (std::size_t i = 0; i < clusters_.size(); ++i) {
    const Placed& p = placed_[i];
    if (p.row != row) continue;
    if (!p.control && point.x < p.x + p.width / 2) return clusters_[i].begin;
    row_end = on_row ? std::max(row_end, clusters_[i].end) : clusters_[i].end;
    on_row = true;
  }
  return on_row ? row_end : text_end;
}

std::pair<ImVec2, ImVec2> LineText::first_row_of(std::size_t begin, std::size_t end) const {
  int row = -1;
  ImVec2 min(0, 0);
  ImVec2 max(0, 0);
  for (std::size_t i = 0; i < clusters_.size(); ++i) {
    const Placed& p = placed_[i];
    if (clusters_[i].begin < begin || clusters_[i].end > end || p.control) continue;
    if (row < 0) {
      row = p.row;
      min = ImVec2(p.x, static_cast<float>(row) * line_height_);
      max = ImVec2(p.x + p.width, min.y + line_height_);
    } else if (p.row == row) {
      min.x = std::min(min.x, p.x);
      max.x = std::max(max.x, p.x + p.width);
    }
  }
  return {min, max};
}

}  // namespace chat::client::ui
