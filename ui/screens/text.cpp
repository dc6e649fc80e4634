// Title and body, with counters in code points (the unit of the limits, kiosk/validation.h).
#include <cstdio>

#include "common.h"
#include "i18n_marker.h"
#include "labels.h"
#include "utf8.h"

namespace lapor::ui::screens {

namespace {
std::string counter(const std::string& t, std::size_t max) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " (%zu/%zu)", utf8::count(t).value_or(t.size()), max);
    return buf;
}
}  // namespace

Actions text(Painter& p, const View& v) {
    Actions out;
    const Layout l = layout(p, v, top_bar(p, v, v.tr(labels::title(Screen::text)), out));
    const float s = l.s;
    const ReportDraft& dr = v.flow->draft();
    // At a large text size, with problems shown, the body would shrink to a sliver: the page
    // scrolls instead (with the hint), the body keeping at least three lines.
    ImGui::SetCursorScreenPos(ImVec2(0, l.top));
    ImGui::BeginChild("text_form", ImVec2(v.display.x, l.bottom - l.top), false,
                      ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar);
    const float bottom = ImGui::GetWindowPos().y + ImGui::GetWindowHeight();
    ImGui::SetCursorScreenPos(ImVec2(l.margin, ImGui::GetCursorScreenPos().y));
    const std::string title_count = counter(dr.title, title_max);
    field_label(p, v, "title", v.tr(N_("ui.field.title")) + title_count, l.content_w, Input::title,
                out);
    p.record.insert_or_assign("count:title" + title_count, Rect{});
    if (p.field("field:title", dr.title, 0, false, false, ImVec2(l.content_w, 64 * s)))
        out.push_back(act::Focus{Input::title});
    p.text(v.tr(N_("ui.field.title.example")), p.pal.muted, v.fonts.small, l.content_w);
    problem_for(p, v, Field::title, l.content_w);
    p.gap(8 * s);
    const std::string body_count = counter(dr.body, body_max);
    field_label(p, v, "body", v.tr(N_("ui.field.body")) + body_count, l.content_w, Input::body,
                out);
    p.record.insert_or_assign("count:body" + body_count, Rect{});
    const float three_lines = 3 * v.fonts.body->FontSize * 1.15f + 28 * s;
    const float bh =
        std::max(three_lines, bottom - ImGui::GetCursorScreenPos().y -
                                  problem_height(p, v, Field::body, l.content_w) - 10 * s);
    if (p.field("field:body", dr.body, 0, false, true, ImVec2(l.content_w, bh)))
        out.push_back(act::Focus{Input::body});
    problem_for(p, v, Field::body, l.content_w);
    p.gap(4 * s);
    drag_scroll();
    const bool more = more_below();
    ImGui::EndChild();
    bottom_bar(p, v, true, true, out);
    if (more) scroll_hint(p, v);
    return out;
}

}  // namespace lapor::ui::screens
