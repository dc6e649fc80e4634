// Staff mode's rules without drawing: the 5-second corner hold, the PIN check (Argon2id against
// staff.pin_hash), lockout after `lockout_after` wrong PINs for `lockout_s`, the inactivity
// timeout, and the audit entries for each. The UI draws from this and calls it on taps.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "clock.h"
#include "config.h"
#include "store.h"

namespace lapor::ui {

enum class StaffScreen { none, pin, verify, queue, printer, diagnostics };

enum class PinResult { ok, wrong, locked, no_pin_set };

class StaffSession {
public:
    StaffSession(const Config::Staff& cfg, const Clock& clock, Store* store)
        : cfg_(cfg), clock_(clock), store_(store) {}

    static constexpr std::int64_t hold_ms = 5000;

    StaffScreen screen() const { return screen_; }
    bool active() const { return screen_ != StaffScreen::none; }
    bool unlocked() const { return active() && screen_ != StaffScreen::pin; }

    // The corner has been held for hold_ms: show the PIN pad.
    void open_pin();
    PinResult check_pin(const std::string& pin);
    // Seconds left in a lockout, if locked.
    std::optional<double> locked_for_s() const;
    int failures() const { return failures_; }
    void go(StaffScreen s);
    void touch() { last_activity_ms_ = clock_.mono_ms(); }
    // Leaves staff mode (exit button, or the timeout from tick()).
    void exit(const char* why);
    // Returns true when the timeout closed staff mode.
    bool tick();
    std::optional<std::int64_t> next_timer_ms() const;
    void audit(const std::string& action, const std::string& detail);

private:
    const Config::Staff& cfg_;
    const Clock& clock_;
    Store* store_;
    StaffScreen screen_ = StaffScreen::none;
    int failures_ = 0;
    std::optional<std::int64_t> locked_until_ms_;
    std::int64_t last_activity_ms_ = 0;
};

}  // namespace lapor::ui
