#include "staff.h"

#include <algorithm>

#include "crypto.h"

namespace lapor::ui {

void StaffSession::audit(const std::string& action, const std::string& detail) {
    if (!store_) return;
    try {
        store_->audit("staff", action, detail);
    } catch (const StoreError&) {
        // The audit is best effort on a failing disk; the diagnostics screen shows the store.
    }
}

void StaffSession::open_pin() {
    screen_ = StaffScreen::pin;
    touch();
    audit("open", "corner held 5 s");
}

std::optional<double> StaffSession::locked_for_s() const {
    if (!locked_until_ms_) return std::nullopt;
    const auto left = *locked_until_ms_ - clock_.mono_ms();
    if (left <= 0) return std::nullopt;
    return static_cast<double>(left) / 1000.0;
}

PinResult StaffSession::check_pin(const std::string& pin) {
    touch();
    if (locked_for_s()) {
        audit("pin_refused", "locked out");
        return PinResult::locked;
    }
    if (locked_until_ms_) {  // the lockout has ended
        locked_until_ms_.reset();
        failures_ = 0;
    }
    if (cfg_.pin_hash.empty()) {
        audit("pin_fail", "no staff PIN is set");
        return PinResult::no_pin_set;
    }
    if (argon2id_verify(cfg_.pin_hash, pin)) {
        failures_ = 0;
        audit("pin_ok", "");
        screen_ = StaffScreen::verify;
        return PinResult::ok;
    }
    ++failures_;
    audit("pin_fail", "attempt " + std::to_string(failures_));
    if (failures_ >= cfg_.lockout_after) {
        locked_until_ms_ = clock_.mono_ms() + static_cast<std::int64_t>(cfg_.lockout_s * 1000);
        audit("lockout", std::to_string(failures_) + " wrong PINs; locked for " +
                             std::to_string(static_cast<long>(cfg_.lockout_s)) + " s");
        return PinResult::locked;
    }
    return PinResult::wrong;
}

void StaffSession::go(StaffScreen s) {
    touch();
    if (s == StaffScreen::pin || unlocked()) screen_ = s;
}

void StaffSession::exit(const char* why) {
    if (screen_ == StaffScreen::none) return;
    audit("exit", why);
    screen_ = StaffScreen::none;
}

std::optional<std::int64_t> StaffSession::next_timer_ms() const {
    if (!active()) return std::nullopt;
    const auto timeout = static_cast<std::int64_t>(cfg_.timeout_s * 1000);
    return std::max<std::int64_t>(0, last_activity_ms_ + timeout - clock_.mono_ms());
}

bool StaffSession::tick() {
    if (!active()) return false;
    if (clock_.mono_ms() - last_activity_ms_ < static_cast<std::int64_t>(cfg_.timeout_s * 1000))
        return false;
    exit("timeout");
    return true;
}

}  // namespace lapor::ui
