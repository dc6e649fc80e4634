#include "update_state.h"

#include <nlohmann/json.hpp>

namespace lapor {

std::optional<UpdateState> parse_update_state(const std::string& text) {
    UpdateState s;
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return s;
    try {
        const auto j = nlohmann::json::parse(text);
        if (!j.is_object()) return std::nullopt;
        auto str = [&](const char* k, std::string& out) {
            if (j.contains(k) && j[k].is_string()) out = j[k].get<std::string>();
        };
        auto num = [&](const char* k, std::int64_t& out) {
            if (j.contains(k) && j[k].is_number_integer()) out = j[k].get<std::int64_t>();
        };
        str("phase", s.phase);
        str("message", s.message);
        str("running_version", s.running_version);
        str("target_version", s.target_version);
        str("previous_version", s.previous_version);
        str("rolled_back_from", s.rolled_back_from);
        num("updated_unix", s.updated_unix);
        num("last_check_unix", s.last_check_unix);
        num("failed_checks", s.failed_checks);
        num("rolled_back_unix", s.rolled_back_unix);
        num("rollbacks", s.rollbacks);
        return s;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

std::string update_state_json(const UpdateState& s) {
    return nlohmann::json{{"phase", s.phase},
                          {"message", s.message},
                          {"running_version", s.running_version},
                          {"target_version", s.target_version},
                          {"previous_version", s.previous_version},
                          {"rolled_back_from", s.rolled_back_from},
                          {"updated_unix", s.updated_unix},
                          {"last_check_unix", s.last_check_unix},
                          {"failed_checks", s.failed_checks},
                          {"rolled_back_unix", s.rolled_back_unix},
                          {"rollbacks", s.rollbacks}}
               .dump(2) +
           "\n";
}

UpdateState state_after_boot(UpdateState s, const BootFacts& boot, std::int64_t now) {
    const bool in_flight = s.phase == "installed" || s.phase == "rebooting" || s.phase == "trial" ||
                           s.phase == "health_failed";
    const std::string before = s.running_version;
    const bool failed_check = s.phase == "health_failed";
    s.running_version = boot.version;
    if (in_flight && !s.target_version.empty() && boot.version != s.target_version) {
        // The new slot did not come up, or failed its health check: systemd-boot went back.
        s.phase = "rolled_back";
        s.rolled_back_from = s.target_version;
        s.rolled_back_unix = now;
        ++s.rollbacks;  // once: the next boot finds the phase rolled_back, not in flight
        s.message =
            "rolled back: " + s.target_version + " -> " + boot.version +
            (failed_check ? " (it failed its health check)" : " (it did not come up in 3 tries)");
        s.updated_unix = now;
        return s;
    }
    if (in_flight && boot.version == s.target_version) {
        s.phase = boot.on_trial ? "trial" : "good";
        s.message = boot.on_trial ? "booted " + boot.version + " on trial (was " +
                                        s.previous_version + "); waiting for the health check"
                                  : "updated: " + s.previous_version + " -> " + boot.version;
        s.updated_unix = now;
        return s;
    }
    if (before != boot.version && s.phase != "rolled_back") {
        s.message = "running " + boot.version;
        s.updated_unix = now;
    }
    return s;
}

UpdateState state_after_health(UpdateState s, bool healthy, const std::string& reason,
                               bool on_trial, std::int64_t now) {
    if (!on_trial) return s;  // a blessed slot is not judged again
    s.updated_unix = now;
    if (healthy) {
        s.phase = "good";
        s.message = "updated: " + (s.previous_version.empty() ? "?" : s.previous_version) + " -> " +
                    s.running_version;
        s.rolled_back_from.clear();
        s.rolled_back_unix = 0;
    } else {
        s.phase = "health_failed";
        s.target_version = s.running_version;
        s.message = s.running_version + " failed its health check (" + reason +
                    "); rebooting into " + s.previous_version;
    }
    return s;
}

std::string update_summary(const UpdateState& s) {
    if (s.phase == "rolled_back")
        return "rolled back: " + s.rolled_back_from + " -> " + s.running_version;
    if (s.phase == "good" && !s.previous_version.empty())
        return "updated: " + s.previous_version + " -> " + s.running_version;
    return s.phase + (s.message.empty() ? "" : ": " + s.message);
}

std::string update_state_path(const std::string& state_dir) { return state_dir + "/state.json"; }

}  // namespace lapor
