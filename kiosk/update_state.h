// The kiosk's update state: one small JSON file on the data partition (root-owned, readable by
// all: `kioskctl status`, doctor and staff diagnostics show it). Every step of an update moves
// it on; the transitions at boot (did the new slot come up, or did the kiosk fall back?) and
// after the health check are pure functions here, tested without a kiosk.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace lapor {

struct UpdateState {
    // idle | downloading | downloaded | installing | installed | rebooting | trial | good |
    // health_failed | rolled_back | refused | failed
    std::string phase = "idle";
    std::string message;           // the last step, a sentence
    std::string running_version;   // the version that recorded this state
    std::string target_version;    // the version being downloaded / installed / tried
    std::string previous_version;  // what ran before the install (the fallback)
    std::string rolled_back_from;  // the version that failed, once a rollback happened
    std::int64_t updated_unix = 0;
    std::int64_t last_check_unix = 0;
    std::int64_t failed_checks = 0;  // update checks failed in a row (0 after one that worked)
    std::int64_t rolled_back_unix = 0;
    std::int64_t rollbacks = 0;  // falls back so far, ever (lapor_rollbacks_total)
};

// "{}" or a missing file give the default state; a damaged file gives nullopt.
std::optional<UpdateState> parse_update_state(const std::string& json);
std::string update_state_json(const UpdateState& s);

// What is known right after a boot.
struct BootFacts {
    std::string version;    // the image version of the booted slot
    bool on_trial = false;  // the booted slot's boot entry still counts tries
};
// The state after a boot: a kiosk that was installing or trying version T and now runs another
// version fell back by itself (rolled_back); one that runs T on trial waits for its health check.
UpdateState state_after_boot(UpdateState s, const BootFacts& boot, std::int64_t now_unix);

// The state after the health check of this boot (healthy or not, with the reason).
UpdateState state_after_health(UpdateState s, bool healthy, const std::string& reason,
                               bool on_trial, std::int64_t now_unix);

// One line for status and doctor: "updated: 1.0 -> 1.1", "rolled back: 1.2 -> 1.1", ...
std::string update_summary(const UpdateState& s);

// The state file in `state_dir` ([update] state_dir).
std::string update_state_path(const std::string& state_dir);

}  // namespace lapor
