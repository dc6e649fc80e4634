// The citizen's screens. Each draws from the flow's read-only state and pushes intents; nothing
// here decides what is valid or what comes next (kiosk/flow.h does). Sections: shared bars and
// helpers, attract, language, classification, agency, text, date and location, privacy, consent,
// contact, review, receipt, the idle countdown, out of service.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app_impl.h"
#include "i18n_marker.h"
#include "labels.h"
#include "qr_texture.h"
#include "result_text.h"
#include "utf8.h"

namespace lapor::ui {

namespace {

constexpr ImGuiWindowFlags fixed_window =
    ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;

bool case_insensitive_contains(std::string_view hay, std::string_view needle) {
    if (needle.empty()) return true;
    auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); };
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        std::size_t j = 0;
        while (j < needle.size() && lower(hay[i + j]) == lower(needle[j])) ++j;
        if (j == needle.size()) return true;
    }
    return false;
}

// One step of the incident-date steppers: a day (across months and years), a month (across
// years) or a year, never past `today` (validation would refuse a future date anyway).
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

const char* month_ids[] = {N_("ui.month.1"),  N_("ui.month.2"),  N_("ui.month.3"),
                           N_("ui.month.4"),  N_("ui.month.5"),  N_("ui.month.6"),
                           N_("ui.month.7"),  N_("ui.month.8"),  N_("ui.month.9"),
                           N_("ui.month.10"), N_("ui.month.11"), N_("ui.month.12")};

// Drags a scrolling list with the finger (touch screens have no wheel).
void drag_scroll() {
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
        ImGui::IsMouseDragging(0))
        ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
}

}  // namespace

std::string App::Impl::tr(const char* msgid) const {
    const std::string id = msgid;
    return messages.tr(lang(), id);  // copies before `id` goes
}
Language App::Impl::lang() const {
    if (staff && staff->active() && staff_view.language) return *staff_view.language;
    return flow ? flow->language() : Language::id;
}

namespace {
float toggle_button_width(const Painter& p, const char* label) {
    return std::max(p.target_px * 1.6f, text_size(p.fonts.body, label).x + 36 * p.s);
}
}  // namespace

float App::Impl::language_toggle_width(const Painter& p) const {
    return toggle_button_width(p, "ID") + 10 * p.s + toggle_button_width(p, "EN");
}

std::optional<Language> App::Impl::language_toggle(Painter& p, ImVec2 pos, float bh) {
    std::optional<Language> chosen;
    const bool id_lang = lang() == Language::id;
    const float w_id = toggle_button_width(p, "ID");
    ImGui::SetCursorScreenPos(pos);
    if (p.button("lang:id", "ID", ImVec2(w_id, bh),
                 id_lang ? ButtonKind::selected : ButtonKind::normal))
        chosen = Language::id;
    ImGui::SetCursorScreenPos(ImVec2(pos.x + w_id + 10 * p.s, pos.y));
    if (p.button("lang:en", "EN", ImVec2(toggle_button_width(p, "EN"), bh),
                 id_lang ? ButtonKind::normal : ButtonKind::selected))
        chosen = Language::en;
    return chosen;
}

// ---------------------------------------------------------------------------------- frame
void App::Impl::draw() {
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin(
        "main", nullptr,
        fixed_window | ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground);
    ImGui::PopStyleVar();
    const Palette pal = palette(theme);
    const float s = layout_scale * (1.0f + 0.25f * static_cast<float>(text_step));
    Painter p{pal, fonts, record, target_px, s};
    if (!oos_error.empty())
        draw_out_of_service(p);
    else if (staff && staff->active())
        draw_staff(p);
    else
        draw_citizen(p);
    ImGui::End();
    if (oos_error.empty() && !(staff && staff->active()) && flow && flow->countdown_left_s())
        draw_countdown(p);
}

// The title and, on the right, language, text size, contrast and cancel. Leaves the top-right
// corner free: holding it opens staff mode. Returns the bar's height.
float App::Impl::top_bar(Painter& p, const std::string& title) {
    const float w = ImGui::GetIO().DisplaySize.x;
    const float s = p.s;
    const float bh = std::max(target_px, fonts.body->FontSize + 28 * s);
    const float corner = std::max(target_px * 2.0f, 80.0f * layout_scale);
    char size_label[32];
    std::snprintf(size_label, sizeof size_label, "Aa %d%%", 100 + 25 * text_step);
    const std::string contrast_label = tr(N_("ui.contrast")), cancel_label = tr(N_("ui.cancel"));
    struct B {
        const char* id;
        const char* label;
        ButtonKind kind;
    };
    const B buttons[] = {
        {"textsize", size_label, ButtonKind::normal},
        {"contrast", contrast_label.c_str(), ButtonKind::normal},
        {"cancel", cancel_label.c_str(), ButtonKind::normal},
    };
    auto width_of = [&](const B& b) { return toggle_button_width(p, b.label); };
    float total = language_toggle_width(p) + 10 * s;
    for (const auto& b : buttons) total += width_of(b) + 10 * s;
    float x = w - corner - total;
    const float x_buttons = x;
    if (auto l = language_toggle(p, ImVec2(x, 12 * s), bh))
        intents.push_back(intent::ChooseLanguage{*l});
    x += language_toggle_width(p) + 10 * s;
    for (const auto& b : buttons) {
        const float bw = width_of(b);
        ImGui::SetCursorScreenPos(ImVec2(x, 12 * s));
        if (p.button(b.id, b.label, ImVec2(bw, bh), b.kind)) {
            const std::string id = b.id;
            if (id == "textsize") {
                text_step = (text_step + 1) % 3;
                fonts_pending = true;
            }
            if (id == "contrast") {
                theme =
                    theme == ThemeKind::standard ? ThemeKind::high_contrast : ThemeKind::standard;
                apply_theme(palette(theme), target_px, s);
                frames_pending = 2;
            }
            if (id == "cancel") intents.push_back(intent::Cancel{});
        }
        x += bw + 10 * s;
    }
    // The title beside the buttons when it fits, else on its own line below them.
    const float room = x_buttons - 24 * s - 16 * s;
    const ImVec2 ts = text_size(fonts.heading, title);
    float y = 12 * s + (bh - ts.y) / 2;
    if (ts.x > room) y = 12 * s + bh + 10 * s;
    ImGui::SetCursorScreenPos(ImVec2(24 * s, y));
    p.text(title, p.pal.text, fonts.heading, ts.x > room ? w - 48 * s : room);
    return std::max(ImGui::GetCursorScreenPos().y, 12 * s + bh) + 8 * s;
}

void App::Impl::bottom_bar(Painter& p, bool back, bool next, const char* next_label) {
    const ImVec2 d = ImGui::GetIO().DisplaySize;
    const float s = p.s;
    const float bh = std::max(target_px, fonts.body->FontSize + 44 * s);
    const float y = d.y - bh - 18 * s;
    if (back) {
        ImGui::SetCursorScreenPos(ImVec2(24 * s, y));
        if (p.button("back", "\xE2\x80\xB9  " + tr(N_("ui.back")), ImVec2(260 * s, bh)))
            intents.push_back(intent::Back{});
    }
    if (next) {
        ImGui::SetCursorScreenPos(ImVec2(d.x - 24 * s - 300 * s, y));
        const std::string label = tr(next_label ? next_label : N_("ui.next")) + "  \xE2\x80\xBA";
        if (p.button("next", label, ImVec2(300 * s, bh), ButtonKind::primary))
            intents.push_back(intent::Next{});
    }
}

void App::Impl::problem_for(Painter& p, Field f, float width) {
    if (std::find(edited_since_check.begin(), edited_since_check.end(), f) !=
        edited_since_check.end())
        return;
    for (const auto& pr : flow->problems())
        if (pr.field == f) {
            p.text("\xE2\x80\xA2 " + tr(pr.msgid), p.pal.error, fonts.body, width);
            return;
        }
}

void App::Impl::draw_keyboard(Painter& p, float top) {
    const ImVec2 d = ImGui::GetIO().DisplaySize;
    bool held = false, now = false;
    const Key* k = p.keyboard(keyboard, ImVec2(0, top), ImVec2(d.x, d.y - top), &held, &now);
    if (now) {
        keyboard_action({KeyAction::backspace, ""});
        backspace_next_ms = clock->mono_ms() + 500;  // then repeats every 80 ms while held
    }
    backspace_held = held;
    if (k) {
        const Key key = *k;
        keyboard_action(keyboard.press(key));
    }
}

// --------------------------------------------------------------------------- the journey
void App::Impl::draw_citizen(Painter& p) {
    const ImVec2 d = ImGui::GetIO().DisplaySize;
    const float s = p.s;
    const Screen sc = flow->screen();
    const float margin = 40 * s;
    const float content_w = d.x - 2 * margin;
    float top = std::max(target_px, 60 * s) + 40 * s;
    const bool kb = focus != Input::none;
    const float kb_top = d.y * 0.52f;

    if (sc == Screen::attract) {
        // The whole screen is the start button (drawn as nothing: the background is cleared).
        ImGui::SetCursorScreenPos(ImVec2(0, 0));
        const bool start = ImGui::InvisibleButton("start", d);
        p.note("start", ImVec2(0, 0), d);
        ImGui::SetCursorScreenPos(ImVec2(margin, 90 * s));
        p.text("LAPOR!", p.pal.text, fonts.huge);
        p.text(messages.tr(Language::id, N_("ui.attract.tagline")), p.pal.text, fonts.heading,
               content_w);
        if (config) p.text(config->kiosk.office, p.pal.muted, fonts.body, content_w);
        p.gap(40 * s);
        p.text(messages.tr(Language::id, N_("ui.attract.touch")), p.pal.text, fonts.heading,
               content_w);
        p.text(messages.tr(Language::en, N_("ui.attract.touch")), p.pal.muted, fonts.heading,
               content_w);
        p.gap(30 * s);
        const auto ps = printer ? printer->state() : printer::PrinterState::unknown;
        // Unknown (write-only transports, and at boot) is not known to be bad: no warning.
        if (const char* warn = printer::attract_warning(ps)) {
            p.banner(messages.tr(Language::id, warn) + "\n" + messages.tr(Language::en, warn),
                     content_w);
            record.insert_or_assign("printer_warning", Rect{});
        }
        if (start) intents.push_back(intent::Start{});
        return;
    }

    top = top_bar(p, tr(labels::title(sc)));

    // A focused field: the field alone above the keyboard.
    if (kb) {
        const char* label = nullptr;
        bool multiline = false;
        switch (focus) {
            case Input::title: label = N_("ui.field.title"); break;
            case Input::body:
                label = N_("ui.field.body");
                multiline = true;
                break;
            case Input::location: label = N_("ui.field.location"); break;
            case Input::name: label = N_("ui.field.name"); break;
            case Input::phone: label = N_("ui.field.phone"); break;
            case Input::email: label = N_("ui.field.email"); break;
            case Input::nik: label = N_("ui.field.nik"); break;
            case Input::search: label = N_("ui.field.search"); break;
            default: label = N_("ui.field.search"); break;
        }
        ImGui::SetCursorScreenPos(ImVec2(margin, top));
        p.text(tr(label), p.pal.text, fonts.body, content_w);
        const std::string& value = current_text();  // no copy: short text would sit in SSO
        const float fh = kb_top - ImGui::GetCursorScreenPos().y - 60 * s;
        const std::string id = "field:" + std::string(focus == Input::search ? "search" : "edit");
        p.field(id, value, cursor, true, multiline, ImVec2(content_w, std::max(fh, 60 * s)));
        if (auto f = field_of(focus)) problem_for(p, *f, content_w);
        draw_keyboard(p, kb_top);
        return;
    }

    ImGui::SetCursorScreenPos(ImVec2(margin, top));
    const float bottom = d.y - std::max(target_px, fonts.body->FontSize + 44 * s) - 36 * s;
    switch (sc) {
        case Screen::language: {
            p.text("Pilih bahasa / Choose your language", p.pal.text, fonts.heading, content_w);
            p.gap(30 * s);
            const float bw = (content_w - 30 * s) / 2;
            const float x0 = ImGui::GetCursorScreenPos().x, y0 = ImGui::GetCursorScreenPos().y;
            if (p.button("choose:id", messages.tr(Language::id, labels::name(Language::id)),
                         ImVec2(bw, 180 * s), ButtonKind::primary, nullptr, fonts.heading))
                intents.push_back(intent::ChooseLanguage{Language::id});
            ImGui::SetCursorScreenPos(ImVec2(x0 + bw + 30 * s, y0));
            if (p.button("choose:en", messages.tr(Language::en, labels::name(Language::en)),
                         ImVec2(bw, 180 * s), ButtonKind::primary, nullptr, fonts.heading))
                intents.push_back(intent::ChooseLanguage{Language::en});
            bottom_bar(p, true, false);
            break;
        }
        case Screen::classification: {
            p.text(tr(N_("ui.classification.ask")), p.pal.text, fonts.body, content_w);
            const float th = (bottom - ImGui::GetCursorScreenPos().y - 40 * s) / 3;
            for (auto c : {Classification::complaint, Classification::aspiration,
                           Classification::information}) {
                ImGui::SetCursorScreenPos(ImVec2(margin, ImGui::GetCursorScreenPos().y));
                const bool sel = flow->draft().classification == c;
                const char* cid = c == Classification::complaint    ? "class:complaint"
                                  : c == Classification::aspiration ? "class:aspiration"
                                                                    : "class:information";
                if (p.tile(cid, tr(labels::name(c)), tr(labels::explanation(c)),
                           ImVec2(content_w, th), sel))
                    intents.push_back(intent::ChooseClassification{c});
            }
            bottom_bar(p, true, false);
            break;
        }
        case Screen::agency: {
            const float y0 = ImGui::GetCursorScreenPos().y;
            const std::string hint = search.empty() ? tr(N_("ui.search.hint")) : search;
            if (p.field("field:search", hint, 0, false, false, ImVec2(content_w, 64 * s)))
                focus_on(Input::search);
            const float list_top = y0 + 64 * s + 16 * s;
            const float col_w = (content_w - 24 * s) / 2;
            const float list_h = bottom - list_top - 60 * s;
            const ReportDraft& dr = flow->draft();
            const Language l = lang();
            ImGui::SetCursorScreenPos(ImVec2(margin, list_top));
            p.text(tr(N_("ui.agency.pick")), p.pal.text, fonts.small);
            ImGui::SetCursorScreenPos(ImVec2(margin, list_top + 34 * s));
            ImGui::BeginChild(
                "agencies", ImVec2(col_w, list_h - 34 * s), false,
                ImGuiWindowFlags_AlwaysVerticalScrollbar | ImGuiWindowFlags_NoBackground);
            for (const auto& a : catalog->agencies()) {
                bool match = case_insensitive_contains(a.name.in(l), search);
                for (const auto& c : a.categories)
                    match = match || case_insensitive_contains(c.name.in(l), search);
                if (!match) continue;
                if (p.button("agency:" + a.id, a.name.in(l),
                             ImVec2(col_w - target_px - 12 * s, 70 * s),
                             dr.agency_id == a.id ? ButtonKind::selected : ButtonKind::normal))
                    intents.push_back(intent::ChooseAgency{a.id});
            }
            drag_scroll();
            ImGui::EndChild();
            ImGui::SetCursorScreenPos(ImVec2(margin + col_w + 24 * s, list_top));
            p.text(tr(N_("ui.category.pick")), p.pal.text, fonts.small);
            ImGui::SetCursorScreenPos(ImVec2(margin + col_w + 24 * s, list_top + 34 * s));
            ImGui::BeginChild(
                "categories", ImVec2(col_w, list_h - 34 * s), false,
                ImGuiWindowFlags_AlwaysVerticalScrollbar | ImGuiWindowFlags_NoBackground);
            if (const Agency* a = catalog->find_agency(dr.agency_id)) {
                for (const auto& c : a->categories)
                    if (p.button(
                            "category:" + c.id, c.name.in(l),
                            ImVec2(col_w - target_px - 12 * s, 70 * s),
                            dr.category_id == c.id ? ButtonKind::selected : ButtonKind::normal))
                        intents.push_back(intent::ChooseCategory{c.id});
            } else {
                p.text(tr(N_("ui.category.first_agency")), p.pal.muted, fonts.body, col_w);
            }
            drag_scroll();
            ImGui::EndChild();
            ImGui::SetCursorScreenPos(ImVec2(margin, list_top + list_h + 4 * s));
            problem_for(p, Field::agency, content_w);
            problem_for(p, Field::category, content_w);
            bottom_bar(p, true, true);
            break;
        }
        case Screen::text: {
            const ReportDraft& dr = flow->draft();
            // Counters in code points, the unit of the limits (kiosk/validation.h).
            auto counter = [](const std::string& t, std::size_t max) {
                char buf[64];
                std::snprintf(buf, sizeof buf, " (%zu/%zu)", utf8::count(t).value_or(t.size()),
                              max);
                return std::string(buf);
            };
            const std::string title_count = counter(dr.title, title_max);
            p.text(tr(N_("ui.field.title")) + title_count, p.pal.text, fonts.body, content_w);
            record.insert_or_assign("count:title" + title_count, Rect{});
            if (p.field("field:title", dr.title, 0, false, false, ImVec2(content_w, 64 * s)))
                focus_on(Input::title);
            problem_for(p, Field::title, content_w);
            p.gap(8 * s);
            const std::string body_count = counter(dr.body, body_max);
            p.text(tr(N_("ui.field.body")) + body_count, p.pal.text, fonts.body, content_w);
            record.insert_or_assign("count:body" + body_count, Rect{});
            const float bh = bottom - ImGui::GetCursorScreenPos().y - 60 * s;
            if (p.field("field:body", dr.body, 0, false, true, ImVec2(content_w, bh)))
                focus_on(Input::body);
            problem_for(p, Field::body, content_w);
            bottom_bar(p, true, true);
            break;
        }
        case Screen::date_location: {
            const ReportDraft& dr = flow->draft();
            const Date dt = dr.incident_date.value_or(flow->today());
            p.text(tr(N_("ui.date.ask")), p.pal.text, fonts.body, content_w);
            const float y0 = ImGui::GetCursorScreenPos().y;
            const float today_w = text_size(fonts.body, tr(N_("ui.date.today"))).x + 40 * s;
            const float cw = std::min(250 * s, (content_w - 60 * s - today_w) / 3);
            auto stepper = [&](const char* id, const std::string& shown, int which, float x) {
                const float bw = std::max(target_px, 70 * s);
                ImGui::SetCursorScreenPos(ImVec2(x, y0));
                if (p.button(std::string("date:") + id + "-", "\xE2\x80\x93", ImVec2(bw, 70 * s)))
                    intents.push_back(intent::SetDate{step_date(dt, which, -1, flow->today())});
                const float tw = text_size(fonts.body, shown).x;
                ImGui::SetCursorScreenPos(ImVec2(x + bw + (cw - 2 * bw - tw) / 2,
                                                 y0 + (70 * s - fonts.body->FontSize) / 2));
                p.text(shown, p.pal.text, fonts.body);
                ImGui::SetCursorScreenPos(ImVec2(x + cw - bw, y0));
                if (p.button(std::string("date:") + id + "+", "+", ImVec2(bw, 70 * s)))
                    intents.push_back(intent::SetDate{step_date(dt, which, +1, flow->today())});
            };
            stepper("day", std::to_string(dt.day), 0, margin);
            stepper("month", tr(month_ids[std::clamp(dt.month, 1, 12) - 1]), 1,
                    margin + cw + 20 * s);
            stepper("year", std::to_string(dt.year), 2, margin + 2 * (cw + 20 * s));
            ImGui::SetCursorScreenPos(ImVec2(margin + 3 * (cw + 20 * s), y0));
            if (p.button("date:today", tr(N_("ui.date.today")), ImVec2(today_w, 70 * s)))
                intents.push_back(intent::SetDate{flow->today()});
            ImGui::SetCursorScreenPos(ImVec2(margin, y0 + 80 * s));
            problem_for(p, Field::incident_date, content_w);
            p.gap(16 * s);
            p.text(tr(N_("ui.field.location")), p.pal.text, fonts.body, content_w);
            if (p.field("field:location", dr.location, 0, false, false, ImVec2(content_w, 64 * s)))
                focus_on(Input::location);
            problem_for(p, Field::location, content_w);
            bottom_bar(p, true, true);
            break;
        }
        case Screen::privacy: {
            p.text(tr(N_("ui.privacy.ask")), p.pal.text, fonts.body, content_w);
            const float th = (bottom - ImGui::GetCursorScreenPos().y - 60 * s) / 3;
            for (auto v : {Privacy::public_report, Privacy::anonymous, Privacy::confidential}) {
                ImGui::SetCursorScreenPos(ImVec2(margin, ImGui::GetCursorScreenPos().y));
                const char* pid = v == Privacy::public_report ? "privacy:public"
                                  : v == Privacy::anonymous   ? "privacy:anonymous"
                                                              : "privacy:confidential";
                if (p.tile(pid, tr(labels::name(v)), tr(labels::explanation(v)),
                           ImVec2(content_w, th), flow->draft().privacy == v))
                    intents.push_back(intent::ChoosePrivacy{v});
            }
            problem_for(p, Field::privacy, content_w);
            bottom_bar(p, true, true);
            break;
        }
        case Screen::consent: {
            const float tile_h = 120 * s;
            const float notice_h = bottom - ImGui::GetCursorScreenPos().y - tile_h - 50 * s;
            ImGui::BeginChild("notice", ImVec2(content_w, notice_h), false,
                              ImGuiWindowFlags_NoBackground);
            for (const char* id : {labels::consent_what, labels::consent_why, labels::consent_who,
                                   labels::consent_how_long})
                p.text(format(tr(id), {{"days", config ? std::to_string(static_cast<long>(
                                                             config->upload.retention_days))
                                                       : "30"}}),
                       p.pal.text, fonts.body, content_w - target_px - 10 * s);
            drag_scroll();
            ImGui::EndChild();
            const float y0 = ImGui::GetCursorScreenPos().y;
            const float tw = (content_w - 30 * s) / 2;
            ImGui::SetCursorScreenPos(ImVec2(margin, y0));
            if (p.tile("consent:yes", tr(N_("ui.consent.yes")), tr(N_("ui.consent.yes.explain")),
                       ImVec2(tw, tile_h), flow->draft().consent == true))
                intents.push_back(intent::ChooseConsent{true});
            ImGui::SetCursorScreenPos(ImVec2(margin + tw + 30 * s, y0));
            if (p.tile("consent:no", tr(N_("ui.consent.no")), tr(N_("ui.consent.no.explain")),
                       ImVec2(tw, tile_h), flow->draft().consent == false))
                intents.push_back(intent::ChooseConsent{false});
            ImGui::SetCursorScreenPos(ImVec2(margin, y0 + tile_h + 6 * s));
            problem_for(p, Field::consent, content_w);
            bottom_bar(p, true, true);
            break;
        }
        case Screen::contact: {
            const ReportDraft& dr = flow->draft();
            ImGui::BeginChild("form", ImVec2(content_w + 12 * s, bottom - top), false,
                              ImGuiWindowFlags_NoBackground);
            p.text(tr(N_("ui.contact.optional")), p.pal.muted, fonts.small, content_w);
            const float fw = (content_w - 30 * s) / 2;
            const float y0 = ImGui::GetCursorScreenPos().y;
            struct F {
                const char* id;
                const char* label;
                Input in;
                Field f;
                const std::string* v;
            };
            const F fields[] = {
                {"field:name", N_("ui.field.name"), Input::name, Field::name, &dr.name},
                {"field:phone", N_("ui.field.phone"), Input::phone, Field::phone, &dr.phone},
                {"field:email", N_("ui.field.email"), Input::email, Field::email, &dr.email},
                {"field:nik", N_("ui.field.nik"), Input::nik, Field::nik, &dr.nik},
            };
            float row_y = y0, row_end = y0;
            for (int i = 0; i < 4; ++i) {
                const float x = margin + static_cast<float>(i % 2) * (fw + 30 * s);
                if (i == 2) row_y = row_end + 16 * s;
                const float y = row_y;
                ImGui::SetCursorScreenPos(ImVec2(x, y));
                p.text(tr(fields[i].label), p.pal.text, fonts.body, fw);
                ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
                if (p.field(fields[i].id, *fields[i].v, 0, false, false, ImVec2(fw, 64 * s)))
                    focus_on(fields[i].in);
                ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y));
                problem_for(p, fields[i].f, fw);
                row_end = std::max(row_end, ImGui::GetCursorScreenPos().y);
            }
            drag_scroll();
            ImGui::EndChild();
            bottom_bar(p, true, true);
            break;
        }
        case Screen::review: {
            const ReportDraft& dr = flow->draft();
            const Language l = lang();
            ImGui::BeginChild("review", ImVec2(content_w, bottom - top - 10 * s), false,
                              ImGuiWindowFlags_NoBackground);
            const float inner = content_w - target_px - 20 * s;
            auto section = [&](Section sec, const char* head, const std::vector<std::string>& lines,
                               const char* edit_id) {
                const float y = ImGui::GetCursorScreenPos().y;
                const float x = ImGui::GetCursorScreenPos().x;
                p.text(tr(head), p.pal.muted, fonts.small, inner - 200 * s);
                for (const auto& ln : lines) p.text(ln, p.pal.text, fonts.body, inner - 200 * s);
                const float y1 = ImGui::GetCursorScreenPos().y;
                ImGui::SetCursorScreenPos(ImVec2(x + inner - 180 * s, y));
                if (p.button(edit_id, tr(N_("ui.edit")), ImVec2(180 * s, 60 * s)))
                    intents.push_back(intent::Edit{sec});
                ImGui::SetCursorScreenPos(ImVec2(x, std::max(y1, y + 66 * s) + 10 * s));
                ImGui::Separator();
            };
            const Agency* a = catalog->find_agency(dr.agency_id);
            const Category* c = catalog->find_category(dr.agency_id, dr.category_id);
            section(Section::classification, N_("ui.review.classification"),
                    {dr.classification ? tr(labels::name(*dr.classification)) : ""},
                    "edit:classification");
            section(Section::agency, N_("ui.review.agency"),
                    {a ? a->name.in(l) : "", c ? c->name.in(l) : ""}, "edit:agency");
            section(Section::text, N_("ui.review.text"), {dr.title, dr.body}, "edit:text");
            section(Section::date_location, N_("ui.review.date_location"),
                    {dr.incident_date ? std::to_string(dr.incident_date->day) + " " +
                                            tr(month_ids[dr.incident_date->month - 1]) + " " +
                                            std::to_string(dr.incident_date->year)
                                      : "",
                     dr.location},
                    "edit:date_location");
            section(Section::privacy, N_("ui.review.privacy"),
                    {dr.privacy ? tr(labels::name(*dr.privacy)) : ""}, "edit:privacy");
            section(Section::consent, N_("ui.review.consent"),
                    {tr(dr.consent == true ? N_("ui.consent.yes") : N_("ui.consent.no"))},
                    "edit:consent");
            if (dr.consent == true)
                section(Section::contact, N_("ui.review.contact"),
                        {dr.name, dr.phone, dr.email, dr.nik}, "edit:contact");
            drag_scroll();
            ImGui::EndChild();
            if (flow->error()) {
                ImGui::SetCursorScreenPos(ImVec2(margin, bottom - 50 * s));
                p.text(tr(flow->error()), p.pal.error, fonts.body, content_w);
            }
            const float bh = std::max(target_px, 76 * s);
            bottom_bar(p, true, false);
            ImGui::SetCursorScreenPos(ImVec2(d.x - 24 * s - 340 * s, d.y - bh - 18 * s));
            if (p.button("submit", tr(N_("ui.submit")), ImVec2(340 * s, bh), ButtonKind::primary))
                intents.push_back(intent::Submit{});
            break;
        }
        case Screen::receipt: {
            const auto& r = flow->receipt();
            if (!r) break;
            const float qr_side = std::min(d.y - top - 60 * s, 420 * layout_scale);
            const float left_w = content_w - qr_side - 40 * s;
            p.text(tr(N_("ui.receipt.saved")), p.pal.text, fonts.body, left_w);
            p.gap(10 * s);
            p.text(tr(labels::receipt_tracking), p.pal.muted, fonts.small, left_w);
            p.text(r->tracking, p.pal.text, fonts.huge);
            record.insert_or_assign("tracking:" + r->tracking, Rect{});
            p.gap(10 * s);
            switch (print.phase) {
                case PrintView::Phase::idle:
                case PrintView::Phase::printing:
                    p.text(tr(N_("ui.receipt.printing")), p.pal.text, fonts.body, left_w);
                    record.insert_or_assign("print:printing", Rect{});
                    break;
                case PrintView::Phase::done: {
                    const auto res =
                        print.outcome ? print.outcome->result : printer::JobResult::unknown;
                    // The print library's sentence: printed_unconfirmed is not "printed"
                    // (a write-only printer cannot say whether paper came out).
                    const std::string msg = tr(printer::citizen_message(res));
                    if (res == printer::JobResult::printed) {
                        p.text(msg, p.pal.text, fonts.body, left_w);
                        record.insert_or_assign("print:printed", Rect{});
                    } else if (res == printer::JobResult::printed_unconfirmed) {
                        p.text(msg, p.pal.text, fonts.body, left_w);
                        record.insert_or_assign("print:unconfirmed", Rect{});
                    } else {
                        p.banner(msg, left_w);
                        record.insert_or_assign("print:failed", Rect{});
                    }
                    break;
                }
            }
            p.text(tr(labels::receipt_follow_up), p.pal.muted, fonts.small, left_w);
            if (qr_for != r->qr_url) {
                if (qr_texture) SDL_DestroyTexture(qr_texture);
                qr_texture = make_qr_texture(renderer, r->qr_url, qr_size);
                qr_for = r->qr_url;
            }
            if (qr_texture) {
                const ImVec2 qp{d.x - margin - qr_side, top};
                ImGui::GetWindowDrawList()->AddImage(static_cast<ImTextureID>(qr_texture), qp,
                                                     ImVec2(qp.x + qr_side, qp.y + qr_side));
                p.note("qr", qp, ImVec2(qr_side, qr_side));
            }
            const float bh = std::max(target_px, 76 * s);
            ImGui::SetCursorScreenPos(ImVec2(margin, d.y - bh - 18 * s));
            if (p.button("done", tr(N_("ui.done")), ImVec2(300 * s, bh), ButtonKind::primary))
                intents.push_back(intent::Done{});
            break;
        }
        case Screen::attract: break;
    }
}

// ------------------------------------------------------------------------ idle countdown
void App::Impl::draw_countdown(Painter& p) {
    const ImVec2 d = ImGui::GetIO().DisplaySize;
    const float s = p.s;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(d);
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleColor(ImGuiCol_WindowBg, p.pal.overlay);
    ImGui::Begin("countdown", nullptr, fixed_window);
    ImGui::PopStyleColor();
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    const bool any = ImGui::InvisibleButton("anywhere", d);
    const ImVec2 box{std::min(d.x - 80 * s, 820 * s), 380 * s};
    const ImVec2 bp{(d.x - box.x) / 2, (d.y - box.y) / 2};
    ImGui::GetWindowDrawList()->AddRectFilled(bp, ImVec2(bp.x + box.x, bp.y + box.y),
                                              ImGui::ColorConvertFloat4ToU32(p.pal.panel));
    ImGui::GetWindowDrawList()->AddRect(bp, ImVec2(bp.x + box.x, bp.y + box.y),
                                        ImGui::ColorConvertFloat4ToU32(p.pal.field_border), 0, 0,
                                        3.0f);
    ImGui::SetCursorScreenPos(ImVec2(bp.x + 40 * s, bp.y + 30 * s));
    p.text(tr(N_("ui.countdown.title")), p.pal.panel_text, fonts.heading, box.x - 80 * s);
    const int left = static_cast<int>(std::ceil(flow->countdown_left_s().value_or(0)));
    p.text(format(tr(N_("ui.countdown.body")), {{"n", std::to_string(left)}}), p.pal.panel_text,
           fonts.body, box.x - 80 * s);
    ImGui::SetCursorScreenPos(ImVec2(bp.x + 40 * s, bp.y + box.y - 110 * s));
    const bool yes = p.button("still_here", tr(N_("ui.countdown.yes")),
                              ImVec2(box.x - 80 * s, 80 * s), ButtonKind::primary);
    ImGui::End();
    if (yes || any) intents.push_back(intent::StillHere{});
}

// ------------------------------------------------------------------------ out of service
void App::Impl::draw_out_of_service(Painter& p) {
    const ImVec2 d = ImGui::GetIO().DisplaySize;
    const float s = p.s;
    const float w = d.x - 80 * s;
    auto say = [&](Language l, const char* id, const char* fallback) {
        return messages_loaded ? messages.tr(l, id) : std::string(fallback);
    };
    ImGui::SetCursorScreenPos(ImVec2(40 * s, 60 * s));
    p.text(say(Language::id, N_("ui.oos.title"), "Kios sedang tidak dapat digunakan"), p.pal.text,
           fonts.heading, w);
    p.text(say(Language::id, N_("ui.oos.body"),
               "Mohon maaf. Silakan hubungi petugas di loket, atau laporkan melalui lapor.go.id."),
           p.pal.text, fonts.body, w);
    p.gap(30 * s);
    p.text(say(Language::en, N_("ui.oos.title"), "This kiosk is out of service"), p.pal.text,
           fonts.heading, w);
    p.text(say(Language::en, N_("ui.oos.body"),
               "We are sorry. Please ask the staff at the counter, or report at lapor.go.id."),
           p.pal.text, fonts.body, w);
    p.gap(40 * s);
    p.text(say(Language::en, N_("ui.oos.technical"), "For the technician:"), p.pal.muted,
           fonts.small, w);
    p.text(oos_error, p.pal.muted, fonts.small, w);
    record.insert_or_assign("out_of_service", Rect{0, 0, d.x, d.y});
}

}  // namespace lapor::ui
