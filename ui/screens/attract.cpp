// Attract: an invitation that uses the whole screen. LAPOR! and the office; the language choice;
// the three report types as big buttons that start the journey at the agency screen; "Cek status
// laporan"; what happens in three steps; the privacy promise; the speech buttons. Nothing moves
// (idle CPU stays at the blocking wait's cost).
#include <algorithm>

#include "common.h"
#include "i18n_marker.h"
#include "labels.h"
#include "result_text.h"

namespace lapor::ui::screens {

namespace {

// Each offered language named in itself ("Bahasa Indonesia", "English", "Basa Jawa"), top right
// below the staff corner, in [ui] languages' order.
void language_choice(Painter& p, const View& v, float right, float y, float bh, Actions& out) {
    const float s = p.s;
    const auto& langs = v.offered();
    std::vector<float> widths;
    float total = 0;
    for (const auto& l : langs) {
        widths.push_back(text_size(v.fonts.body, l.name).x + 40 * s);
        total += widths.back();
    }
    total += 12 * s * static_cast<float>(langs.size() - 1);
    float x = right - total;
    for (std::size_t i = 0; i < langs.size(); ++i) {
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        if (p.button("attract:lang:" + langs[i].code, langs[i].name, ImVec2(widths[i], bh),
                     v.lang.code() == langs[i].code ? ButtonKind::selected : ButtonKind::normal))
            out.push_back(intent::ChooseLanguage{Language(langs[i].code)});
        x += widths[i] + 12 * s;
    }
}

}  // namespace

Actions attract(Painter& p, const View& v) {
    Actions out;
    const ImVec2 d = v.display;
    const float s = p.s;
    const float ls = v.layout_scale;
    const float margin = 40 * ls;
    const float content_w = d.x - 2 * margin;
    const float gap = 20 * ls;
    const float bh = std::max(v.target_px, v.fonts.body->FontSize + 24 * s);
    // Header: LAPOR! and the office on the left, the language choice on the right (below the
    // corner that opens staff mode).
    language_choice(p, v, d.x - margin, v.corner() + 4 * ls, bh, out);
    ImGui::SetCursorScreenPos(ImVec2(margin, 24 * ls));
    const float head_w = content_w * 0.55f;
    p.text("LAPOR!", p.pal.text, v.fonts.huge);
    p.text(v.tr(N_("ui.attract.tagline")), p.pal.text, v.fonts.body, head_w);
    if (v.config) p.text(v.config->kiosk.office, p.pal.muted, v.fonts.small, head_w);
    float y = std::max(ImGui::GetCursorScreenPos().y, v.corner() + bh + 4 * ls) + gap;
    // Unknown (write-only transports, and at boot) is not known to be bad: no warning.
    if (const char* warn = printer::attract_warning(v.printer_state)) {
        ImGui::SetCursorScreenPos(ImVec2(margin, y));
        p.banner(v.tr(warn), content_w);
        p.record.insert_or_assign("printer_warning", Rect{});
        y = ImGui::GetCursorScreenPos().y + gap / 2;
    }
    ImGui::SetCursorScreenPos(ImVec2(margin, y));
    p.text(v.tr(N_("ui.attract.touch")), p.pal.text, v.fonts.heading, content_w);
    y = ImGui::GetCursorScreenPos().y + 8 * ls;
    // The three report types: as tall as the longest explanation needs.
    const Classification types[] = {Classification::complaint, Classification::aspiration,
                                    Classification::information};
    const char* ids[] = {"start:complaint", "start:aspiration", "start:information"};
    const float tw = (content_w - 2 * gap) / 3;
    float th = v.target_px * 2, th_names = v.target_px * 2;
    for (auto c : types) {
        const float name_h = text_size(v.fonts.heading, v.tr(labels::name(c)), tw - 40 * s).y;
        th = std::max(
            th,
            name_h + text_size(v.fonts.body, v.tr(labels::explanation(c)), tw - 40 * s).y + 56 * s);
        th_names = std::max(th_names, name_h + 48 * s);
    }
    // As tall as its label needs when it wraps (at 150 %).
    const float sh =
        std::max(v.target_px,
                 text_size(v.fonts.heading, v.tr(N_("ui.attract.status")), tw - 16 * s).y + 30 * s);
    // At a large text size the explanations give way to keep everything on the screen (the
    // speaker button still says them).
    const float privacy_line =
        text_size(v.fonts.small, v.tr(N_("ui.attract.privacy")), content_w).y + 8 * ls;
    const bool explain = y + th + gap + sh + gap + privacy_line <= d.y;
    if (!explain) th = th_names;
    for (int i = 0; i < 3; ++i) {
        ImGui::SetCursorScreenPos(ImVec2(margin + static_cast<float>(i) * (tw + gap), y));
        if (p.tile(ids[i], v.tr(labels::name(types[i])),
                   explain ? v.tr(labels::explanation(types[i])) : std::string(), ImVec2(tw, th),
                   false))
            out.push_back(intent::StartAs{types[i]});
    }
    y += th + gap;
    // The status check, as wide as one type, then how it goes on its right.
    ImGui::SetCursorScreenPos(ImVec2(margin, y));
    if (p.button("status:open", v.tr(N_("ui.attract.status")), ImVec2(tw, sh), ButtonKind::primary,
                 nullptr, v.fonts.heading))
        out.push_back(intent::OpenStatus{});
    const float steps_x = margin + tw + gap;
    const float steps_w = content_w - tw - gap;
    const char* const steps[] = {N_("ui.attract.step1"), N_("ui.attract.step2"),
                                 N_("ui.attract.step3")};
    // The three steps only where they fit with the privacy promise and the speech buttons below
    // (at a large text size they give way: the buttons must stay on the screen).
    const float line_gap = ImGui::GetStyle().ItemSpacing.y;
    float steps_h = text_size(v.fonts.body, v.tr(N_("ui.attract.how")), steps_w).y + line_gap;
    for (const char* step : steps)
        steps_h += text_size(v.fonts.small, v.tr(step), steps_w).y + line_gap;
    const float privacy_h =
        text_size(v.fonts.small, v.tr(N_("ui.attract.privacy")), content_w).y + line_gap;
    const bool show_steps =
        y + std::max(sh, steps_h) + gap / 2 + privacy_h + 8 * ls + bh + 20 * ls <= d.y;
    // Speech: hear this screen, or start the audio guide (also: any key of a USB keypad).
    const std::string speak = v.tr(N_("ui.speak"));
    const std::string guide = v.tr(N_("ui.guide"));
    const float bw = std::max(toggle_button_width(p, speak), toggle_button_width(p, guide));
    float bx = margin, by = 0;
    if (show_steps) {
        ImGui::SetCursorScreenPos(ImVec2(steps_x, y));
        p.text(v.tr(N_("ui.attract.how")), p.pal.text, v.fonts.body, steps_w);
        for (const char* step : steps) p.text(v.tr(step), p.pal.text, v.fonts.small, steps_w);
        p.record.insert_or_assign("attract:steps", Rect{});
        y = std::max(y + sh, ImGui::GetCursorScreenPos().y) + gap / 2;
        ImGui::SetCursorScreenPos(ImVec2(margin, y));
        p.text(v.tr(N_("ui.attract.privacy")), p.pal.muted, v.fonts.small, content_w);
        by = std::max(d.y - bh - 20 * ls, ImGui::GetCursorScreenPos().y + 8 * ls);
    } else {
        // No room below: the speech buttons take the steps' place beside "Cek status laporan".
        bx = steps_x;
        by = y + std::max(0.0f, (sh - bh) / 2);
        ImGui::SetCursorScreenPos(ImVec2(margin, y + sh + gap / 2));
        p.text(v.tr(N_("ui.attract.privacy")), p.pal.muted, v.fonts.small, content_w);
    }
    ImGui::SetCursorScreenPos(ImVec2(bx, by));
    if (p.button("speak", speak, ImVec2(bw, bh))) out.push_back(act::Speak{});
    ImGui::SetCursorScreenPos(ImVec2(bx + bw + gap, by));
    if (p.button("guide", guide, ImVec2(bw, bh))) out.push_back(act::StartGuide{});
    return out;
}

}  // namespace lapor::ui::screens
