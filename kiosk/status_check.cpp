#include "status_check.h"

#include "i18n_marker.h"
#include "tracking.h"

namespace lapor {

std::string_view to_string(StatusVerdict v) {
    switch (v) {
        case StatusVerdict::found: return "found";
        case StatusVerdict::incomplete: return "incomplete";
        case StatusVerdict::bad_check: return "bad_check";
        case StatusVerdict::malformed: return "malformed";
        case StatusVerdict::not_genuine: return "not_genuine";
        case StatusVerdict::other_kiosk: return "other_kiosk";
        case StatusVerdict::not_found: return "not_found";
    }
    return "?";
}

const char* verdict_msgid(StatusVerdict v) {
    switch (v) {
        case StatusVerdict::found: return nullptr;
        case StatusVerdict::incomplete: return N_("status.verdict.incomplete");
        case StatusVerdict::bad_check: return N_("status.verdict.bad_check");
        case StatusVerdict::malformed: return N_("status.verdict.malformed");
        case StatusVerdict::not_genuine: return N_("status.verdict.not_genuine");
        case StatusVerdict::other_kiosk: return N_("status.verdict.other_kiosk");
        case StatusVerdict::not_found: return N_("status.verdict.not_found");
    }
    return nullptr;
}

std::string code_characters(std::string_view typed) {
    std::string out;
    for (char c : typed) {
        if (c == '-' || c == ' ') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c == 'O') c = '0';
        if (c == 'I' || c == 'L') c = '1';
        if (crockford_alphabet.find(c) == std::string_view::npos) return {};
        if (out.size() < tracking_chars) out += c;
    }
    return out;
}

namespace {

std::string grouped(std::string_view raw) {
    std::string g;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (i == 4 || i == 8 || i == 12) g += '-';
        g += raw[i];
    }
    return g;
}

// The national statuses in the order a report moves through them (kiosk/store.h), with the
// words a citizen reads for each.
struct NationalStage {
    const char* status;
    const char* msgid;
};
constexpr NationalStage national_stages[] = {
    {"received", N_("status.stage.received")},
    {"verified", N_("status.stage.verified")},
    {"dispositioned", N_("status.stage.dispositioned")},
    {"in_progress", N_("status.stage.in_progress")},
    {"done", N_("status.stage.done")},
};

int stage_index(std::string_view status) {
    if (status == "closed" || status == "archived") return 4;  // final, in the last place
    for (int i = 0; i < 5; ++i)
        if (status == national_stages[i].status) return i;
    return -1;
}

void fill_found(StatusAnswer& a, const ReportView& v) {
    a.verdict = StatusVerdict::found;
    a.state = v.state;
    a.national_id = v.national_id;
    a.agency_id = v.report.agency_id;
    a.checked_ms = v.status_checked_ms;
    if (!v.history.empty()) {
        const StatusEntry& last = v.history.back();
        a.status = last.status;
        a.agency = last.agency;
        a.public_reply = last.public_reply;
        a.updated_unix = last.updated_unix;
    }
    const bool accepted = v.state == OutboxState::accepted;
    a.stages.push_back({N_("status.stage.saved"), v.report.created_unix, true, false});
    a.stages.push_back(
        {N_("status.stage.sent"),
         v.accepted_ms ? std::optional<std::int64_t>(*v.accepted_ms / 1000) : std::nullopt,
         accepted, false});
    const int now = accepted ? stage_index(a.status) : -1;
    for (int i = 0; i < 5; ++i) {
        StatusStage st{national_stages[i].msgid, std::nullopt, i <= now, false};
        if (i == 4 && a.status == "closed") st.msgid = N_("status.stage.closed");
        if (i == 4 && a.status == "archived") st.msgid = N_("status.stage.archived");
        for (const auto& h : v.history)  // the first time it got there
            if (stage_index(h.status) == i) {
                st.at_unix = h.updated_unix;
                break;
            }
        a.stages.push_back(st);
    }
    for (auto it = a.stages.rbegin(); it != a.stages.rend(); ++it)
        if (it->reached) {
            it->current = true;
            break;
        }
    switch (v.state) {
        case OutboxState::held:
        case OutboxState::rejected: a.problem_msgid = N_("status.problem.refused"); break;
        case OutboxState::conflict: a.problem_msgid = N_("status.problem.conflict"); break;
        default: break;
    }
}

}  // namespace

StatusCheck::StatusCheck(StatusCheckSettings settings, Store* store, const Keyring& keyring)
    : settings_(std::move(settings)), store_(store), keyring_(keyring) {}

CodeProgress StatusCheck::progress(std::string_view typed) const {
    CodeProgress p;
    const std::string raw = code_characters(typed);
    p.grouped = grouped(raw);
    p.chars = raw.size();
    p.complete = raw.size() == tracking_chars;
    p.check_ok = p.complete && tracking_check_char(raw.substr(0, 12)) == raw[12];
    p.other_prefix = raw.size() >= 4 && raw.substr(0, 4) != settings_.code_prefix;
    return p;
}

StatusAnswer StatusCheck::check(std::string_view input) const {
    StatusAnswer a;
    std::string_view in = input;
    while (!in.empty() && (in.front() == ' ' || in.front() == '\n')) in.remove_prefix(1);
    while (!in.empty() && (in.back() == ' ' || in.back() == '\n' || in.back() == '\r'))
        in.remove_suffix(1);
    std::string tracking;
    const bool link = in.find("://") != std::string_view::npos;
    if (link) {
        const Verification ver = verify_receipt_url(in, keyring_, {{settings_.verify_base}, true});
        if (!ver.fields) {
            a.verdict = ver.result == VerifyResult::bad_check ? StatusVerdict::bad_check
                                                              : StatusVerdict::malformed;
            return a;
        }
        a.tracking = ver.fields->tracking;
        if (ver.fields->kiosk_id != settings_.kiosk_id ||
            ver.result == VerifyResult::kiosk_mismatch) {
            // Another kiosk's receipt: its own link is where to check it.
            a.verdict = StatusVerdict::other_kiosk;
            a.verify_url = std::string(in);
            return a;
        }
        if (ver.result == VerifyResult::bad_check) {
            a.verdict = StatusVerdict::bad_check;
            return a;
        }
        if (ver.result != VerifyResult::genuine) {
            a.verdict = StatusVerdict::not_genuine;
            return a;
        }
        tracking = ver.fields->tracking;
    } else {
        const CodeProgress p = progress(in);
        if (code_characters(in).empty() || p.chars == 0) {
            a.verdict = StatusVerdict::malformed;
            return a;
        }
        a.tracking = p.grouped;
        if (!p.complete) {
            a.verdict = StatusVerdict::incomplete;
            return a;
        }
        if (!p.check_ok) {
            a.verdict = StatusVerdict::bad_check;
            return a;
        }
        tracking = p.grouped;
        if (p.other_prefix) {
            a.verdict = StatusVerdict::other_kiosk;
            a.verify_url = settings_.verify_base + "/r/" + tracking;
            return a;
        }
    }
    const auto found = store_ ? store_->find_by_tracking(tracking) : std::nullopt;
    if (!found) {
        a.verdict = StatusVerdict::not_found;
        a.verify_url = link ? std::string(in) : settings_.verify_base + "/r/" + tracking;
        return a;
    }
    fill_found(a, *found);
    return a;
}

}  // namespace lapor
