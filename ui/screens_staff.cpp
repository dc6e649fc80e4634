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

namespace lapor::ui {

namespace {
void drag_scroll() {
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
        ImGui::IsMouseDragging(0))
        ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
}

std::string when(std::int64_t unix_s) {
    char buf[64];
    const std::time_t t = static_cast<std::time_t>(unix_s);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}
}  // namespace

void App::Impl::staff_submit_input() {
    if (!staff) return;
    StaffView& v = staff_view;
    switch (staff->screen()) {
        case StaffScreen::pin: {
            const PinResult r = staff->check_pin(v.input);
            secure_clear(v.input);
            v.cursor = 0;
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
            v.verification = verify_receipt_url(v.input, keyring, true);
            v.looked_up.reset();
            if (v.verification->fields)
                v.looked_up = store->find_by_tracking(v.verification->fields->tracking);
            staff->audit(
                "verify",
                std::string(to_string(v.verification->result)) +
                    (v.verification->fields ? " " + v.verification->fields->tracking : ""));
            v.message.clear();
            break;
        }
        case StaffScreen::printer: {
            staff->touch();
            auto found = store->find_by_tracking(v.input);
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
            v.job_what.clear();
            frames_pending = 2;
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

void App::Impl::draw_staff(Painter& p) {
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
        p.field("field:pin", v.input, v.cursor, true, false, ImVec2(fw, 64 * s), true);
        ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
        if (auto left = staff->locked_for_s()) {
            p.text(format(tr(N_("ui.staff.locked")),
                          {{"n", std::to_string(static_cast<int>(std::ceil(*left)))}}),
                   p.pal.error, fonts.body, fw);
            record.insert_or_assign("staff:locked", Rect{});
        } else if (!v.message.empty()) {
            p.text(v.message, v.message_bad ? p.pal.error : p.pal.text, fonts.body, fw);
        }
        ImGui::SetCursorScreenPos(ImVec2(x, 24 * s));
        ImGui::SetCursorScreenPos(ImVec2(d.x - margin - 220 * s, 20 * s));
        if (p.button("staff:exit", tr(N_("ui.staff.exit")), ImVec2(220 * s, bh))) {
            staff->exit("left at the PIN pad");
            wipe_pending = true;
        }
        focus = Input::staff;
        keyboard.set_page(KeyboardPage::numeric);
        const float top = d.y * 0.40f;
        bool held = false, now = false;
        Keyboard pad;
        pad.set_page(KeyboardPage::numeric);
        const Key* k = p.keyboard(pad, ImVec2(0, top), ImVec2(d.x, d.y - top), &held, &now);
        if (now) keyboard_action({KeyAction::backspace, ""});
        if (k) keyboard_action(pad.press(*k));
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
    const float tab_w = (d.x - 2 * 16 * s - corner - 4 * 10 * s) / 5;
    float x = 16 * s;
    for (const auto& t : tabs) {
        ImGui::SetCursorScreenPos(ImVec2(x, 16 * s));
        if (p.button(t.id, tr(t.label), ImVec2(tab_w, bh),
                     staff->screen() == t.screen ? ButtonKind::selected : ButtonKind::normal)) {
            staff->go(t.screen);
            v.message.clear();
            v.checks.reset();
            secure_clear(v.input);
            v.cursor = 0;
            cursor = 0;
            focus = t.screen == StaffScreen::verify || t.screen == StaffScreen::printer
                        ? Input::staff
                        : Input::none;
        }
        x += tab_w + 10 * s;
    }
    ImGui::SetCursorScreenPos(ImVec2(x, 16 * s));
    if (p.button("staff:exit", tr(N_("ui.staff.exit")), ImVec2(tab_w, bh), ButtonKind::primary)) {
        staff->exit("exit button");
        wipe_pending = true;
        return;
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
                    p.text(f.tracking + "  ·  " + f.kiosk_id + "  ·  " + when(f.created_unix),
                           p.pal.text, fonts.body, w);
                }
                if (v.looked_up) {
                    const auto& r = *v.looked_up;
                    std::string st = std::string(to_string(r.state));
                    if (!r.history.empty()) st += " / " + r.history.back().status;
                    p.text(tr(N_("ui.staff.state")) + ": " + st +
                               (r.last_error.empty() ? "" : " (" + r.last_error + ")"),
                           p.pal.text, fonts.body, w);
                } else if (v.verification->fields) {
                    p.text(tr(N_("ui.staff.not_in_store")), p.pal.muted, fonts.body, w);
                }
            }
            if (focus == Input::staff) draw_keyboard(p, d.y * 0.55f);
            break;
        }
        case StaffScreen::queue: {
            const QueueCounts c = store->counts();
            for (auto st : {OutboxState::queued, OutboxState::sending, OutboxState::accepted,
                            OutboxState::rejected, OutboxState::conflict}) {
                const auto it = c.by_state.find(st);
                p.text(std::string(to_string(st)) + ": " +
                           std::to_string(it == c.by_state.end() ? 0 : it->second),
                       p.pal.text, fonts.body, w);
            }
            p.text(tr(N_("ui.staff.oldest_unsent")) + ": " +
                       (c.oldest_unsent_unix ? when(*c.oldest_unsent_unix) : "-"),
                   p.pal.text, fonts.body, w);
            p.text(tr(N_("ui.staff.last_success")) + ": " +
                       (c.last_success_ms ? when(*c.last_success_ms / 1000) : "-"),
                   p.pal.text, fonts.body, w);
            p.text(tr(N_("ui.staff.queue_partial")), p.pal.muted, fonts.small, w);
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
                p.text(v.message, v.message_bad ? p.pal.error : p.pal.text, fonts.body, w);
            if (!v.job && !v.job_what.empty()) record.insert_or_assign("staff:job_done", Rect{});
            if (focus == Input::staff) draw_keyboard(p, d.y * 0.62f);
            break;
        }
        case StaffScreen::diagnostics: {
            // kioskctl doctor's core checks (kiosk/doctor.h), run once when the tab opens, plus
            // the printer as the print service last saw it. The endpoint check stays in
            // kioskctl doctor: the touch screen never uses the network.
            if (!v.checks && config && store) v.checks = run_core_checks(*config, *store, *clock);
            ImGui::BeginChild("diagnostics", ImVec2(w + 12 * s, d.y - top - 20 * s), false,
                              ImGuiWindowFlags_NoBackground);
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
            const bool printer_ok =
                st == printer::PrinterState::ok || st == printer::PrinterState::paper_near_end;
            failed += printer_ok ? 0 : 1;
            p.text(std::string(printer_ok ? "OK      " : "FAILED  ") +
                       "printer: " + std::string(printer::to_string(st)),
                   printer_ok ? p.pal.text : p.pal.error, fonts.body, w - 30 * s);
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
