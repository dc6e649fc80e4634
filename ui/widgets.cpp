#include "widgets.h"

#include <imgui_internal.h>  // the current window's scroll range, for the text record

#include <algorithm>
#include <vector>

namespace lapor::ui {
namespace {

ImU32 col(ImVec4 c) { return ImGui::ColorConvertFloat4ToU32(c); }

// Square corners: SDL's software renderer draws an axis-aligned quad as a fast rectangle fill,
// while a rounded shape is a fan of triangles rasterised pixel by pixel (several times slower).
constexpr float corner = 0.0f;

// Lines of `t` wrapped at `wrap` (byte ranges), breaking at '\n' too.
struct Line {
    const char* b;
    const char* e;
};
std::vector<Line> wrap_lines(ImFont* font, const char* b, const char* e, float wrap) {
    std::vector<Line> lines;
    const float size = font->FontSize;
    const char* s = b;
    while (s < e) {
        const char* nl = std::find(s, e, '\n');
        const char* seg_end = nl;
        if (wrap > 0) {
            const char* w = font->CalcWordWrapPositionA(1.0f, s, seg_end, wrap);
            if (w == s && s < seg_end) w = s + 1;  // always make progress
            if (w < seg_end) {
                lines.push_back({s, w});
                s = w;
                while (s < seg_end && *s == ' ') ++s;
                continue;
            }
        }
        (void)size;
        lines.push_back({s, seg_end});
        s = seg_end;
        if (s < e && *s == '\n') {
            ++s;
            if (s == e) lines.push_back({e, e});
        }
    }
    if (lines.empty()) lines.push_back({b, b});
    return lines;
}

// A press that moved further than the drag threshold was a scroll, not a tap (as on phones): the
// list moved with the finger, so the row under it at release is not what the person chose.
bool released_as_tap(bool released) {
    if (!released) return false;
    const ImGuiIO& io = ImGui::GetIO();
    return io.MouseDragMaxDistanceSqr[0] <= io.MouseDragThreshold * io.MouseDragThreshold;
}

}  // namespace

ImVec2 text_size(ImFont* font, std::string_view t, float wrap) {
    return font->CalcTextSizeA(font->FontSize, FLT_MAX, wrap, t.data(), t.data() + t.size());
}

void Painter::note(std::string_view id, ImVec2 pos, ImVec2 size) {
    Rect r{pos.x, pos.y, size.x, size.y};
    // A target partly inside a scrolling list records its visible part; one entirely outside
    // keeps its full rectangle (tests see where it is: below the list).
    // Only a list's clip rectangle counts: a target running off the screen itself is a layout
    // fault that tests must see with its full rectangle.
    const ImVec2 lo = ImGui::GetWindowDrawList()->GetClipRectMin();
    const ImVec2 hi = ImGui::GetWindowDrawList()->GetClipRectMax();
    const ImVec2 ds = ImGui::GetIO().DisplaySize;
    const bool in_list = lo.x > 0.5f || lo.y > 0.5f || hi.x < ds.x - 0.5f || hi.y < ds.y - 0.5f;
    const float x0 = std::max(pos.x, lo.x), y0 = std::max(pos.y, lo.y);
    const float x1 = std::min(pos.x + size.x, hi.x), y1 = std::min(pos.y + size.y, hi.y);
    if (in_list && size.x > 0 && size.y > 0 && x1 > x0 && y1 > y0 &&
        (x0 > pos.x || y0 > pos.y || x1 < pos.x + size.x || y1 < pos.y + size.y))
        r = Rect{x0, y0, x1 - x0, y1 - y0, true};
    // Hidden: entirely scrolled out of its list.
    if (in_list && size.x > 0 && size.y > 0 && (x1 <= x0 || y1 <= y0)) r.hidden = true;
    record.insert_or_assign(std::string(id), r);
}

void Painter::cover() {
    for (auto& [id, r] : record) r.hidden = true;
    if (texts)
        for (auto& t : *texts) t.covered = true;
}

void Painter::record_text(ImFont* font, ImVec2 pos, ImVec2 size, std::string_view t,
                          std::string_view owner) {
    if (!texts || size.x <= 0 || size.y <= 0) return;
    TextItem it;
    it.rect = Rect{pos.x, pos.y, size.x, size.y};
    const ImVec2 lo = ImGui::GetWindowDrawList()->GetClipRectMin();
    const ImVec2 hi = ImGui::GetWindowDrawList()->GetClipRectMax();
    it.clip = Rect{lo.x, lo.y, hi.x - lo.x, hi.y - lo.y};
    const ImGuiWindow* w = ImGui::GetCurrentWindowRead();
    if (!panels.empty()) {
        it.panel = panels.back();
    } else if (w->Flags & ImGuiWindowFlags_ChildWindow) {
        // A list: its width, and as far up and down as scrolling can bring into view.
        it.panel = Rect{w->Pos.x, w->Pos.y - w->Scroll.y, w->Size.x, w->Size.y + w->ScrollMax.y};
        it.in_list = true;
    } else {
        it.panel = Rect{w->Pos.x, w->Pos.y, w->Size.x, w->Size.y};
    }
    it.owner = owner;
    it.excerpt = t.substr(0, 48);
    it.font_px = font->FontSize;
    texts->push_back(std::move(it));
}

void Painter::draw_text(ImFont* font, ImVec2 pos, ImVec4 color, std::string_view t, float wrap,
                        std::string_view owner) {
    ImGui::GetWindowDrawList()->AddText(font, font->FontSize, pos, col(color), t.data(),
                                        t.data() + t.size(), wrap);
    record_text(font, pos, text_size(font, t, wrap), t, owner);
}

void Painter::label_last(std::string_view id, std::string_view label, bool selected) {
    if (auto it = record.find(id); it != record.end()) {
        it->second.label = label;
        it->second.selected = selected;
    }
}

bool Painter::button(std::string_view id, std::string_view label, ImVec2 size, ButtonKind kind,
                     bool* held, ImFont* font) {
    size.x = std::max(size.x, target_px);
    size.y = std::max(size.y, target_px);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::PushID(id.data(), id.data() + id.size());
    const bool pressed = released_as_tap(ImGui::InvisibleButton("b", size));
    const bool active = ImGui::IsItemActive();
    ImGui::PopID();
    if (held) *held = active;
    note(id, pos, size);
    label_last(id, label, kind == ButtonKind::selected);
    ImVec4 bg = pal.button, fg = pal.button_text;
    switch (kind) {
        case ButtonKind::normal: bg = active ? pal.button_pressed : pal.button; break;
        case ButtonKind::primary:
            bg = active ? pal.primary_pressed : pal.primary;
            fg = pal.primary_text;
            break;
        case ButtonKind::selected:
            bg = active ? pal.primary_pressed : pal.selected;
            fg = active ? pal.primary_text : pal.selected_text;
            break;
        case ButtonKind::quiet:
            bg = active ? pal.button_pressed : pal.bg;
            fg = pal.text;
            break;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 end{pos.x + size.x, pos.y + size.y};
    dl->AddRectFilled(pos, end, col(bg), corner);
    dl->AddRect(pos, end, col(pal.field_border), corner, 0, active ? 4.0f : 2.0f);
    ImFont* f = font ? font : fonts.body;
    const ImVec2 ts = text_size(f, label, size.x - 16 * s);
    const ImVec2 tp{pos.x + std::max(8 * s, (size.x - ts.x) / 2),
                    pos.y + std::max(4 * s, (size.y - ts.y) / 2)};
    draw_text(f, tp, fg, label, size.x - 16 * s, id);
    ImGui::SetCursorScreenPos(ImVec2(pos.x, ImGui::GetCursorScreenPos().y));
    return pressed;
}

bool Painter::tile(std::string_view id, std::string_view title, std::string_view explain,
                   ImVec2 size, bool selected) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::PushID(id.data(), id.data() + id.size());
    const bool pressed = released_as_tap(ImGui::InvisibleButton("t", size));
    const bool active = ImGui::IsItemActive();
    ImGui::PopID();
    note(id, pos, size);
    label_last(id, title, selected);
    ImVec4 bg = selected ? pal.selected : pal.panel;
    ImVec4 fg = selected ? pal.selected_text : pal.panel_text;
    if (active) {
        bg = pal.primary_pressed;
        fg = pal.primary_text;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 end{pos.x + size.x, pos.y + size.y};
    dl->AddRectFilled(pos, end, col(bg), corner);
    dl->AddRect(pos, end, col(pal.field_border), corner, 0, selected || active ? 5.0f : 2.0f);
    const float pad = 20 * s;
    const float wrap = size.x - 2 * pad;
    draw_text(fonts.heading, ImVec2(pos.x + pad, pos.y + pad), fg, title, wrap, id);
    const float th = text_size(fonts.heading, title, wrap).y;
    draw_text(fonts.body, ImVec2(pos.x + pad, pos.y + pad + th + 8 * s), fg, explain, wrap, id);
    ImGui::SetCursorScreenPos(ImVec2(pos.x, ImGui::GetCursorScreenPos().y));
    return pressed;
}

bool Painter::field(std::string_view id, const std::string& value, std::size_t cursor, bool focused,
                    bool multiline, ImVec2 size, bool masked) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    ImGui::PushID(id.data(), id.data() + id.size());
    const bool pressed = released_as_tap(ImGui::InvisibleButton("f", size));
    ImGui::PopID();
    note(id, pos, size);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 end{pos.x + size.x, pos.y + size.y};
    dl->AddRectFilled(pos, end, col(pal.field), corner);
    dl->AddRect(pos, end, col(focused ? pal.primary : pal.field_border), corner, 0,
                focused ? 5.0f : 2.0f);
    const float pad = 14 * s;
    ImFont* f = fonts.body;
    const float lh = f->FontSize * 1.15f;
    const float wrap = multiline ? size.x - 2 * pad : 0;
    std::string stars;
    const char* b = value.data();
    const char* e = value.data() + value.size();
    if (masked) {
        stars.assign(value.size(), '*');
        b = stars.data();
        e = stars.data() + stars.size();
    }
    const auto lines = wrap_lines(f, b, e, wrap);
    const char* cur = b + std::min(cursor, value.size());
    // Which line holds the cursor, so that line stays in view.
    std::size_t cur_line = lines.size() - 1;
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (cur >= lines[i].b &&
            (cur < lines[i].e ||
             (cur == lines[i].e && (i + 1 == lines.size() || lines[i + 1].b != cur)))) {
            cur_line = i;
            break;
        }
    const auto visible = static_cast<std::size_t>(std::max(1.0f, (size.y - 2 * pad) / lh));
    const std::size_t first = cur_line >= visible ? cur_line - visible + 1 : 0;
    dl->PushClipRect(pos, end, true);
    float x_shift = 0;
    if (!multiline) {  // one line: scroll sideways to keep the cursor in view
        const float cx = text_size(f, std::string_view(b, static_cast<std::size_t>(cur - b))).x;
        x_shift = std::max(0.0f, cx - (size.x - 2 * pad - 10 * s));
    }
    for (std::size_t i = first; i < lines.size() && i < first + visible; ++i) {
        const ImVec2 lp{pos.x + pad - x_shift, pos.y + pad + static_cast<float>(i - first) * lh};
        dl->AddText(f, f->FontSize, lp, col(pal.field_text), lines[i].b, lines[i].e);
        // A line is laid out to the field's inner width (a long one scrolls sideways, by
        // design); what the checks must see is whether a line fits the field's height. The
        // citizen's words are not copied into the record.
        record_text(
            f, ImVec2(pos.x + pad, lp.y),
            ImVec2(std::min(text_size(f, std::string_view(lines[i].b, static_cast<std::size_t>(
                                                                          lines[i].e - lines[i].b)))
                                .x,
                            size.x - 2 * pad),
                   f->FontSize),
            "(field text)", id);
        if (focused && i == cur_line) {
            const float cx =
                text_size(f,
                          std::string_view(lines[i].b, static_cast<std::size_t>(cur - lines[i].b)))
                    .x;
            dl->AddRectFilled(ImVec2(lp.x + cx, lp.y),
                              ImVec2(lp.x + cx + 3 * s, lp.y + f->FontSize), col(pal.field_text));
        }
    }
    dl->PopClipRect();
    if (masked) std::fill(stars.begin(), stars.end(), '\0');
    ImGui::SetCursorScreenPos(ImVec2(pos.x, ImGui::GetCursorScreenPos().y));
    return pressed;
}

void Painter::text(std::string_view t, ImVec4 color, ImFont* font, float wrap_width,
                   std::string_view owner) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float x0 = at.x;
    ImGui::PushFont(font ? font : fonts.body);
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    if (wrap_width > 0)
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap_width);
    else
        ImGui::PushTextWrapPos(0.0f);
    if (texts) {  // as ImGui lays it out: wrapped at the wrap position, or at the window's edge
        const float wrap =
            ImGui::CalcWrapWidthForPos(at, ImGui::GetCurrentWindowRead()->DC.TextWrapPos);
        record_text(ImGui::GetFont(), at,
                    ImGui::CalcTextSize(t.data(), t.data() + t.size(), false, wrap), t, owner);
    }
    ImGui::TextUnformatted(t.data(), t.data() + t.size());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ImGui::SetCursorScreenPos(ImVec2(x0, ImGui::GetCursorScreenPos().y));
}

void Painter::gap(float h) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(1, h));
    ImGui::SetCursorScreenPos(ImVec2(at.x, ImGui::GetCursorScreenPos().y));
}

void Painter::banner(std::string_view t, float width) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float pad = 14 * s;
    const ImVec2 ts = text_size(fonts.body, t, width - 2 * pad);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + ts.y + 2 * pad), col(pal.warn_bg), corner);
    panels.push_back(Rect{pos.x, pos.y, width, ts.y + 2 * pad});
    draw_text(fonts.body, ImVec2(pos.x + pad, pos.y + pad), pal.warn_text, t, width - 2 * pad, {});
    panels.pop_back();
    ImGui::Dummy(ImVec2(width, ts.y + 2 * pad));
    ImGui::SetCursorScreenPos(ImVec2(pos.x, ImGui::GetCursorScreenPos().y));
}

const Key* Painter::keyboard(const Keyboard& kb, ImVec2 pos, ImVec2 size, bool* backspace_held,
                             bool* backspace_pressed_now, const KeyLabels* labels) {
    static thread_local std::vector<std::vector<Key>> rows;
    rows = kb.rows();
    const Key* pressed = nullptr;
    *backspace_held = false;
    *backspace_pressed_now = false;
    const float gap = 8 * s;
    const bool pad_layout = kb.page() == KeyboardPage::numeric || kb.page() == KeyboardPage::phone;
    const float kb_w = pad_layout ? std::min(size.x, 620 * s) : size.x;
    const float x0 = pos.x + (size.x - kb_w) / 2;
    const float row_h =
        (size.y - gap * static_cast<float>(rows.size() + 1)) / static_cast<float>(rows.size());
    float y = pos.y + gap;
    for (const auto& row : rows) {
        float units = 0;
        for (const auto& k : row) units += k.width;
        const float unit_w = (kb_w - 2 * gap - gap * static_cast<float>(row.size() - 1)) /
                             std::max(units, pad_layout ? 3.0f : 11.0f);
        const float row_w = unit_w * units + gap * static_cast<float>(row.size() - 1);
        float x = x0 + (kb_w - row_w) / 2;
        for (const auto& k : row) {
            const float w = unit_w * k.width;
            ImGui::SetCursorScreenPos(ImVec2(x, y));
            const bool toggled =
                (k.kind == KeyKind::shift && kb.shift()) || (k.kind == KeyKind::caps && kb.caps());
            bool held = false;
            const auto relabel = labels ? labels->find(k.kind) : KeyLabels::const_iterator{};
            const std::string& label =
                labels && relabel != labels->end() ? relabel->second : k.label;
            // A long label ("Huruf besar" at 150 %) takes the small font rather than spill.
            const float inner = w - 16 * s;
            const ImVec2 body_size = text_size(fonts.body, label, inner);
            ImFont* f =
                body_size.x <= inner && body_size.y <= row_h - 8 * s ? fonts.body : fonts.small;
            const bool hit = button(k.id, label, ImVec2(w, row_h),
                                    toggled ? ButtonKind::selected : ButtonKind::normal, &held, f);
            if (k.kind == KeyKind::backspace) {
                *backspace_held = held;
                *backspace_pressed_now = ImGui::IsItemActivated();
            } else if (hit) {
                pressed = &k;
            }
            x += w + gap;
        }
        y += row_h + gap;
    }
    return pressed;
}

}  // namespace lapor::ui
