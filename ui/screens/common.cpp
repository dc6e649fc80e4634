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

float toggle_button_width(const Painter& p, std::string_view label) {
    return std::max(p.target_px * 1.6f, text_size(p.fonts.body, label).x + 36 * p.s);
}

float language_toggle_width(const Painter& p) {
    return toggle_button_width(p, "ID") + 10 * p.s + toggle_button_width(p, "EN");
}

std::optional<Language> language_toggle(Painter& p, Language current, ImVec2 pos, float bh) {
    std::optional<Language> chosen;
    const bool id_lang = current == Language::id;
    const float w_id = toggle_button_width(p, "ID");
    ImGui::SetCursorScreenPos(pos);
    if (p.button("lang:id", "ID", ImVec2(w_id, bh),
                 id_lang ? ButtonKind::selected : ButtonKind::normal))
        chosen = Language::id;
    ImGui::SetCursorScreenPos(ImVec2(pos.x + w_id + 10 * p.s, pos.y));
    if (p.button("lang:en", "EN", ImVec2(toggle_button_width(p, "EN"), bh),
                 id_lang ? ButtonKind::normal : ButtonKind::selected))
        chosen = Language::en;
    return chosen;
}

float top_bar(Painter& p, const View& v, const std::string& title, Actions& out) {
    const float w = v.display.x;
    const float s = p.s;
    const float bh = std::max(v.target_px, v.fonts.body->FontSize + 28 * s);
    char size_label[32];
    std::snprintf(size_label, sizeof size_label, "Aa %d%%", 100 + 25 * v.ui.text_step);
    const std::string contrast_label = v.tr(N_("ui.contrast")),
                      cancel_label = v.tr(N_("ui.cancel")), speak_label = v.tr(N_("ui.speak"));
    struct B {
        const char* id;
        const char* label;
    };
    const B buttons[] = {{"speak", speak_label.c_str()},
                         {"textsize", size_label},
                         {"contrast", contrast_label.c_str()},
                         {"cancel", cancel_label.c_str()}};
    float total = language_toggle_width(p) + 10 * s;
    for (const auto& b : buttons) total += toggle_button_width(p, b.label) + 10 * s;
    float x = w - v.corner() - total;
    const float x_buttons = x;
    if (auto l = language_toggle(p, v.lang, ImVec2(x, 12 * s), bh))
        out.push_back(intent::ChooseLanguage{*l});
    x += language_toggle_width(p) + 10 * s;
    for (const auto& b : buttons) {
        const float bw = toggle_button_width(p, b.label);
        ImGui::SetCursorScreenPos(ImVec2(x, 12 * s));
        if (p.button(b.id, b.label, ImVec2(bw, bh))) {
            const std::string id = b.id;
            if (id == "textsize") out.push_back(act::CycleTextSize{});
            if (id == "contrast") out.push_back(act::ToggleContrast{});
            if (id == "cancel") out.push_back(intent::Cancel{});
            if (id == "speak") out.push_back(act::Speak{});
        }
        x += bw + 10 * s;
    }
    // The title beside the buttons when it fits, else on its own line below them.
    const float room = x_buttons - 24 * s - 16 * s;
    const ImVec2 ts = text_size(v.fonts.heading, title);
    float y = 12 * s + (bh - ts.y) / 2;
    if (ts.x > room) y = 12 * s + bh + 10 * s;
    ImGui::SetCursorScreenPos(ImVec2(24 * s, y));
    p.text(title, p.pal.text, v.fonts.heading, ts.x > room ? w - 48 * s : room);
    return std::max(ImGui::GetCursorScreenPos().y, 12 * s + bh) + 8 * s;
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
            return;
        }
}

void keyboard(Painter& p, const View& v, float top, Actions& out) {
    bool held = false, now = false;
    const Key* k = p.keyboard(v.ui.keyboard, ImVec2(0, top), ImVec2(v.display.x, v.display.y - top),
                              &held, &now);
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
    const float toggle_w = language_toggle_width(p);
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
    if (auto l = language_toggle(p, v.lang, ImVec2(x, 16 * s), bh))
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
