// The frame: picks the screen (out of service, staff mode, the citizen's screen or the field
// editor) and lays the idle countdown over citizen screens.
#include "common.h"
#include "screens.h"

namespace lapor::ui::screens {

namespace {
Actions citizen(Painter& p, const View& v) {
    const Screen sc = v.flow->screen();
    if (sc != Screen::attract && sc != Screen::status && v.ui.focus != Input::none)
        return editor(p, v);
    switch (sc) {
        case Screen::attract: return attract(p, v);
        case Screen::language: return language(p, v);
        case Screen::classification: return classification(p, v);
        case Screen::agency: return agency(p, v);
        case Screen::text: return text(p, v);
        case Screen::date_location: return date_location(p, v);
        case Screen::privacy: return privacy(p, v);
        case Screen::consent: return consent(p, v);
        case Screen::contact: return contact(p, v);
        case Screen::review: return review(p, v);
        case Screen::receipt: return receipt(p, v);
        case Screen::status: return status(p, v);
    }
    return {};
}

Actions staff(Painter& p, const View& v) {
    switch (v.staff->screen()) {
        case StaffScreen::pin: return staff_pin(p, v);
        case StaffScreen::verify: return staff_verify(p, v);
        case StaffScreen::queue: return staff_queue(p, v);
        case StaffScreen::printer: return staff_printer(p, v);
        case StaffScreen::diagnostics: return staff_diagnostics(p, v);
        case StaffScreen::none: break;
    }
    return {};
}
}  // namespace

Overlay overlay_of(const Flow* flow, bool in_staff, bool out_of_service, const UiState& ui) {
    if (out_of_service || in_staff || !flow || flow->screen() == Screen::attract)
        return Overlay::none;
    if (flow->countdown_left_s()) return Overlay::countdown;
    if (ui.confirm_cancel) return Overlay::confirm_cancel;
    if (ui.help) return Overlay::help;
    return Overlay::none;
}

Actions draw(Painter& p, const View& v) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(v.display);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin(
        "main", nullptr,
        fixed_window | ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground);
    ImGui::PopStyleVar();
    const bool in_staff = v.staff && v.staff->active();
    Actions out;
    if (!v.oos_error.empty())
        out = out_of_service(p, v);
    else if (in_staff)
        out = staff(p, v);
    else
        out = citizen(p, v);
    ImGui::End();
    auto over = [&](Actions more) { out.insert(out.end(), more.begin(), more.end()); };
    switch (overlay_of(v.flow, in_staff, !v.oos_error.empty(), v.ui)) {
        case Overlay::countdown: over(countdown(p, v)); break;
        case Overlay::confirm_cancel: over(confirm_cancel(p, v)); break;
        case Overlay::help: over(help(p, v)); break;
        case Overlay::none: break;
    }
    return out;
}

}  // namespace lapor::ui::screens
