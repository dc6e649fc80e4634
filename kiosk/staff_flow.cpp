#include "staff_flow.h"

#include <algorithm>
#include <cmath>

#include "crypto.h"
#include "i18n_marker.h"
#include "tracking.h"

namespace lapor {

namespace {
StaffMessage plain(const char* msgid, bool bad) {
    StaffMessage m;
    m.msgid = msgid;
    m.bad = bad;
    return m;
}
}  // namespace

std::string_view to_string(StaffScreen s) {
    switch (s) {
        case StaffScreen::none: return "none";
        case StaffScreen::pin: return "staff_pin";
        case StaffScreen::verify: return "staff_verify";
        case StaffScreen::queue: return "staff_queue";
        case StaffScreen::printer: return "staff_printer";
        case StaffScreen::diagnostics: return "staff_diagnostics";
    }
    return "?";
}

StaffFlow::StaffFlow(StaffSettings settings, const Clock& clock, Store* store,
                     const Keyring& keyring, std::function<std::vector<Check>()> diagnostics)
    : settings_(std::move(settings)),
      clock_(clock),
      store_(store),
      keyring_(keyring),
      diagnostics_(std::move(diagnostics)) {
    load_lock();
}

void StaffFlow::audit(const std::string& action, const std::string& detail) {
    if (!store_) return;
    try {
        store_->audit("staff", action, detail);
    } catch (const StoreError&) {
        // Best effort on a failing disk; the diagnostics screen shows the store's state.
    }
}

// The persisted count and lockout (see the header). A store that cannot be read keeps what this
// process knows: the pad never opens wider because of a read error.
void StaffFlow::load_lock() {
    if (!store_) return;
    try {
        const auto h = store_->health();
        if (auto it = h.find(HealthKey::staff_pin_failures); it != h.end())
            failures_ = std::max(failures_, std::atoi(it->second.value.c_str()));
        if (auto it = h.find(HealthKey::staff_locked_until); it != h.end()) {
            const std::int64_t until = std::atoll(it->second.value.c_str());
            const auto cap = static_cast<std::int64_t>(settings_.lockout_s * 1000);
            const std::int64_t left = std::min(until - clock_.now_ms(), cap);
            if (until > 0 && left > 0) {
                const std::int64_t mono = clock_.mono_ms() + left;
                locked_until_ms_ = std::max(locked_until_ms_.value_or(0), mono);
            } else if (until > 0 && !locked_until_ms_) {
                locked_until_ms_ = clock_.mono_ms();  // ended while we were down
            }
        }
    } catch (const StoreError&) {
    }
}

void StaffFlow::save_lock() {
    if (!store_) return;
    try {
        store_->set_health(HealthKey::staff_pin_failures, std::to_string(failures_));
        std::int64_t until = 0;
        if (auto left = locked_for_s())
            until = clock_.now_ms() + static_cast<std::int64_t>(std::ceil(*left * 1000));
        store_->set_health(HealthKey::staff_locked_until, std::to_string(until));
    } catch (const StoreError&) {
    }
}

void StaffFlow::open(Language session_language) {
    screen_ = StaffScreen::pin;
    language_ = session_language;
    message_ = {};
    store_error_ = {};
    verification_.reset();
    looked_up_.reset();
    queue_.reset();
    checks_.reset();
    job_finished_ = false;
    touch();
    load_lock();
    audit("open", "corner held 5 s");
}

std::optional<double> StaffFlow::locked_for_s() const {
    if (!locked_until_ms_) return std::nullopt;
    const auto left = *locked_until_ms_ - clock_.mono_ms();
    if (left <= 0) return std::nullopt;
    return static_cast<double>(left) / 1000.0;
}

PinResult StaffFlow::enter_pin(const std::string& pin) {
    touch();
    const auto locked_msg = [&] {
        return StaffMessage{
            N_("ui.staff.locked"),
            {{"n", std::to_string(static_cast<int>(std::ceil(locked_for_s().value_or(0))))}},
            "",
            "",
            true};
    };
    if (locked_for_s()) {
        audit("pin_refused", "locked out");
        message_ = locked_msg();
        return PinResult::locked;
    }
    if (locked_until_ms_) {  // the lockout has ended
        locked_until_ms_.reset();
        failures_ = 0;
        save_lock();
    }
    if (settings_.pin_hash.empty()) {
        audit("pin_fail", "no staff PIN is set");
        message_ = StaffMessage{N_("ui.staff.no_pin"), {}, "", "", true};
        return PinResult::no_pin_set;
    }
    if (argon2id_verify(settings_.pin_hash, pin)) {
        failures_ = 0;
        save_lock();
        audit("pin_ok", "");
        message_ = {};
        screen_ = StaffScreen::verify;
        return PinResult::ok;
    }
    ++failures_;
    if (failures_ >= settings_.lockout_after)
        locked_until_ms_ = clock_.mono_ms() + static_cast<std::int64_t>(settings_.lockout_s * 1000);
    save_lock();  // before the audit: the count is what protects the pad
    audit("pin_fail", "attempt " + std::to_string(failures_));
    if (locked_until_ms_) {
        audit("lockout", std::to_string(failures_) + " wrong PINs; locked for " +
                             std::to_string(static_cast<long>(settings_.lockout_s)) + " s");
        message_ = locked_msg();
        return PinResult::locked;
    }
    message_ = StaffMessage{N_("ui.staff.pin_wrong"), {}, "", "", true};
    return PinResult::wrong;
}

StaffMessage StaffFlow::store_failure(const std::exception& e) const {
    return StaffMessage{N_("ui.staff.store_error"), {{"error", e.what()}}, "", "", true};
}

void StaffFlow::load_tab() {
    store_error_ = {};
    if (!store_) return;
    try {
        if (screen_ == StaffScreen::queue) {
            StaffQueue q;
            q.counts = store_->counts();
            q.rejected = store_->list_by_state(OutboxState::rejected, StaffQueue::list_max);
            q.conflict = store_->list_by_state(OutboxState::conflict, StaffQueue::list_max);
            q.held = store_->list_by_state(OutboxState::held, StaffQueue::list_max);
            const auto health = store_->health();
            if (const auto w = health.find(HealthKey::endpoint_warning); w != health.end())
                q.endpoint_warning = w->second.value;
            queue_ = std::move(q);
        } else if (screen_ == StaffScreen::diagnostics && diagnostics_) {
            checks_ = diagnostics_();
        }
    } catch (const StoreError& e) {
        store_error_ = store_failure(e);
    }
}

void StaffFlow::go(StaffScreen s) {
    touch();
    if (s != StaffScreen::pin && !unlocked()) return;
    screen_ = s;
    message_ = {};
    checks_.reset();
    queue_.reset();
    load_tab();
}

void StaffFlow::refresh() {
    touch();
    load_tab();
}

void StaffFlow::set_language(Language l) {
    touch();
    language_ = l;
}

void StaffFlow::verify(const std::string& url) {
    if (!unlocked()) return;
    touch();
    // The kiosk's own key and verify base: the rules are the core's (kiosk/receipt.h).
    verification_ = verify_receipt_url(url, keyring_, VerifyOptions{{settings_.verify_base}, true});
    looked_up_.reset();
    store_error_ = {};
    if (verification_->fields && store_) {
        try {
            looked_up_ = store_->find_by_tracking(verification_->fields->tracking);
        } catch (const StoreError& e) {
            store_error_ = store_failure(e);
        }
    }
    audit("verify", std::string(to_string(verification_->result)) +
                        (verification_->fields ? " " + verification_->fields->tracking : ""));
    message_ = {};
}

std::optional<PreparedReport> StaffFlow::reprint(const std::string& typed) {
    if (!unlocked()) return std::nullopt;
    touch();
    store_error_ = {};
    // What a person types: any case, with or without dashes (kiosk/tracking.h).
    const ParsedTracking parsed = parse_tracking(typed);
    if (parsed.error) {
        message_ = StaffMessage{*parsed.error == TrackingError::bad_check
                                    ? N_("ui.staff.reprint_bad_check")
                                    : N_("ui.staff.reprint_malformed"),
                                {},
                                "",
                                "",
                                true};
        return std::nullopt;
    }
    std::optional<ReportView> found;
    try {
        if (store_) found = store_->find_by_tracking(format_tracking(parsed.raw));
    } catch (const StoreError& e) {
        message_ = store_failure(e);
        return std::nullopt;
    }
    if (!found) {
        message_ = StaffMessage{N_("ui.staff.reprint_unknown"), {}, "", "", true};
        return std::nullopt;
    }
    job_what_ = N_("ui.staff.reprint");
    job_running_ = true;
    job_finished_ = false;
    message_ = plain(N_("ui.staff.printing"), false);
    audit("reprint", found->report.tracking);
    return found->report;
}

void StaffFlow::test_print() {
    if (!unlocked()) return;
    touch();
    job_what_ = N_("ui.staff.test_print");
    job_running_ = true;
    job_finished_ = false;
    message_ = plain(N_("ui.staff.printing"), false);
    audit("test_print", "");
}

void StaffFlow::job_done(bool ok, const char* result_msgid, const std::string& detail) {
    job_running_ = false;
    job_finished_ = true;
    message_ = StaffMessage{result_msgid,
                            {},
                            job_what_ ? job_what_ : "",
                            detail.empty() ? "" : " (" + detail + ")",
                            !ok};
}

void StaffFlow::touch() { last_activity_ms_ = clock_.mono_ms(); }

void StaffFlow::exit(const char* why) {
    if (screen_ == StaffScreen::none) return;
    audit("exit", why);
    screen_ = StaffScreen::none;
    message_ = {};
    store_error_ = {};
    verification_.reset();
    looked_up_.reset();
    queue_.reset();
    checks_.reset();
}

std::optional<std::int64_t> StaffFlow::next_timer_ms() const {
    if (!active()) return std::nullopt;
    const auto timeout = static_cast<std::int64_t>(settings_.timeout_s * 1000);
    return std::max<std::int64_t>(0, last_activity_ms_ + timeout - clock_.mono_ms());
}

bool StaffFlow::tick() {
    if (!active()) return false;
    if (clock_.mono_ms() - last_activity_ms_ <
        static_cast<std::int64_t>(settings_.timeout_s * 1000))
        return false;
    exit("timeout");
    return true;
}

}  // namespace lapor
