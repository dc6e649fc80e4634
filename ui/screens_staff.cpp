// Staff mode's screens: the PIN pad, scan and verify, the upload queue, the printer, and
// diagnostics. The rules (PIN, lockout, timeout, audit) are in staff.h; look-ups go to the store.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "app_impl.h"
#include "crypto.h"
#include "doctor.h"
#include "i18n_marker.h"
#include "tracking.h"
#include "transport.h"

namespace lapor::ui {

namespace {
void drag_scroll() {
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
        ImGui::IsMouseDragging(0))
        ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
}

// A time in the office's time zone (kiosk.time_zone), e.g. "2026-11-29 14:05 WIB".
std::string when(std::int64_t unix_s, const TimeZone& tz) {
    char buf[64];
    const std::time_t t = static_cast<std::time_t>(unix_s + tz.utc_offset_s);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return std::string(buf) + " " + std::string(tz.abbr);
}

// Text on the queue screen, also recorded as "text:<line>" so tests can read what is shown.
void line(Painter& p, const std::string& t, ImVec4 color, ImFont* font, float w) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    p.text(t, color, font, w);
    p.note("text:" + t, at, ImVec2(w, ImGui::GetCursorScreenPos().y - at.y));
}

constexpr int queue_list_max = 20;
}  // namespace

void App::Impl::staff_submit_input() {
    if (!staff) return;
    StaffView& v = staff_view;
    switch (staff->screen()) {
        case StaffScreen::pin: {
            const PinResult r = staff->check_pin(v.input);
            secure_clear(v.input);
            cursor = 0;
            v.message_bad = r != PinResult::ok;
            if (r == PinResult::ok) {
                v.message.clear();
                focus = Input::staff;
                keyboard.reset();
            } else if (r == PinResult::wrong) {
                v.message = tr(N_("ui.staff.pin_wrong"));
            } else if (r == PinResult::no_pin_set) {
                v.message = tr(N_("ui.staff.no_pin"));
            } else {
                v.message = format(tr(N_("ui.staff.locked")),
                                   {{"n", std::to_string(static_cast<int>(
                                              std::ceil(staff->locked_for_s().value_or(0))))}});
            }
            break;
        }
        case StaffScreen::verify: {
            staff->touch();
            // The kiosk's own key and verify base: the rules are the core's (kiosk/receipt.h).
            v.verification = verify_receipt_url(
                v.input, keyring, VerifyOptions{{config ? config->receipt.verify_base : ""}, true});
            v.looked_up.reset();
            v.store_error.clear();
            if (v.verification->fields) {
                try {
                    v.looked_up = store->find_by_tracking(v.verification->fields->tracking);
                } catch (const StoreError& e) {
                    v.store_error = format(tr(N_("ui.staff.store_error")), {{"error", e.what()}});
                }
            }
            staff->audit(
                "verify",
                std::string(to_string(v.verification->result)) +
                    (v.verification->fields ? " " + v.verification->fields->tracking : ""));
            v.message.clear();
            break;
        }
        case StaffScreen::printer: {
            staff->touch();
            v.store_error.clear();
            // What a person types: any case, with or without dashes (kiosk/tracking.h).
            const ParsedTracking parsed = parse_tracking(v.input);
            if (parsed.error) {
                v.message = tr(*parsed.error == TrackingError::bad_check
                                   ? N_("ui.staff.reprint_bad_check")
                                   : N_("ui.staff.reprint_malformed"));
                v.message_bad = true;
                break;
            }
            std::optional<ReportView> found;
            try {
                found = store->find_by_tracking(format_tracking(parsed.raw));
            } catch (const StoreError& e) {
                v.message = format(tr(N_("ui.staff.store_error")), {{"error", e.what()}});
                v.message_bad = true;
                break;
            }
            if (!found) {
                v.message = tr(N_("ui.staff.reprint_unknown"));
                v.message_bad = true;
                break;
            }
            printer::ReceiptJob job;
            job.report = found->report;
            job.copy = true;
            const Language l = found->report.language;
            if (const Agency* a = catalog->find_agency(found->report.agency_id))
                job.agency_name = a->name.in(l);
            if (const Category* c =
                    catalog->find_category(found->report.agency_id, found->report.category_id))
                job.category_name = c->name.in(l);
            v.job = printer->submit_receipt(job);
            v.job_what = tr(N_("ui.staff.reprint"));
            v.message = tr(N_("ui.staff.printing"));
            v.message_bad = false;
            staff->audit("reprint", found->report.tracking);
            break;
        }
        default: break;
    }
    frames_pending = 2;
}

void App::Impl::staff_load_tab() {
    StaffView& v = staff_view;
    v.store_error.clear();
    if (!staff || !store) return;
    try {
        if (staff->screen() == StaffScreen::queue) {
            StaffView::Queue q;
            q.counts = store->counts();
            q.rejected = store->list_by_state(OutboxState::rejected, queue_list_max);
            q.conflict = store->list_by_state(OutboxState::conflict, queue_list_max);
            v.queue = std::move(q);
        } else if (staff->screen() == StaffScreen::diagnostics && config) {
            v.checks = run_core_checks(*config, *store, *clock);
        }
    } catch (const StoreError& e) {
        v.store_error = format(tr(N_("ui.staff.store_error")), {{"error", e.what()}});
    }
    frames_pending = 2;
}

void App::Impl::draw_staff(Painter& p) {
    const TimeZone tz = config ? config->time_zone() : TimeZone{"Asia/Jakarta", "WIB", 7 * 3600};
    const ImVec2 d = ImGui::GetIO().DisplaySize;
    const float s = p.s;
    const float margin = 40 * s;
    const float w = d.x - 2 * margin;
    const float bh = std::max(target_px, 64 * s);
    StaffView& v = staff_view;

    if (staff->screen() == StaffScreen::pin) {
        ImGui::SetCursorScreenPos(ImVec2(margin, 24 * s));
        p.text(tr(N_("ui.staff.pin_title")), p.pal.text, fonts.heading, w);
        const float fw = std::min(w, 620 * s);
        const float x = (d.x - fw) / 2;
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + 10 * s));
        p.field("field:pin", v.input, cursor, true, false, ImVec2(fw, 64 * s), true);
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
        if (auto left = staff->locked_for_s()) {
            p.text(format(tr(N_("ui.staff.locked")),
                          {{"n", std::to_string(static_cast<int>(std::ceil(*left)))}}),
                   p.pal.error, fonts.body, fw);
            record.insert_or_assign("staff:locked", Rect{});
        } else if (!v.message.empty()) {
            p.text(v.message, v.message_bad ? p.pal.error : p.pal.text, fonts.body, fw);
        }
        if (auto l = language_toggle(
                p, ImVec2(d.x - margin - 220 * s - 10 * s - language_toggle_width(p), 20 * s), bh))
            v.language = *l;
        ImGui::SetCursorScreenPos(ImVec2(d.x - margin - 220 * s, 20 * s));
        if (p.button("staff:exit", tr(N_("ui.staff.exit")), ImVec2(220 * s, bh))) {
            staff->exit("left at the PIN pad");
            wipe_pending = true;
        }
        focus = Input::staff;
        keyboard.set_page(KeyboardPage::numeric);
        const float top = d.y * 0.40f;
        bool held = false, now = false;
        const Key* k = p.keyboard(keyboard, ImVec2(0, top), ImVec2(d.x, d.y - top), &held, &now);
        if (now) keyboard_action({KeyAction::backspace, ""});
        if (k) keyboard_action(keyboard.press(*k));
        return;
    }

    // Tabs
    struct Tab {
        const char* id;
        const char* label;
        StaffScreen screen;
    };
    const Tab tabs[] = {
        {"staff:verify", N_("ui.staff.verify"), StaffScreen::verify},
        {"staff:queue", N_("ui.staff.queue"), StaffScreen::queue},
        {"staff:printer", N_("ui.staff.printer"), StaffScreen::printer},
        {"staff:diagnostics", N_("ui.staff.diagnostics"), StaffScreen::diagnostics}};
    const float corner = std::max(target_px * 2.0f, 80.0f * layout_scale);
    const float toggle_w = language_toggle_width(p);
    const float tab_w = (d.x - 2 * 16 * s - corner - toggle_w - 6 * 10 * s) / 5;
    float x = 16 * s;
    for (const auto& t : tabs) {
        ImGui::SetCursorScreenPos(ImVec2(x, 16 * s));
        if (p.button(t.id, tr(t.label), ImVec2(tab_w, bh),
                     staff->screen() == t.screen ? ButtonKind::selected : ButtonKind::normal)) {
            staff->go(t.screen);
            v.message.clear();
            v.checks.reset();
            v.queue.reset();
            secure_clear(v.input);
            cursor = 0;
            focus = t.screen == StaffScreen::verify || t.screen == StaffScreen::printer
                        ? Input::staff
                        : Input::none;
            staff_load_tab();
        }
        x += tab_w + 10 * s;
    }
    ImGui::SetCursorScreenPos(ImVec2(x, 16 * s));
    if (p.button("staff:exit", tr(N_("ui.staff.exit")), ImVec2(tab_w, bh), ButtonKind::primary)) {
        staff->exit("exit button");
        wipe_pending = true;
        return;
    }
    x += tab_w + 10 * s;
    if (auto l = language_toggle(p, ImVec2(x, 16 * s), bh)) {
        v.language = *l;
        staff->touch();
        frames_pending = 2;
    }
    const float top = 16 * s + bh + 30 * s;
    ImGui::SetCursorScreenPos(ImVec2(margin, top));
    switch (staff->screen()) {
        case StaffScreen::verify: {
            p.text(tr(N_("ui.staff.verify_hint")), p.pal.text, fonts.body, w);
            if (p.field("field:scan", v.input, cursor, focus == Input::staff, false,
                        ImVec2(w - 240 * s, 64 * s)))
                focus_on(Input::staff);
            ImGui::SameLine();
            if (p.button("staff:check", tr(N_("ui.staff.check")), ImVec2(220 * s, 64 * s),
                         ButtonKind::primary))
                staff_submit_input();
            if (v.verification) {
                const bool ok = v.verification->result == VerifyResult::genuine;
                p.text(ok ? tr(N_("ui.staff.genuine")) : tr(N_("ui.staff.not_genuine")),
                       ok ? p.pal.text : p.pal.error, fonts.heading, w);
                record.insert_or_assign(ok ? "verify:genuine" : "verify:not_genuine", Rect{});
                p.text(v.verification->detail, p.pal.text, fonts.body, w);
                if (v.verification->fields) {
                    const auto& f = *v.verification->fields;
                    p.text(f.tracking + "  ·  " + f.kiosk_id + "  ·  " + when(f.created_unix, tz),
                           p.pal.text, fonts.body, w);
                }
                if (v.looked_up) {
                    const auto& r = *v.looked_up;
                    std::string st = std::string(to_string(r.state));
                    if (!r.history.empty()) st += " / " + r.history.back().status;
                    p.text(tr(N_("ui.staff.state")) + ": " + st +
                               (r.last_error.empty() ? "" : " (" + r.last_error + ")"),
                           p.pal.text, fonts.body, w);
                } else if (!v.store_error.empty()) {
                    line(p, v.store_error, p.pal.error, fonts.body, w);
                } else if (v.verification->fields) {
                    p.text(tr(N_("ui.staff.not_in_store")), p.pal.muted, fonts.body, w);
                }
            }
            if (focus == Input::staff) draw_keyboard(p, d.y * 0.55f);
            break;
        }
        case StaffScreen::queue: {
            if (p.button("staff:refresh", tr(N_("ui.staff.refresh")), ImVec2(260 * s, bh)))
                staff_load_tab();
            if (!v.store_error.empty()) line(p, v.store_error, p.pal.error, fonts.body, w);
            if (!v.queue) break;
            const QueueCounts& c = v.queue->counts;
            ImGui::BeginChild("queue",
                              ImVec2(w + 12 * s, d.y - ImGui::GetCursorScreenPos().y - 20 * s),
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
                                    {OutboxState::rejected, N_("ui.staff.state_rejected")},
                                    {OutboxState::conflict, N_("ui.staff.state_conflict")}};
            auto count_of = [&](OutboxState st) {
                const auto it = c.by_state.find(st);
                return it == c.by_state.end() ? 0 : it->second;
            };
            for (const Label& l : labels)
                line(p, tr(l.msgid) + ": " + std::to_string(count_of(l.state)), p.pal.text,
                     fonts.body, lw);
            line(p,
                 tr(N_("ui.staff.oldest_unsent")) + ": " +
                     (c.oldest_unsent_unix ? when(*c.oldest_unsent_unix, tz) : "-"),
                 p.pal.text, fonts.body, lw);
            line(p,
                 tr(N_("ui.staff.last_success")) + ": " +
                     (c.last_success_ms ? when(*c.last_success_ms / 1000, tz) : "-"),
                 p.pal.text, fonts.body, lw);
            // Rejected and conflicting reports are never sent again: list them with the
            // national system's reason so staff can tell the citizen what happened.
            const Label lists[] = {
                {OutboxState::rejected, N_("ui.staff.rejected_list"), N_("ui.staff.rejected_note")},
                {OutboxState::conflict, N_("ui.staff.conflict_list"),
                 N_("ui.staff.conflict_note")}};
            bool more = false;
            for (const Label& l : lists) {
                const int n = count_of(l.state);
                if (n == 0) continue;
                p.gap(14 * s);
                line(p, tr(l.msgid), p.pal.text, fonts.heading, lw);
                line(p, tr(l.note), p.pal.muted, fonts.small, lw);
                const auto& rows =
                    l.state == OutboxState::rejected ? v.queue->rejected : v.queue->conflict;
                for (const ReportView& r : rows) {
                    std::string reason =
                        r.last_error.empty() ? tr(N_("ui.staff.no_reason")) : r.last_error;
                    if (r.last_http_status)
                        reason = "HTTP " + std::to_string(*r.last_http_status) + ": " + reason;
                    line(p,
                         r.report.tracking + "  \xC2\xB7  " + when(r.report.created_unix, tz) +
                             "  \xC2\xB7  " + reason,
                         p.pal.text, fonts.body, lw);
                }
                if (n > queue_list_max) {
                    more = true;
                    line(p,
                         format(tr(N_("ui.staff.more_not_shown")),
                                {{"n", std::to_string(n - queue_list_max)}}),
                         p.pal.muted, fonts.small, lw);
                }
            }
            if (more) line(p, tr(N_("ui.staff.queue_partial")), p.pal.muted, fonts.small, lw);
            drag_scroll();
            ImGui::EndChild();
            break;
        }
        case StaffScreen::printer: {
            const auto st = printer ? printer->state() : printer::PrinterState::unknown;
            p.text(tr(N_("ui.staff.printer_state")) + ": " + std::string(printer::to_string(st)),
                   p.pal.text, fonts.heading, w);
            record.insert_or_assign("printer_state:" + std::string(printer::to_string(st)), Rect{});
            if (p.button("staff:test_print", tr(N_("ui.staff.test_print")),
                         ImVec2(360 * s, 64 * s))) {
                v.job = printer->submit_test_page();
                v.job_what = tr(N_("ui.staff.test_print"));
                v.message = tr(N_("ui.staff.printing"));
                v.message_bad = false;
                staff->audit("test_print", "");
            }
            p.text(tr(N_("ui.staff.reprint_hint")), p.pal.text, fonts.body, w);
            if (p.field("field:reprint", v.input, cursor, focus == Input::staff, false,
                        ImVec2(w - 240 * s, 64 * s)))
                focus_on(Input::staff);
            ImGui::SameLine();
            if (p.button("staff:reprint", tr(N_("ui.staff.reprint")), ImVec2(220 * s, 64 * s),
                         ButtonKind::primary))
                staff_submit_input();
            if (!v.message.empty())
                line(p, v.message, v.message_bad ? p.pal.error : p.pal.text, fonts.body, w);
            if (!v.job && !v.job_what.empty()) record.insert_or_assign("staff:job_done", Rect{});
            if (focus == Input::staff) draw_keyboard(p, d.y * 0.62f);
            break;
        }
        case StaffScreen::diagnostics: {
            // kioskctl doctor's core checks (kiosk/doctor.h), run once when the tab opens, plus
            // the printer as the print service last saw it. The endpoint check stays in
            // kioskctl doctor: the touch screen never uses the network.
            if (p.button("staff:refresh", tr(N_("ui.staff.refresh")), ImVec2(260 * s, bh)))
                staff_load_tab();
            if (!v.store_error.empty()) line(p, v.store_error, p.pal.error, fonts.body, w);
            ImGui::BeginChild("diagnostics",
                              ImVec2(w + 12 * s, d.y - ImGui::GetCursorScreenPos().y - 20 * s),
                              false, ImGuiWindowFlags_NoBackground);
            p.text(tr(N_("ui.staff.diagnostics_note")), p.pal.muted, fonts.small, w - 30 * s);
            int failed = 0;
            for (const Check& c : v.checks ? *v.checks : std::vector<Check>{}) {
                failed += c.ok ? 0 : 1;
                p.text((c.ok ? "OK      " : "FAILED  ") + c.name + ": " + c.detail,
                       c.ok ? p.pal.text : p.pal.error, fonts.body, w - 30 * s);
                if (!c.ok && !c.fix.empty())
                    p.text("        " + c.fix, p.pal.text, fonts.small, w - 30 * s);
            }
            const auto st = printer ? printer->state() : printer::PrinterState::unknown;
            // Like kioskctl doctor: a write-only transport (cups:, file:, png:) cannot report
            // its state, which is not a failure.
            bool readable = true;
            if (config) {
                try {
                    readable =
                        printer::can_read(printer::parse_transport(config->printer.transport));
                } catch (const printer::TransportSpecError&) {
                    readable = true;  // a bad spec: the state (unknown) is reported as failed
                }
            }
            const bool printer_ok =
                st == printer::PrinterState::ok || st == printer::PrinterState::paper_near_end;
            if (!readable) {
                p.text(tr(N_("ui.staff.printer_write_only")), p.pal.text, fonts.body, w - 30 * s);
                record.insert_or_assign("diagnostics:printer_write_only", Rect{});
            } else {
                failed += printer_ok ? 0 : 1;
                p.text(std::string(printer_ok ? "OK      " : "FAILED  ") +
                           "printer: " + std::string(printer::to_string(st)),
                       printer_ok ? p.pal.text : p.pal.error, fonts.body, w - 30 * s);
            }
            record.insert_or_assign("diagnostics:failed=" + std::to_string(failed), Rect{});
            if (config) {
                const Config& cf = *config;
                p.text("kiosk " + cf.kiosk.id + " (" + cf.kiosk.code_prefix + "), " +
                           cf.kiosk.office + "; catalog " + catalog->version(),
                       p.pal.muted, fonts.small, w - 30 * s);
                p.text("config " + cf.source + "; printer " + cf.printer.profile + " via " +
                           cf.printer.transport + "; upload " + cf.upload.endpoint,
                       p.pal.muted, fonts.small, w - 30 * s);
            }
            drag_scroll();
            ImGui::EndChild();
            break;
        }
        default: break;
    }
}

}  // namespace lapor::ui
