// Attract: LAPOR!, what the kiosk is for, in both languages; the whole screen starts.
#include "common.h"
#include "i18n_marker.h"
#include "result_text.h"

namespace lapor::ui::screens {

Actions attract(Painter& p, const View& v) {
    Actions out;
    const ImVec2 d = v.display;
    const float s = p.s;
    const float margin = 40 * s;
    const float content_w = d.x - 2 * margin;
    // Speech: hear this screen, or start the audio guide (also: any key of a USB keypad).
    const float bh = std::max(v.target_px, v.fonts.body->FontSize + 28 * s);
    const std::string speak =
        v.tr_in(Language::id, N_("ui.speak")) + " / " + v.tr_in(Language::en, N_("ui.speak"));
    const std::string guide =
        v.tr_in(Language::id, N_("ui.guide")) + " / " + v.tr_in(Language::en, N_("ui.guide"));
    const float bw = std::max(toggle_button_width(p, speak), toggle_button_width(p, guide));
    ImGui::SetCursorScreenPos(ImVec2(margin, d.y - bh - 30 * s));
    const bool said = p.button("speak", speak, ImVec2(bw, bh));
    ImGui::SetCursorScreenPos(ImVec2(margin + bw + 20 * s, d.y - bh - 30 * s));
    const bool guided = p.button("guide", guide, ImVec2(bw, bh));
    // The whole screen is the start button (drawn as nothing: the background is cleared); the
    // two speech buttons come first so ImGui gives them the touch.
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    const bool start = ImGui::InvisibleButton("start", d);
    p.note("start", ImVec2(0, 0), d);
    ImGui::SetCursorScreenPos(ImVec2(margin, 90 * s));
    p.text("LAPOR!", p.pal.text, v.fonts.huge);
    p.text(v.tr_in(Language::id, N_("ui.attract.tagline")), p.pal.text, v.fonts.heading, content_w);
    if (v.config) p.text(v.config->kiosk.office, p.pal.muted, v.fonts.body, content_w);
    p.gap(40 * s);
    p.text(v.tr_in(Language::id, N_("ui.attract.touch")), p.pal.text, v.fonts.heading, content_w);
    p.text(v.tr_in(Language::en, N_("ui.attract.touch")), p.pal.muted, v.fonts.heading, content_w);
    p.gap(30 * s);
    // Unknown (write-only transports, and at boot) is not known to be bad: no warning.
    if (const char* warn = printer::attract_warning(v.printer_state)) {
        p.banner(v.tr_in(Language::id, warn) + "\n" + v.tr_in(Language::en, warn), content_w);
        p.record.insert_or_assign("printer_warning", Rect{});
    }
    if (said) out.push_back(act::Speak{});
    if (guided) out.push_back(act::StartGuide{});
    if (start && !said && !guided) out.push_back(intent::Start{});
    return out;
}

}  // namespace lapor::ui::screens
