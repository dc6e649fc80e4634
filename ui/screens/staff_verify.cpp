// Staff verify: scan a receipt's QR (the scanner types the URL and Enter) or type it; whether it
// is genuine, and the report's state and national status from the store.
#include "common.h"
#include "i18n_marker.h"

namespace lapor::ui::screens {

Actions staff_verify(Painter& p, const View& v) {
    Actions out;
    const float s = p.s;
    const float margin = 40 * s;
    const float w = v.display.x - 2 * margin;
    const StaffFlow& st = *v.staff;
    const float top = staff_bar(p, v, out);
    ImGui::SetCursorScreenPos(ImVec2(margin, top));
    p.text(v.tr(N_("ui.staff.verify_hint")), p.pal.text, v.fonts.body, w);
    const bool focused = v.ui.focus == Input::staff;
    if (p.field("field:scan", v.ui.staff_input, v.ui.cursor, focused, false,
                ImVec2(w - 240 * s, 64 * s)))
        out.push_back(act::Focus{Input::staff});
    ImGui::SameLine();
    if (p.button("staff:check", v.tr(N_("ui.staff.check")), ImVec2(220 * s, 64 * s),
                 ButtonKind::primary))
        out.push_back(act::SubmitStaffInput{});
    if (const auto& ver = st.verification()) {
        const bool ok = ver->result == VerifyResult::genuine;
        p.text(ok ? v.tr(N_("ui.staff.genuine")) : v.tr(N_("ui.staff.not_genuine")),
               ok ? p.pal.text : p.pal.error, v.fonts.heading, w);
        p.record.insert_or_assign(ok ? "verify:genuine" : "verify:not_genuine", Rect{});
        p.text(ver->detail, p.pal.text, v.fonts.body, w);
        if (ver->fields) {
            const auto& f = *ver->fields;
            p.text(f.tracking + "  ·  " + f.kiosk_id + "  ·  " + office_time(v, f.created_unix),
                   p.pal.text, v.fonts.body, w);
        }
        if (const auto& r = st.looked_up()) {
            std::string state = std::string(to_string(r->state));
            if (!r->history.empty()) state += " / " + r->history.back().status;
            p.text(v.tr(N_("ui.staff.state")) + ": " + state +
                       (r->last_error.empty() ? "" : " (" + r->last_error + ")"),
                   p.pal.text, v.fonts.body, w);
        } else if (!st.store_error().empty()) {
            staff_line(p, staff_text(v, st.store_error()), p.pal.error, v.fonts.body, w);
        } else if (ver->fields) {
            p.text(v.tr(N_("ui.staff.not_in_store")), p.pal.muted, v.fonts.body, w);
        }
    }
    if (focused) keyboard(p, v, v.display.y * 0.55f, out);
    return out;
}

}  // namespace lapor::ui::screens
