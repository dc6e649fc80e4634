// What the screens returned (screens/view.h: the flow's intents and the UI's actions), the
// receipt print job, and staff mode's taps handed to StaffFlow (kiosk/staff_flow.h).
#include <algorithm>
#include <cstdio>

#include "app_impl.h"
#include "crypto.h"
#include "result_text.h"

namespace lapor::ui {

namespace {
template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;
}  // namespace

void App::Impl::apply_intent(const Intent& i) {
    if (!k.flow) return;
    if (const auto* t = std::get_if<intent::Type>(&i)) ui.edited_since_check.push_back(t->field);
    // A catalog installed by lapor-sync is taken up as a journey starts (attract only).
    if (std::holds_alternative<intent::Start>(i) || std::holds_alternative<intent::StartAs>(i))
        k.refresh_catalog();
    if (std::holds_alternative<intent::Next>(i) || std::holds_alternative<intent::Submit>(i) ||
        std::holds_alternative<intent::Back>(i) || std::holds_alternative<intent::Edit>(i))
        ui.edited_since_check.clear();
    k.flow->apply(i);
    loop.frames_pending = std::max(loop.frames_pending, 2);
}

void App::Impl::apply(const Action& a) {
    std::visit(overloaded{
                   [&](const Intent& i) { apply_intent(i); },
                   [&](const act::Focus& f) { focus_on(f.input); },
                   [&](const act::CycleTextSize&) {
                       ui.text_step = (ui.text_step + 1) % 3;
                       loop.fonts_pending = true;
                   },
                   [&](const act::ToggleContrast&) {
                       ui.theme = ui.theme == ThemeKind::standard ? ThemeKind::high_contrast
                                                                  : ThemeKind::standard;
                       apply_theme(palette(ui.theme), plat.target_px, style_scale());
                       loop.frames_pending = 2;
                   },
                   [&](const act::KeyPressed& kp) { keyboard_action(ui.keyboard.press(kp.key)); },
                   [&](const act::Backspace& b) {
                       if (b.pressed_now) {
                           keyboard_action({KeyAction::backspace, ""});
                           // then repeats every 80 ms while held
                           pointer.backspace_next_ms = clock->mono_ms() + 500;
                       }
                       pointer.backspace_held = b.held;
                   },
                   [&](const act::AskCancel&) { ui.confirm_cancel = true; },
                   [&](const act::AnswerCancel& c) {
                       ui.confirm_cancel = false;
                       if (c.erase) apply_intent(intent::Cancel{});
                   },
                   [&](const act::Help& h) { ui.help = h.open; },
                   [&](const act::DateNote& n) { ui.date_note = n.text; },
                   [&](const act::CheckStatus&) { check_status(); },
                   [&](const act::SubmitStaffInput&) { staff_submit_input(); },
                   [&](const act::StaffGo& g) { staff_go(g.screen); },
                   [&](const act::StaffExit& e) { staff_exit(e.why); },
                   [&](const act::StaffLanguage& l) {
                       if (k.staff) k.staff->set_language(l.language);
                       loop.frames_pending = 2;
                   },
                   [&](const act::StaffRefresh&) {
                       if (k.staff) k.staff->refresh();
                   },
                   [&](const act::Speak&) { speak_screen(); },
                   [&](const act::StartGuide&) { start_guide(); },
                   [&](const act::StaffTestPrint&) {
                       if (!k.staff || !k.printer) return;
                       k.staff->test_print();
                       ui.staff_job = k.printer->submit_test_page();
                   },
               },
               a);
}

// ----------------------------------------------------------------------------- status check
void App::Impl::check_status() {
    ui.status_store_error = false;
    if (!k.status) return;
    try {
        ui.status = k.status->check(ui.status_input);
        if (voice.guide.on) say(status_speech(), false);  // the guide reads the answer at once
    } catch (const std::exception& e) {
        // The citizen reads that the kiosk cannot look now; the journal gets the reason.
        std::fprintf(stderr, "lapor-kiosk: status check: %s\n", e.what());
        ui.status.reset();
        ui.status_store_error = true;
    }
    loop.frames_pending = std::max(loop.frames_pending, 2);
}

// ----------------------------------------------------------------------------- staff mode
// Staff mode opens in the language of the session it interrupts (the citizen's, or the kiosk's
// default at the attract screen); the staff bar's ID/EN toggle changes it.
void App::Impl::open_staff() {
    const Language l = lang();
    k.staff->open(l);
    secure_clear(ui.staff_input);
    focus_on(Input::staff);
}

void App::Impl::staff_go(StaffScreen s) {
    if (!k.staff) return;
    k.staff->go(s);
    secure_clear(ui.staff_input);
    ui.cursor = 0;
    if (s == StaffScreen::verify || s == StaffScreen::printer)
        focus_on(Input::staff);
    else
        ui.focus = Input::none;
    loop.frames_pending = 2;
}

void App::Impl::staff_exit(const char* why) {
    if (!k.staff) return;
    k.staff->exit(why);
    loop.wipe_pending = true;
}

void App::Impl::staff_submit_input() {
    if (!k.staff) return;
    switch (k.staff->screen()) {
        case StaffScreen::pin: {
            const PinResult r = k.staff->enter_pin(ui.staff_input);
            secure_clear(ui.staff_input);
            ui.cursor = 0;
            if (r == PinResult::ok) focus_on(Input::staff);  // the verify tab's scan field
            break;
        }
        case StaffScreen::verify: k.staff->verify(ui.staff_input); break;
        case StaffScreen::printer: {
            auto report = k.staff->reprint(ui.staff_input);
            if (!report || !k.printer) break;
            printer::ReceiptJob job;
            job.report = *report;
            job.copy = true;
            const Language l = report->language;
            if (const Agency* a = k.catalog->find_agency(report->agency_id))
                job.agency_name = a->name.in(l);
            if (const Category* c =
                    k.catalog->find_category(report->agency_id, report->category_id))
                job.category_name = c->name.in(l);
            ui.staff_job = k.printer->submit_receipt(job);
            break;
        }
        default: break;
    }
    loop.frames_pending = 2;
}

// ------------------------------------------------------------------------------- printing
void App::Impl::start_receipt_print() {
    const auto& r = k.flow->receipt();
    if (!r || !k.printer) return;
    printer::ReceiptJob job;
    job.report = *r;
    const Language l = r->language;
    if (const Agency* a = k.catalog->find_agency(r->agency_id)) job.agency_name = a->name.in(l);
    if (const Category* c = k.catalog->find_category(r->agency_id, r->category_id))
        job.category_name = c->name.in(l);
    ui.print = PrintView{};
    ui.print.phase = PrintView::Phase::printing;
    ui.print.tracking = r->tracking;
    ui.print.job = k.printer->submit_receipt(job);
}

void App::Impl::poll_printer() {
    if (!k.printer) return;
    if (ui.print.phase == PrintView::Phase::printing) {
        if (auto out = k.printer->poll(ui.print.job)) {
            ui.print.outcome = *out;
            ui.print.phase = PrintView::Phase::done;
            loop.frames_pending = 2;
        }
    }
    if (ui.staff_job) {
        if (auto out = k.printer->poll(*ui.staff_job)) {
            const bool ok = out->result == printer::JobResult::printed ||
                            out->result == printer::JobResult::printed_unconfirmed;
            if (k.staff) k.staff->job_done(ok, printer::staff_message(out->result), out->detail);
            ui.staff_job.reset();
            loop.frames_pending = 2;
        }
    }
}

}  // namespace lapor::ui
