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
    // The whole screen is the start button (drawn as nothing: the background is cleared).
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
    if (start) out.push_back(intent::Start{});
    return out;
}

}  // namespace lapor::ui::screens
