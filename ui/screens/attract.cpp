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
    // Header: LAPOR! and the office on the left; on the right, below the corner that opens
    // staff mode, the language choice and under it the speech buttons (hear this screen, or the
    // audio guide; also any key of a USB keypad).
    const float head_w = content_w * 0.55f;
    language_choice(p, v, d.x - margin, v.corner() + 4 * ls, bh, out);
    const std::string speak = v.tr(N_("ui.speak"));
    const std::string guide = v.tr(N_("ui.guide"));
    const float bw = std::max(toggle_button_width(p, speak), toggle_button_width(p, guide));
    const float speech_y = v.corner() + 4 * ls + bh + 12 * ls;
    ImGui::SetCursorScreenPos(ImVec2(d.x - margin - 2 * bw - 12 * s, speech_y));
    if (p.button("speak", speak, ImVec2(bw, bh))) out.push_back(act::Speak{});
    ImGui::SetCursorScreenPos(ImVec2(d.x - margin - bw, speech_y));
    if (p.button("guide", guide, ImVec2(bw, bh))) out.push_back(act::StartGuide{});
    ImGui::SetCursorScreenPos(ImVec2(margin, 24 * ls));
    p.text("LAPOR!", p.pal.text, v.fonts.huge);
    p.text(v.tr(N_("ui.attract.tagline")), p.pal.text, v.fonts.body, head_w);
    if (v.config) p.text(v.config->kiosk.office, p.pal.muted, v.fonts.small, head_w);
    float y = std::max(ImGui::GetCursorScreenPos().y, speech_y + bh) + gap;
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
    // What goes under the three report types: "Cek status laporan" with, beside it, how it goes
    // in three steps and the privacy promise under both; or, with less room, the promise beside
    // it. The types show their explanations where they fit. The types take the height left, so
    // the screen is used to its bottom edge at every text size.
    const Classification types[] = {Classification::complaint, Classification::aspiration,
                                    Classification::information};
    const char* ids[] = {"start:complaint", "start:aspiration", "start:information"};
    const float tw = (content_w - 2 * gap) / 3;
    float th_explained = v.target_px * 2, th_names = v.target_px * 2;
    for (auto c : types) {
        const float name_h = text_size(v.fonts.heading, v.tr(labels::name(c)), tw - 40 * s).y;
        th_explained = std::max(
            th_explained,
            name_h + text_size(v.fonts.body, v.tr(labels::explanation(c)), tw - 40 * s).y + 56 * s);
        th_names = std::max(th_names, name_h + 48 * s);
    }
    const float sh =
        std::max(v.target_px,
                 text_size(v.fonts.heading, v.tr(N_("ui.attract.status")), tw - 16 * s).y + 30 * s);
    const float side_x = margin + tw + gap;
    const float side_w = content_w - tw - gap;
    const char* const steps[] = {N_("ui.attract.step1"), N_("ui.attract.step2"),
                                 N_("ui.attract.step3")};
    const std::string privacy = v.tr(N_("ui.attract.privacy"));
    const float line_gap = ImGui::GetStyle().ItemSpacing.y;
    float steps_h = text_size(v.fonts.body, v.tr(N_("ui.attract.how")), side_w).y + line_gap;
    for (const char* step : steps)
        steps_h += text_size(v.fonts.small, v.tr(step), side_w).y + line_gap;
    const float with_steps =
        std::max(sh, steps_h) + gap / 2 + text_size(v.fonts.small, privacy, content_w).y + line_gap;
    const float privacy_beside = std::max(sh, text_size(v.fonts.small, privacy, side_w).y);
    const float bottom = d.y - 20 * ls;
    struct Option {
        bool explain, steps;
    };
    Option pick{false, false};
    for (Option o : {Option{true, true}, Option{true, false}, Option{false, true}}) {
        const float lower = o.steps ? with_steps : privacy_beside;
        if (y + (o.explain ? th_explained : th_names) + gap + lower <= bottom) {
            pick = o;
            break;
        }
    }
    const float lower_h = pick.steps ? with_steps : privacy_beside;
    const float th = std::max(pick.explain ? th_explained : th_names, bottom - lower_h - gap - y);
    for (int i = 0; i < 3; ++i) {
        ImGui::SetCursorScreenPos(ImVec2(margin + static_cast<float>(i) * (tw + gap), y));
        if (p.tile(ids[i], v.tr(labels::name(types[i])),
                   pick.explain ? v.tr(labels::explanation(types[i])) : std::string(),
                   ImVec2(tw, th), false))
            out.push_back(intent::StartAs{types[i]});
    }
    y += th + gap;
    ImGui::SetCursorScreenPos(ImVec2(margin, y));
    if (p.button("status:open", v.tr(N_("ui.attract.status")), ImVec2(tw, sh), ButtonKind::primary,
                 nullptr, v.fonts.heading))
        out.push_back(intent::OpenStatus{});
    ImGui::SetCursorScreenPos(ImVec2(side_x, y));
    if (pick.steps) {
        p.text(v.tr(N_("ui.attract.how")), p.pal.text, v.fonts.body, side_w);
        for (const char* step : steps) p.text(v.tr(step), p.pal.text, v.fonts.small, side_w);
        p.record.insert_or_assign("attract:steps", Rect{});
        ImGui::SetCursorScreenPos(
            ImVec2(margin, std::max(y + sh, ImGui::GetCursorScreenPos().y) + gap / 2));
        p.text(privacy, p.pal.muted, v.fonts.small, content_w);
    } else {
        p.text(privacy, p.pal.muted, v.fonts.small, side_w);
    }
    p.record.insert_or_assign("attract:privacy", Rect{});
    return out;
}

}  // namespace lapor::ui::screens
