// Out of service (bad config, missing key or fonts, ...): both languages and the technical error.
#include "common.h"
#include "i18n_marker.h"

namespace lapor::ui::screens {

Actions out_of_service(Painter& p, const View& v) {
    const ImVec2 d = v.display;
    const float s = p.s;
    const float w = d.x - 80 * s;
    // Without message catalogs (one of the reasons to be here) the built-in words.
    auto say = [&](Language l, const char* id, const char* fallback) {
        return v.messages_loaded ? v.tr_in(l, id) : std::string(fallback);
    };
    ImGui::SetCursorScreenPos(ImVec2(40 * s, 60 * s));
    p.text(say(Language::id, N_("ui.oos.title"), "Kios sedang tidak dapat digunakan"), p.pal.text,
           v.fonts.heading, w);
    p.text(say(Language::id, N_("ui.oos.body"),
               "Mohon maaf. Silakan hubungi petugas di loket, atau laporkan melalui lapor.go.id."),
           p.pal.text, v.fonts.body, w);
    p.gap(30 * s);
    p.text(say(Language::en, N_("ui.oos.title"), "This kiosk is out of service"), p.pal.text,
           v.fonts.heading, w);
    p.text(say(Language::en, N_("ui.oos.body"),
               "We are sorry. Please ask the staff at the counter, or report at lapor.go.id."),
           p.pal.text, v.fonts.body, w);
    p.gap(40 * s);
    p.text(say(Language::en, N_("ui.oos.technical"), "For the technician:"), p.pal.muted,
           v.fonts.small, w);
    p.text(v.oos_error, p.pal.muted, v.fonts.small, w);
    p.record.insert_or_assign("out_of_service", Rect{0, 0, d.x, d.y});
    return {};
}

}  // namespace lapor::ui::screens
