// Staff mode as a plain state machine beside Flow: the PIN check (Argon2id against the staff PIN
// hash), the lockout after `lockout_after` wrong PINs for `lockout_s`, the inactivity timeout,
// receipt verification and look-up, reprint requests, the queue and diagnostics data, and the
// audit entry for each. The UI draws from its read-only state and calls it on taps; nothing here
// draws, prints or translates (messages are message ids with parameters).
//
// Wrong PINs and a running lockout are kept in the store (device_health: staff_pin_failures,
// staff_locked_until) and read back when the PIN pad opens, so neither a restart nor a power cut
// resets the count. The lockout's end is kept as wall-clock time (the monotonic clock restarts
// at boot); a remaining time longer than `lockout_s` (the wall clock went back) counts as
// `lockout_s`.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clock.h"
#include "doctor.h"
#include "receipt.h"
#include "report.h"
#include "store.h"

namespace lapor {

enum class StaffScreen { none, pin, verify, queue, printer, diagnostics };
std::string_view to_string(StaffScreen s);

enum class PinResult { ok, wrong, locked, no_pin_set };

struct StaffSettings {
    std::string pin_hash;  // empty: staff mode stays locked until a PIN is set
    int lockout_after = 5;
    double lockout_s = 300;
    double timeout_s = 120;
    std::string verify_base;  // the config's receipt.verify_base: links elsewhere are wrong_site
};

// One sentence for the staff screen: a message id, its {placeholders}, and text appended as is
// (e.g. a printer's detail). The UI translates it.
struct StaffMessage {
    std::string msgid;
    std::vector<std::pair<std::string, std::string>> args;
    std::string prefix_msgid;  // translated and put before it with ": " (e.g. "Reprint")
    std::string suffix;
    bool bad = false;
    bool empty() const { return msgid.empty(); }
};

struct StaffQueue {
    QueueCounts counts;
    std::vector<ReportView> rejected, conflict, held;
    // Device health's endpoint_warning: the endpoint answers with something that is not the
    // national API (a proxy, a captive portal); empty when it answers as the API.
    std::string endpoint_warning;
    static constexpr int list_max = 20;
};

class StaffFlow {
public:
    // `diagnostics` runs the core checks (kiosk/doctor.h) when the diagnostics tab opens.
    StaffFlow(StaffSettings settings, const Clock& clock, Store* store, const Keyring& keyring,
              std::function<std::vector<Check>()> diagnostics = {});

    static constexpr std::int64_t hold_ms = 5000;  // the corner is held this long

    // --- read-only state for the screens ---
    StaffScreen screen() const { return screen_; }
    bool active() const { return screen_ != StaffScreen::none; }
    bool unlocked() const { return active() && screen_ != StaffScreen::pin; }
    Language language() const { return language_; }
    std::optional<double> locked_for_s() const;
    int failures() const { return failures_; }
    const StaffMessage& message() const { return message_; }
    const std::optional<Verification>& verification() const { return verification_; }
    const std::optional<ReportView>& looked_up() const { return looked_up_; }
    const std::optional<StaffQueue>& queue() const { return queue_; }
    const std::optional<std::vector<Check>>& checks() const { return checks_; }
    const StaffMessage& store_error() const { return store_error_; }
    bool job_running() const { return job_running_; }
    bool job_finished() const { return job_finished_; }

    // --- what staff do ---
    // The corner was held: the PIN pad, in the language of the interrupted session.
    void open(Language session_language);
    PinResult enter_pin(const std::string& pin);
    void go(StaffScreen s);  // a tab: reads its data (queue, diagnostics) once
    void refresh();          // the open tab's data again
    void set_language(Language l);
    void verify(const std::string& url);
    // A typed tracking code (any case, dashes optional): the stored report to print as a copy,
    // or nothing with the reason in message().
    std::optional<PreparedReport> reprint(const std::string& typed);
    void test_print();  // audited; the UI submits the page
    // A print job the UI submitted (reprint or test page) ended.
    void job_done(bool ok, const char* result_msgid, const std::string& detail);
    void touch();
    // Leaves staff mode (exit button, PIN pad's exit, or the timeout from tick()).
    void exit(const char* why);
    // Returns true when the inactivity timeout closed staff mode.
    bool tick();
    std::optional<std::int64_t> next_timer_ms() const;

private:
    void audit(const std::string& action, const std::string& detail);
    void load_lock();
    void save_lock();
    void load_tab();
    StaffMessage store_failure(const std::exception& e) const;

    StaffSettings settings_;
    const Clock& clock_;
    Store* store_;
    const Keyring& keyring_;
    std::function<std::vector<Check>()> diagnostics_;

    StaffScreen screen_ = StaffScreen::none;
    Language language_ = Language::id;
    int failures_ = 0;
    std::optional<std::int64_t> locked_until_ms_;  // monotonic
    std::int64_t last_activity_ms_ = 0;
    StaffMessage message_;
    StaffMessage store_error_;
    std::optional<Verification> verification_;
    std::optional<ReportView> looked_up_;
    std::optional<StaffQueue> queue_;
    std::optional<std::vector<Check>> checks_;
    const char* job_what_ = nullptr;
    bool job_running_ = false;
    bool job_finished_ = false;
};

}  // namespace lapor
