// Staff printer: its state, a test page, and reprint by tracking code (printed as a copy).
#include "common.h"
#include "i18n_marker.h"

namespace lapor::ui::screens {

// The printer's states in words (the ids staff_printer builds from printer::to_string).
[[maybe_unused]] const char* const printer_state_ids[] = {
    N_("ui.printer_state.ok"),        N_("ui.printer_state.paper_near_end"),
    N_("ui.printer_state.paper_out"), N_("ui.printer_state.cover_open"),
    N_("ui.printer_state.offline"),   N_("ui.printer_state.unknown")};

Actions staff_printer(Painter& p, const View& v) {
    Actions out;
    const float s = p.s;
    const float margin = 40 * s;
    const float w = v.display.x - 2 * margin;
    const StaffFlow& st = *v.staff;
    const float top = staff_bar(p, v, out);
    ImGui::SetCursorScreenPos(ImVec2(margin, top));
    const std::string state(printer::to_string(v.printer_state));
    const std::string state_id = "ui.printer_state." + state;  // ids listed in i18n_marker below
    p.text(v.tr(N_("ui.staff.printer_state")) + ": " + v.tr(state_id.c_str()), p.pal.text,
           v.fonts.heading, w);
    p.record.insert_or_assign("printer_state:" + state, Rect{});
    if (p.button("staff:test_print", v.tr(N_("ui.staff.test_print")), ImVec2(360 * s, 64 * s)))
        out.push_back(act::StaffTestPrint{});
    p.text(v.tr(N_("ui.staff.reprint_hint")), p.pal.text, v.fonts.body, w);
    const bool focused = v.ui.focus == Input::staff;
    if (p.field("field:reprint", v.ui.staff_input, v.ui.cursor, focused, false,
                ImVec2(w - 240 * s, 64 * s)))
        out.push_back(act::Focus{Input::staff});
    ImGui::SameLine();
    if (p.button("staff:reprint", v.tr(N_("ui.staff.reprint")), ImVec2(220 * s, 64 * s),
                 ButtonKind::primary))
        out.push_back(act::SubmitStaffInput{});
    if (!st.message().empty())
        staff_line(p, staff_text(v, st.message()), st.message().bad ? p.pal.error : p.pal.text,
                   v.fonts.body, w);
    if (st.job_finished()) p.record.insert_or_assign("staff:job_done", Rect{});
    if (focused) keyboard(p, v, v.display.y * 0.62f, out);
    return out;
}

}  // namespace lapor::ui::screens
