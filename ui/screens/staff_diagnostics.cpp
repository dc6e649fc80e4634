// Staff diagnostics: kioskctl doctor's core checks (kiosk/doctor.h, run when the tab opens) and
// the printer as the print service last saw it. The endpoint check stays in kioskctl doctor:
// the touch screen never uses the network.
#include "common.h"
#include "i18n_marker.h"

namespace lapor::ui::screens {

Actions staff_diagnostics(Painter& p, const View& v) {
    Actions out;
    const float s = p.s;
    const float margin = 40 * s;
    const float w = v.display.x - 2 * margin;
    const float bh = std::max(v.target_px, 64 * s);
    const StaffFlow& st = *v.staff;
    const float top = staff_bar(p, v, out);
    ImGui::SetCursorScreenPos(ImVec2(margin, top));
    if (p.button("staff:refresh", v.tr(N_("ui.staff.refresh")), ImVec2(260 * s, bh)))
        out.push_back(act::StaffRefresh{});
    if (!st.store_error().empty())
        staff_line(p, staff_text(v, st.store_error()), p.pal.error, v.fonts.body, w);
    ImGui::BeginChild("diagnostics",
                      ImVec2(w + 12 * s, v.display.y - ImGui::GetCursorScreenPos().y - 20 * s),
                      false, ImGuiWindowFlags_NoBackground);
    const float lw = w - 30 * s;
    p.text(v.tr(N_("ui.staff.diagnostics_note")), p.pal.muted, v.fonts.small, lw);
    int failed = 0;
    if (st.checks())
        for (const Check& c : *st.checks()) {
            failed += c.ok ? 0 : 1;
            p.text((c.ok ? "OK      " : "FAILED  ") + c.name + ": " + c.detail,
                   c.ok ? p.pal.text : p.pal.error, v.fonts.body, lw);
            if (!c.ok && !c.fix.empty()) p.text("        " + c.fix, p.pal.text, v.fonts.small, lw);
        }
    // Like kioskctl doctor: a write-only transport (cups:, file:, png:) cannot report its state,
    // which is not a failure.
    const auto ps = v.printer_state;
    const bool printer_ok =
        ps == printer::PrinterState::ok || ps == printer::PrinterState::paper_near_end;
    if (!v.printer_readable) {
        p.text(v.tr(N_("ui.staff.printer_write_only")), p.pal.text, v.fonts.body, lw);
        p.record.insert_or_assign("diagnostics:printer_write_only", Rect{});
    } else {
        failed += printer_ok ? 0 : 1;
        p.text(std::string(printer_ok ? "OK      " : "FAILED  ") +
                   "printer: " + std::string(printer::to_string(ps)),
               printer_ok ? p.pal.text : p.pal.error, v.fonts.body, lw);
    }
    p.record.insert_or_assign("diagnostics:failed=" + std::to_string(failed), Rect{});
    if (v.config) {
        const Config& cf = *v.config;
        p.text("kiosk " + cf.kiosk.id + " (" + cf.kiosk.code_prefix + "), " + cf.kiosk.office +
                   "; catalog " + v.catalog->version(),
               p.pal.muted, v.fonts.small, lw);
        p.text("config " + cf.source + "; printer " + cf.printer.profile + " via " +
                   cf.printer.transport + "; upload " + cf.upload.endpoint,
               p.pal.muted, v.fonts.small, lw);
    }
    drag_scroll();
    ImGui::EndChild();
    return out;
}

}  // namespace lapor::ui::screens
