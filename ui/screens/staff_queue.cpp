// Staff queue: counts by state, oldest unsent and last upload, then the held, rejected and
// conflicting reports with the national system's reason (read when the tab opens and on Refresh);
// above them, a warning while the endpoint answers with something that is not the national API.
#include "common.h"
#include "i18n_marker.h"

namespace lapor::ui::screens {

Actions staff_queue(Painter& p, const View& v) {
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
    if (!st.queue()) return out;
    const StaffQueue& q = *st.queue();
    const QueueCounts& c = q.counts;
    if (!q.endpoint_warning.empty())
        staff_line(p, v.tr(N_("ui.staff.endpoint_not_api")) + " (" + q.endpoint_warning + ")",
                   p.pal.error, v.fonts.body, w);
    ImGui::BeginChild("queue",
                      ImVec2(w + 12 * s, v.display.y - ImGui::GetCursorScreenPos().y - 20 * s),
                      false, ImGuiWindowFlags_NoBackground);
    const float lw = w - 30 * s;
    struct Label {
        OutboxState state;
        const char* msgid;
        const char* note = nullptr;
    };
    const Label labels[] = {{OutboxState::queued, N_("ui.staff.state_queued")},
                            {OutboxState::sending, N_("ui.staff.state_sending")},
                            {OutboxState::accepted, N_("ui.staff.state_accepted")},
                            {OutboxState::held, N_("ui.staff.state_held")},
                            {OutboxState::rejected, N_("ui.staff.state_rejected")},
                            {OutboxState::conflict, N_("ui.staff.state_conflict")}};
    auto count_of = [&](OutboxState state) {
        const auto it = c.by_state.find(state);
        return it == c.by_state.end() ? 0 : it->second;
    };
    for (const Label& l : labels)
        staff_line(p, v.tr(l.msgid) + ": " + std::to_string(count_of(l.state)), p.pal.text,
                   v.fonts.body, lw);
    staff_line(p,
               v.tr(N_("ui.staff.oldest_unsent")) + ": " +
                   (c.oldest_unsent_unix ? office_time(v, *c.oldest_unsent_unix) : "-"),
               p.pal.text, v.fonts.body, lw);
    staff_line(p,
               v.tr(N_("ui.staff.last_success")) + ": " +
                   (c.last_success_ms ? office_time(v, *c.last_success_ms / 1000) : "-"),
               p.pal.text, v.fonts.body, lw);
    // Held, rejected and conflicting reports are not sent again by themselves: list them with
    // the national system's reason so staff can tell the citizen what happened.
    const Label lists[] = {
        {OutboxState::held, N_("ui.staff.held_list"), N_("ui.staff.held_note")},
        {OutboxState::rejected, N_("ui.staff.rejected_list"), N_("ui.staff.rejected_note")},
        {OutboxState::conflict, N_("ui.staff.conflict_list"), N_("ui.staff.conflict_note")}};
    bool more = false;
    for (const Label& l : lists) {
        const int n = count_of(l.state);
        if (n == 0) continue;
        p.gap(14 * s);
        staff_line(p, v.tr(l.msgid), p.pal.text, v.fonts.heading, lw);
        staff_line(p, v.tr(l.note), p.pal.muted, v.fonts.small, lw);
        const auto& reports = l.state == OutboxState::held       ? q.held
                              : l.state == OutboxState::rejected ? q.rejected
                                                                 : q.conflict;
        for (const ReportView& r : reports) {
            std::string reason =
                r.last_error.empty() ? v.tr(N_("ui.staff.no_reason")) : r.last_error;
            if (r.last_http_status)
                reason = "HTTP " + std::to_string(*r.last_http_status) + ": " + reason;
            staff_line(p,
                       r.report.tracking + "  \xC2\xB7  " + office_time(v, r.report.created_unix) +
                           "  \xC2\xB7  " + reason,
                       p.pal.text, v.fonts.body, lw);
        }
        if (n > StaffQueue::list_max) {
            more = true;
            staff_line(p,
                       format(v.messages.trn(v.lang, N_("ui.staff.more_not_shown"),
                                             static_cast<unsigned long>(n - StaffQueue::list_max)),
                              {{"n", std::to_string(n - StaffQueue::list_max)}}),
                       p.pal.muted, v.fonts.small, lw);
        }
    }
    if (more) staff_line(p, v.tr(N_("ui.staff.queue_partial")), p.pal.muted, v.fonts.small, lw);
    drag_scroll();
    ImGui::EndChild();
    return out;
}

}  // namespace lapor::ui::screens
