#include "common.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "i18n_marker.h"

namespace lapor::ui::screens {

const char* const month_ids[12] = {N_("ui.month.1"),  N_("ui.month.2"),  N_("ui.month.3"),
                                   N_("ui.month.4"),  N_("ui.month.5"),  N_("ui.month.6"),
                                   N_("ui.month.7"),  N_("ui.month.8"),  N_("ui.month.9"),
                                   N_("ui.month.10"), N_("ui.month.11"), N_("ui.month.12")};

Layout layout(const Painter& p, const View& v, float top) {
    Layout l;
    l.s = p.s;
    l.margin = 40 * p.s;
    l.content_w = v.display.x - 2 * l.margin;
    l.top = top;
    l.bottom = v.display.y - std::max(v.target_px, v.fonts.body->FontSize + 44 * p.s) - 36 * p.s;
    return l;
}

void drag_scroll() {
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
        ImGui::IsMouseDragging(0))
        ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
}

bool more_below() { return ImGui::GetScrollY() + 1 < ImGui::GetScrollMaxY(); }

void scroll_hint(Painter& p, const View& v) {
    const float s = p.s;
    const std::string hint = v.tr(N_("ui.scroll_hint"));
    const float bb = std::max(v.target_px, v.fonts.body->FontSize + 44 * s);
    // Between the bottom bar's Kembali (260) and Lanjut (300; the review's Kirim is 340).
    const float x0 = 24 * s + 260 * s + 20 * s, x1 = v.display.x - 24 * s - 340 * s - 20 * s;
    const ImVec2 ts = text_size(v.fonts.small, hint, x1 - x0);
    ImGui::SetCursorScreenPos(ImVec2(x0 + std::max(0.0f, (x1 - x0 - ts.x) / 2),
                                     v.display.y - 18 * s - bb / 2 - ts.y / 2));
    p.text(hint, p.pal.text, v.fonts.small, x1 - x0);
    p.record.insert_or_assign("scroll_hint", Rect{});
}

float problem_height(const Painter& p, const View& v, Field f, float width) {
    const auto& edited = v.ui.edited_since_check;
    if (std::find(edited.begin(), edited.end(), f) != edited.end()) return 0;
    for (const auto& pr : v.flow->problems())
        if (pr.field == f)
            return text_size(v.fonts.body, "\xE2\x80\xA2 " + v.tr(pr.msgid), width).y +
                   ImGui::GetStyle().ItemSpacing.y;
    (void)p;
    return 0;
}

float toggle_button_width(const Painter& p, std::string_view label) {
    return std::max(p.target_px * 1.6f, text_size(p.fonts.body, label).x + 36 * p.s);
}

std::string toggle_label(const LanguageFile& l) {
    std::string up = l.code;
    for (char& c : up) c = static_cast<char>(c - 'a' + 'A');  // codes are a-z (languages.h)
    return up;
}

float language_toggle_width(const Painter& p, const View& v) {
    float w = 0;
    for (const auto& l : v.offered()) w += toggle_button_width(p, toggle_label(l)) + 10 * p.s;
    return w - 10 * p.s;
}

std::optional<Language> language_toggle(Painter& p, const View& v, ImVec2 pos, float bh) {
    std::optional<Language> chosen;
    float x = pos.x;
    for (const auto& l : v.offered()) {
        const std::string label = toggle_label(l);
        const float w = toggle_button_width(p, label);
        ImGui::SetCursorScreenPos(ImVec2(x, pos.y));
        if (p.button("lang:" + l.code, label, ImVec2(w, bh),
                     v.lang.code() == l.code ? ButtonKind::selected : ButtonKind::normal))
            chosen = Language(l.code);
        x += w + 10 * p.s;
    }
    return chosen;
}

// The bar keeps its places at every text size: widths are measured as at 150 % (text width grows
// with the font), so a repeated tap lands on the same button after "Ukuran huruf". Batal sits
// alone on the left, away from the settings; the top-right corner stays free for staff mode.
float top_bar(Painter& p, const View& v, const std::string& title, Actions& out, bool cancel) {
    const float w = v.display.x;
    const float ls = v.layout_scale;
    const float gap = 12 * ls;
    ImFont* f = v.fonts.bar;  // one size at every text size: the bar never moves
    const float bh = std::max(v.target_px, f->FontSize + 24 * ls);
    auto width_of = [&](const std::string& label) {
        return std::max(v.target_px * 1.6f, text_size(f, label).x + 32 * ls);
    };
    const float y = 12 * ls;
    float x_left = 24 * ls;
    if (cancel) {
        const std::string label = v.tr(N_("ui.cancel"));
        ImGui::SetCursorScreenPos(ImVec2(x_left, y));
        if (p.button("cancel", label, ImVec2(width_of(label), bh), ButtonKind::normal, nullptr, f))
            out.push_back(act::AskCancel{});
        x_left += width_of(label) + gap;
    }
    const std::string help = v.tr(N_("ui.help"));
    const std::string speak = v.tr(N_("ui.speak"));
    const std::string size_label =
        format(v.tr(N_("ui.textsize")), {{"n", std::to_string(100 + 25 * v.ui.text_step)}});
    const std::string size_widest = format(v.tr(N_("ui.textsize")), {{"n", "150"}});
    const std::string contrast = v.tr(N_("ui.contrast"));
    float lang_w = -8 * ls;
    for (const auto& l : v.offered()) lang_w += width_of(toggle_label(l)) + 8 * ls;
    const float total = width_of(speak) + width_of(help) + lang_w + width_of(size_widest) +
                        width_of(contrast) + 4 * gap;
    float x = w - v.corner() - total;
    // The speaker button: this screen said aloud (ui/app_voice.cpp).
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (p.button("speak", speak, ImVec2(width_of(speak), bh), ButtonKind::normal, nullptr, f))
        out.push_back(act::Speak{});
    x += width_of(speak) + gap;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (p.button("help", help, ImVec2(width_of(help), bh), ButtonKind::normal, nullptr, f))
        out.push_back(act::Help{true});
    x += width_of(help) + gap;
    for (const auto& l : v.offered()) {
        const std::string label = toggle_label(l);
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        if (p.button("lang:" + l.code, label, ImVec2(width_of(label), bh),
                     v.lang.code() == l.code ? ButtonKind::selected : ButtonKind::normal, nullptr,
                     f))
            out.push_back(intent::ChooseLanguage{Language(l.code)});
        x += width_of(label) + 8 * ls;
    }
    x += gap - 8 * ls;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (p.button("textsize", size_label, ImVec2(width_of(size_widest), bh), ButtonKind::normal,
                 nullptr, f))
        out.push_back(act::CycleTextSize{});
    x += width_of(size_widest) + gap;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (p.button("contrast", contrast, ImVec2(width_of(contrast), bh), ButtonKind::normal, nullptr,
                 f))
        out.push_back(act::ToggleContrast{});
    // Below the bar: the step ("Langkah 3 dari 7") and the title.
    float ty = y + bh + 10 * ls;
    ImGui::SetCursorScreenPos(ImVec2(24 * ls, ty));
    if (v.flow && v.flow->step()) {
        const std::string step = format(
            v.tr(N_("ui.step")),
            {{"n", std::to_string(*v.flow->step())}, {"total", std::to_string(Flow::step_count)}});
        p.text(step, p.pal.muted, v.fonts.small, w - 48 * ls);
        p.record.insert_or_assign(
            "step:" + std::to_string(*v.flow->step()) + "/" + std::to_string(Flow::step_count),
            Rect{});
    }
    p.text(title, p.pal.text, v.fonts.heading, w - 48 * ls);
    return ImGui::GetCursorScreenPos().y + 8 * ls;
}

void bottom_bar(Painter& p, const View& v, bool back, bool next, Actions& out,
                const char* next_label) {
    const ImVec2 d = v.display;
    const float s = p.s;
    const float bh = std::max(v.target_px, v.fonts.body->FontSize + 44 * s);
    const float y = d.y - bh - 18 * s;
    if (back) {
        ImGui::SetCursorScreenPos(ImVec2(24 * s, y));
        if (p.button("back", "\xE2\x80\xB9  " + v.tr(N_("ui.back")), ImVec2(260 * s, bh)))
            out.push_back(intent::Back{});
    }
    if (next) {
        ImGui::SetCursorScreenPos(ImVec2(d.x - 24 * s - 300 * s, y));
        const std::string label = v.tr(next_label ? next_label : N_("ui.next")) + "  \xE2\x80\xBA";
        if (p.button("next", label, ImVec2(300 * s, bh), ButtonKind::primary))
            out.push_back(intent::Next{});
    }
}

void problem_for(Painter& p, const View& v, Field f, float width) {
    const auto& edited = v.ui.edited_since_check;
    if (std::find(edited.begin(), edited.end(), f) != edited.end()) return;
    for (const auto& pr : v.flow->problems())
        if (pr.field == f) {
            p.text("\xE2\x80\xA2 " + v.tr(pr.msgid), p.pal.error, v.fonts.body, width);
            p.record.insert_or_assign("problem:" + std::string(to_string(f)), Rect{});
            return;
        }
}

void field_label(Painter& p, const View& v, const std::string& field_id, const std::string& label,
                 float width, Input in, Actions& out) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float h = std::max(v.target_px, text_size(v.fonts.body, label, width).y);
    const float th = text_size(v.fonts.body, label, width).y;
    ImGui::SetCursorScreenPos(ImVec2(at.x, at.y + h - th));  // the words sit on the field
    const std::string id = "label:" + field_id;
    p.text(label, p.pal.text, v.fonts.body, width, id);
    ImGui::SetCursorScreenPos(at);
    ImGui::PushID(id.c_str());
    const bool tapped = ImGui::InvisibleButton("l", ImVec2(width, h));
    const bool still = ImGui::GetIO().MouseDragMaxDistanceSqr[0] <=
                       ImGui::GetIO().MouseDragThreshold * ImGui::GetIO().MouseDragThreshold;
    ImGui::PopID();
    p.note(id, at, ImVec2(width, h));
    if (tapped && still) out.push_back(act::Focus{in});
    ImGui::SetCursorScreenPos(ImVec2(at.x, at.y + h));
}

void keyboard(Painter& p, const View& v, float top, Actions& out) {
    bool held = false, now = false;
    // The special keys in the citizen's language (letters and digits need none).
    const KeyLabels labels{{KeyKind::backspace, v.tr(N_("ui.key.backspace"))},
                           {KeyKind::space, v.tr(N_("ui.key.space"))},
                           {KeyKind::newline, v.tr(N_("ui.key.newline"))},
                           {KeyKind::shift, v.tr(N_("ui.key.shift"))},
                           {KeyKind::caps, v.tr(N_("ui.key.caps"))}};
    const Key* k = p.keyboard(v.ui.keyboard, ImVec2(0, top), ImVec2(v.display.x, v.display.y - top),
                              &held, &now, &labels);
    out.push_back(act::Backspace{held, now});
    if (k) out.push_back(act::KeyPressed{*k});
}

float staff_bar(Painter& p, const View& v, Actions& out) {
    const float s = p.s;
    const float bh = std::max(v.target_px, 64 * s);
    struct Tab {
        const char* id;
        const char* label;
        StaffScreen screen;
    };
    const Tab tabs[] = {
        {"staff:verify", N_("ui.staff.verify"), StaffScreen::verify},
        {"staff:queue", N_("ui.staff.queue"), StaffScreen::queue},
        {"staff:printer", N_("ui.staff.printer"), StaffScreen::printer},
        {"staff:diagnostics", N_("ui.staff.diagnostics"), StaffScreen::diagnostics}};
    const float toggle_w = language_toggle_width(p, v);
    const float tab_w = (v.display.x - 2 * 16 * s - v.corner() - toggle_w - 6 * 10 * s) / 5;
    float x = 16 * s;
    for (const auto& t : tabs) {
        ImGui::SetCursorScreenPos(ImVec2(x, 16 * s));
        if (p.button(t.id, v.tr(t.label), ImVec2(tab_w, bh),
                     v.staff->screen() == t.screen ? ButtonKind::selected : ButtonKind::normal))
            out.push_back(act::StaffGo{t.screen});
        x += tab_w + 10 * s;
    }
    ImGui::SetCursorScreenPos(ImVec2(x, 16 * s));
    if (p.button("staff:exit", v.tr(N_("ui.staff.exit")), ImVec2(tab_w, bh), ButtonKind::primary))
        out.push_back(act::StaffExit{"exit button"});
    x += tab_w + 10 * s;
    if (auto l = language_toggle(p, v, ImVec2(x, 16 * s), bh))
        out.push_back(act::StaffLanguage{*l});
    return 16 * s + bh + 30 * s;
}

void staff_line(Painter& p, const std::string& t, ImVec4 color, ImFont* font, float w) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    p.text(t, color, font, w);
    p.note("text:" + t, at, ImVec2(w, ImGui::GetCursorScreenPos().y - at.y));
}

std::string staff_text(const View& v, const StaffMessage& m) {
    if (m.empty()) return "";
    std::string t = format(v.tr(m.msgid.c_str()), m.args);
    if (!m.prefix_msgid.empty()) t = v.tr(m.prefix_msgid.c_str()) + ": " + t;
    return t + m.suffix;
}

std::string office_time(const View& v, std::int64_t unix_s) {
    const TimeZone tz =
        v.config ? v.config->time_zone() : TimeZone{"Asia/Jakarta", "WIB", 7 * 3600};
    char buf[64];
    const std::time_t t = static_cast<std::time_t>(unix_s + tz.utc_offset_s);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return std::string(buf) + " " + std::string(tz.abbr);
}

}  // namespace lapor::ui::screens
