#include "spoken.h"

#include "i18n_marker.h"
#include "labels.h"

namespace lapor {
namespace {

const char* what_to_do(Screen s) {
    switch (s) {
        case Screen::attract: return N_("speech.do.attract");
        case Screen::language: return N_("speech.do.language");
        case Screen::classification: return N_("speech.do.classification");
        case Screen::agency: return N_("speech.do.agency");
        case Screen::text: return N_("speech.do.text");
        case Screen::date_location: return N_("speech.do.date_location");
        case Screen::privacy: return N_("speech.do.privacy");
        case Screen::consent: return N_("speech.do.consent");
        case Screen::contact: return N_("speech.do.contact");
        case Screen::review: return N_("speech.do.review");
        case Screen::receipt: return N_("speech.do.receipt");
        case Screen::status: return N_("speech.do.status");
    }
    return N_("speech.do.attract");
}

std::string sentence(std::string s) {
    while (!s.empty() && s.back() == ' ') s.pop_back();
    if (!s.empty() && s.back() != '.' && s.back() != '?' && s.back() != '!' && s.back() != ':')
        s += '.';
    return s;
}

}  // namespace

std::string spell_out(std::string_view code) {
    std::string out;
    for (char c : code) {
        if (c == '-') {
            out += ",";
            continue;
        }
        if (!out.empty()) out += ' ';
        out += c;
    }
    return out;
}

std::string SpokenScreen::text(const Messages& m, std::string_view lang) const {
    std::string out = sentence(title);
    if (!what_to_do.empty()) out += " " + sentence(what_to_do);
    if (!choices.empty()) {
        std::string list;
        for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
        out += " " + sentence(format(m.tr(lang, N_("speech.choices")), {{"list", list}}));
    }
    for (const auto& e : errors)
        out += " " + sentence(format(m.tr(lang, N_("speech.error")), {{"error", e}}));
    return out;
}

SpokenScreen spoken_screen(const Flow& flow, const Catalog& catalog, const Messages& m,
                           std::string_view lang, const std::vector<std::string>& offered) {
    SpokenScreen s;
    const Screen screen = flow.screen();
    const Language names = lang == "en" ? Language::en : Language::id;  // catalog has id and en
    s.title = m.tr(lang, labels::title(screen));
    s.what_to_do = m.tr(lang, what_to_do(screen));
    const auto& d = flow.draft();
    switch (screen) {
        case Screen::language: s.choices = offered; break;
        case Screen::classification:
            for (auto c : {Classification::complaint, Classification::aspiration,
                           Classification::information})
                s.choices.push_back(m.tr(lang, labels::name(c)));
            break;
        case Screen::agency:
            if (const Agency* a = catalog.find_agency(d.agency_id)) {
                for (const auto& c : a->categories) s.choices.push_back(c.name.in(names));
            } else {
                for (const auto& a2 : catalog.agencies()) s.choices.push_back(a2.name.in(names));
            }
            break;
        case Screen::privacy:
            for (auto p : {Privacy::public_report, Privacy::anonymous, Privacy::confidential})
                s.choices.push_back(m.tr(lang, labels::name(p)) + ": " +
                                    m.tr(lang, labels::explanation(p)));
            break;
        case Screen::consent:
            for (const char* id : {labels::consent_what, labels::consent_why, labels::consent_who})
                s.what_to_do += " " + sentence(m.tr(lang, id));
            s.choices = {m.tr(lang, N_("ui.consent.yes")), m.tr(lang, N_("ui.consent.no"))};
            break;
        case Screen::receipt:
            if (flow.receipt())
                s.what_to_do =
                    format(s.what_to_do, {{"code", spell_out(flow.receipt()->tracking)}});
            break;
        default: break;
    }
    for (const auto& p : flow.problems()) s.errors.push_back(m.tr(lang, p.msgid));
    if (flow.error()) s.errors.push_back(m.tr(lang, flow.error()));
    return s;
}

std::string spoken_status(const StatusAnswer& a, const Messages& m, std::string_view lang,
                          const std::string& agency_name) {
    std::string out;
    auto add = [&](const std::string& s) { out += (out.empty() ? "" : " ") + sentence(s); };
    if (!a.tracking.empty()) add(m.tr(lang, N_("ui.status.code")) + ": " + spell_out(a.tracking));
    if (a.verdict != StatusVerdict::found) {
        add(m.tr(lang, verdict_msgid(a.verdict)));
        return out;
    }
    for (const auto& st : a.stages)
        if (st.current)
            add(format(m.tr(lang, N_("speech.status.stage")), {{"stage", m.tr(lang, st.msgid)}}));
    if (!agency_name.empty()) add(m.tr(lang, N_("ui.status.agency")) + ": " + agency_name);
    if (a.problem_msgid) add(m.tr(lang, a.problem_msgid));
    // Saved and not sent yet (not refused: the problem says that), as the screen says.
    if (!a.problem_msgid && a.state != OutboxState::accepted)
        add(m.tr(lang, N_("ui.status.not_sent_yet")));
    if (!a.public_reply.empty()) add(m.tr(lang, N_("ui.status.reply")) + ": " + a.public_reply);
    return out;
}

}  // namespace lapor
