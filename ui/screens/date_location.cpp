// Incident date (day, month and year steppers and "Today"; never past today) and location.
#include <algorithm>

#include "common.h"
#include "i18n_marker.h"
#include "labels.h"

namespace lapor::ui::screens {

namespace {
// One step: a day (across months and years), a month (across years) or a year, never past
// `today` (validation would refuse a future date anyway).
Date step_date(Date d, int which, int by, Date today) {
    Date n = d;
    if (which == 0) {
        n = add_days(d, by);
    } else {
        if (which == 1) {
            const int m = d.year * 12 + (d.month - 1) + by;
            n.year = m / 12;
            n.month = m % 12 + 1;
        } else {
            n.year += by;
        }
        n.day = std::min(n.day, days_in_month(n.year, n.month));
    }
    return std::min(n, today);
}
}  // namespace

Actions date_location(Painter& p, const View& v) {
    Actions out;
    const Layout l = layout(p, v, top_bar(p, v, v.tr(labels::title(Screen::date_location)), out));
    const float s = l.s;
    const ReportDraft& dr = v.flow->draft();
    const Date today = v.flow->today();
    const Date dt = dr.incident_date.value_or(today);
    ImGui::SetCursorScreenPos(ImVec2(l.margin, l.top));
    p.text(v.tr(N_("ui.date.ask")), p.pal.text, v.fonts.body, l.content_w);
    const float y0 = ImGui::GetCursorScreenPos().y;
    const float today_w = text_size(v.fonts.body, v.tr(N_("ui.date.today"))).x + 40 * s;
    const float cw = std::min(250 * s, (l.content_w - 60 * s - today_w) / 3);
    auto stepper = [&](const char* id, const std::string& shown, int which, float x) {
        const float bw = std::max(v.target_px, 70 * s);
        ImGui::SetCursorScreenPos(ImVec2(x, y0));
        if (p.button(std::string("date:") + id + "-", "\xE2\x80\x93", ImVec2(bw, 70 * s)))
            out.push_back(intent::SetDate{step_date(dt, which, -1, today)});
        const float tw = text_size(v.fonts.body, shown).x;
        ImGui::SetCursorScreenPos(
            ImVec2(x + bw + (cw - 2 * bw - tw) / 2, y0 + (70 * s - v.fonts.body->FontSize) / 2));
        p.text(shown, p.pal.text, v.fonts.body);
        ImGui::SetCursorScreenPos(ImVec2(x + cw - bw, y0));
        if (p.button(std::string("date:") + id + "+", "+", ImVec2(bw, 70 * s)))
            out.push_back(intent::SetDate{step_date(dt, which, +1, today)});
    };
    stepper("day", std::to_string(dt.day), 0, l.margin);
    stepper("month", v.tr(month_ids[std::clamp(dt.month, 1, 12) - 1]), 1, l.margin + cw + 20 * s);
    stepper("year", std::to_string(dt.year), 2, l.margin + 2 * (cw + 20 * s));
    ImGui::SetCursorScreenPos(ImVec2(l.margin + 3 * (cw + 20 * s), y0));
    if (p.button("date:today", v.tr(N_("ui.date.today")), ImVec2(today_w, 70 * s)))
        out.push_back(intent::SetDate{today});
    ImGui::SetCursorScreenPos(ImVec2(l.margin, y0 + 80 * s));
    problem_for(p, v, Field::incident_date, l.content_w);
    p.gap(16 * s);
    p.text(v.tr(N_("ui.field.location")), p.pal.text, v.fonts.body, l.content_w);
    if (p.field("field:location", dr.location, 0, false, false, ImVec2(l.content_w, 64 * s)))
        out.push_back(act::Focus{Input::location});
    problem_for(p, v, Field::location, l.content_w);
    bottom_bar(p, v, true, true, out);
    return out;
}

}  // namespace lapor::ui::screens
