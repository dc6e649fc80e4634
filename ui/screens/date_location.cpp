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
    // At large text sizes the steppers wrap and the location goes below the fold: the page
    // scrolls with a finger (as the review does) instead of running under the bottom bar.
    ImGui::SetCursorScreenPos(ImVec2(0, l.top));
    ImGui::BeginChild("date_location", ImVec2(v.display.x, l.bottom - l.top), false,
                      ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoScrollbar);
    ImGui::SetCursorScreenPos(ImVec2(l.margin, ImGui::GetCursorScreenPos().y));
    p.text(v.tr(N_("ui.date.ask")), p.pal.text, v.fonts.body, l.content_w);
    // Each stepper is as wide as its widest value (all twelve months), and they wrap onto a
    // second row when the text is large: a month never reads "-Desemb".
    const float bw = std::max(v.target_px, 70 * s);
    const float bh = std::max(v.target_px, v.fonts.body->FontSize + 30 * s);
    float month_w = 0;
    for (const char* m : month_ids) month_w = std::max(month_w, text_size(v.fonts.body, v.tr(m)).x);
    const std::string today_label = v.tr(N_("ui.date.today"));
    struct Part {
        const char* id;
        std::string shown;
        int which;
        float w;
    };
    const Part parts[] = {
        {"day", std::to_string(dt.day), 0, 2 * bw + text_size(v.fonts.body, "30").x + 30 * s},
        {"month", v.tr(month_ids[std::clamp(dt.month, 1, 12) - 1]), 1, 2 * bw + month_w + 30 * s},
        {"year", std::to_string(dt.year), 2, 2 * bw + text_size(v.fonts.body, "2030").x + 30 * s}};
    const float gap = 20 * s;
    float x = l.margin, y = ImGui::GetCursorScreenPos().y;
    auto place = [&](float w) {
        if (x > l.margin && x + w > l.margin + l.content_w) {
            x = l.margin;
            y += bh + 12 * s;
        }
        const ImVec2 at{x, y};
        x += w + gap;
        return at;
    };
    for (const Part& part : parts) {
        const ImVec2 at = place(part.w);
        auto step = [&](int by) {
            const Date n = step_date(dt, part.which, by, today);
            out.push_back(intent::SetDate{n});
            // Month and year steps keep the day when the month has it; say so when it does not.
            std::string note;
            if (part.which > 0 && n.day != dt.day && n.day == days_in_month(n.year, n.month))
                note =
                    format(v.tr(N_("ui.date.adjusted")), {{"month", v.tr(month_ids[n.month - 1])},
                                                          {"days", std::to_string(n.day)},
                                                          {"day", std::to_string(n.day)}});
            out.push_back(act::DateNote{note});
        };
        ImGui::SetCursorScreenPos(at);
        if (p.button(std::string("date:") + part.id + "-", "\xE2\x80\x93", ImVec2(bw, bh)))
            step(-1);
        const ImVec2 ts = text_size(v.fonts.body, part.shown);
        ImGui::SetCursorScreenPos(
            ImVec2(at.x + bw + (part.w - 2 * bw - ts.x) / 2, at.y + (bh - ts.y) / 2));
        p.text(part.shown, p.pal.text, v.fonts.body);
        p.note(std::string("text:date:") + part.id, ImVec2(at.x + bw, at.y), ImVec2(0, 0));
        ImGui::SetCursorScreenPos(ImVec2(at.x + part.w - bw, at.y));
        if (p.button(std::string("date:") + part.id + "+", "+", ImVec2(bw, bh))) step(+1);
    }
    const float today_w = text_size(v.fonts.body, today_label).x + 40 * s;
    ImGui::SetCursorScreenPos(place(today_w));
    if (p.button("date:today", today_label, ImVec2(today_w, bh))) {
        out.push_back(intent::SetDate{today});
        out.push_back(act::DateNote{""});
    }
    ImGui::SetCursorScreenPos(ImVec2(l.margin, y + bh + 10 * s));
    if (!v.ui.date_note.empty()) {
        p.text(v.ui.date_note, p.pal.text, v.fonts.body, l.content_w);
        p.record.insert_or_assign("date_note", Rect{});
    }
    problem_for(p, v, Field::incident_date, l.content_w);
    p.gap(16 * s);
    field_label(p, v, "location", v.tr(N_("ui.field.location")), l.content_w, Input::location, out);
    if (p.field("field:location", dr.location, 0, false, false, ImVec2(l.content_w, 64 * s)))
        out.push_back(act::Focus{Input::location});
    problem_for(p, v, Field::location, l.content_w);
    p.gap(8 * s);
    drag_scroll();
    const bool more = more_below();
    ImGui::EndChild();
    bottom_bar(p, v, true, true, out);
    if (more) scroll_hint(p, v);  // between Kembali and Lanjut, as on the review screen
    return out;
}

}  // namespace lapor::ui::screens
