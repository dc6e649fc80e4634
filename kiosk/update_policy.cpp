#include "update_policy.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <regex>

namespace lapor {
namespace {

std::optional<int> hhmm(std::string_view t, bool allow_24) {
    if (t.size() != 5 || t[2] != ':') return std::nullopt;
    for (std::size_t i : {0u, 1u, 3u, 4u}) {
        if (t[i] < '0' || t[i] > '9') return std::nullopt;
    }
    const int h = (t[0] - '0') * 10 + (t[1] - '0');
    const int m = (t[3] - '0') * 10 + (t[4] - '0');
    if (m > 59) return std::nullopt;
    if (h == 24 && m == 0 && allow_24) return 24 * 60;
    if (h > 23) return std::nullopt;
    return h * 60 + m;
}

std::string two(int v) {
    char b[16];
    std::snprintf(b, sizeof b, "%02d", v);
    return b;
}

bool is_hex64(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

// A bundle file name in the same folder: no path, no surprises in a URL.
bool plain_file_name(const std::string& s) {
    static const std::regex re("[A-Za-z0-9][A-Za-z0-9._+~-]{0,127}");
    return std::regex_match(s, re) && s.find("..") == std::string::npos;
}

}  // namespace

bool UpdateWindow::contains(int minute) const {
    if (start_min < end_min) return minute >= start_min && minute < end_min;
    return minute >= start_min || minute < end_min;  // wraps past midnight
}

std::string UpdateWindow::text() const {
    return two(start_min / 60) + ":" + two(start_min % 60) + "-" + two(end_min / 60) + ":" +
           two(end_min % 60);
}

std::optional<UpdateWindow> parse_update_window(std::string_view text) {
    if (text.size() != 11 || text[5] != '-') return std::nullopt;
    const auto a = hhmm(text.substr(0, 5), false);
    const auto b = hhmm(text.substr(6, 5), true);
    if (!a || !b || *a == *b) return std::nullopt;
    return UpdateWindow{*a, *b};
}

std::optional<UpdateManifest> parse_update_manifest(std::string_view text, ManifestError* error) {
    auto bad = [&](std::string m) -> std::optional<UpdateManifest> {
        if (error) error->message = "manifest.json: " + std::move(m);
        return std::nullopt;
    };
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception&) {
        return bad("not valid JSON (is the update url the folder that holds manifest.json?)");
    }
    if (!j.is_object()) return bad("must be a JSON object");
    if (!j.contains("format") || j["format"] != 1)
        return bad("\"format\" must be 1 (written by `make bundle`)");
    UpdateManifest m;
    auto str = [&](const char* k, std::string& out) -> bool {
        if (!j.contains(k) || !j[k].is_string() || j[k].get<std::string>().empty()) return false;
        out = j[k].get<std::string>();
        return true;
    };
    if (!str("compatible", m.compatible)) return bad("\"compatible\" is missing");
    if (!str("version", m.version) || m.version.size() > 40)
        return bad("\"version\" is missing or longer than 40 characters");
    if (!str("bundle", m.bundle) || !plain_file_name(m.bundle))
        return bad(
            "\"bundle\" must be the bundle's file name in the same folder, e.g. "
            "\"lapor-kiosk-1.2.0.raucb\"");
    if (!str("sha256", m.sha256) || !is_hex64(m.sha256))
        return bad("\"sha256\" must be 64 lower-case hex digits (sha256sum of the bundle)");
    if (!j.contains("size") || !j["size"].is_number_unsigned() || j["size"] == 0)
        return bad("\"size\" must be the bundle's size in bytes");
    m.size = j["size"].get<std::uint64_t>();
    if (!j.contains("store_version") || !j["store_version"].is_number_integer() ||
        j["store_version"].get<int>() < 1)
        return bad("\"store_version\" must be the store schema version of the bundle's programs");
    m.store_version = j["store_version"].get<int>();
    return m;
}

std::optional<BundleInfo> parse_rauc_info(std::string_view text, std::string* error) {
    try {
        const auto j = nlohmann::json::parse(text);
        BundleInfo b;
        if (j.contains("compatible") && j["compatible"].is_string())
            b.compatible = j["compatible"].get<std::string>();
        if (j.contains("version") && j["version"].is_string())
            b.version = j["version"].get<std::string>();
        if (j.contains("description") && j["description"].is_string()) {
            static const std::regex re("store_version=([0-9]{1,6})");
            std::smatch sm;
            const std::string d = j["description"].get<std::string>();
            if (std::regex_search(d, sm, re)) b.store_version = std::stoi(sm[1].str());
        }
        if (b.compatible.empty() || b.version.empty()) {
            if (error) *error = "the bundle has no compatible or version in its manifest";
            return std::nullopt;
        }
        return b;
    } catch (const nlohmann::json::exception&) {
        if (error) *error = "rauc info did not print JSON";
        return std::nullopt;
    }
}

std::string store_refusal(const std::string& version, int bundle_store, int running_store) {
    if (bundle_store <= 0)
        return version +
               " does not say which store schema it uses (a bundle not made by `make "
               "bundle`?): refused, because a rollback might not open the database";
    if (bundle_store > running_store)
        return version + " would migrate the database to schema " + std::to_string(bundle_store) +
               "; if it then rolled back, this version (schema " + std::to_string(running_store) +
               ") could not open it. Refused before install: publish a release that reads both "
               "schemas first, or update this kiosk on site (docs/technician.md)";
    if (bundle_store < running_store)
        return version + " uses store schema " + std::to_string(bundle_store) +
               " but this kiosk's database is at schema " + std::to_string(running_store) +
               ", which it would refuse to open. Refused before install";
    return "";
}

double check_interval_s(const UpdateState& s, double check_s) {
    if (s.failed_checks <= 0) return check_s;
    const int doublings = static_cast<int>(std::min<std::int64_t>(s.failed_checks - 1, 20));
    return std::min(check_s, first_retry_s * static_cast<double>(1LL << doublings));
}

UpdateDecision decide_update(const UpdateState& s, const UpdateFacts& f) {
    if (s.phase == "installed" || s.phase == "rebooting") {
        const std::string what = "installed " + s.target_version + "; ";
        if (!f.window.contains(f.local_minute_of_day))
            return {UpdateAction::wait,
                    what + "reboots inside the update window " + f.window.text()};
        if (!f.attract_idle_s)
            return {UpdateAction::wait,
                    what +
                        "waiting: the touch screen has not reported the attract screen (is "
                        "lapor-kiosk running?)"};
        if (*f.attract_idle_s < reboot_idle_s)
            return {UpdateAction::wait,
                    what + "waiting for the attract screen to be idle for 2 minutes"};
        return {UpdateAction::reboot, what + "rebooting now: inside the window " + f.window.text() +
                                          " and nobody at the screen"};
    }
    if (s.phase == "trial" || s.phase == "health_failed")
        return {UpdateAction::wait, "the health check of " + s.running_version + " decides first"};
    if (f.url.empty()) return {UpdateAction::nothing, "updates are off (no [update] url)"};
    // Whole seconds: the time since the last check may be up to a second more than this says.
    const double interval = check_interval_s(s, f.check_s);
    if (s.last_check_unix > 0 && f.now_unix >= s.last_check_unix &&
        static_cast<double>(f.now_unix - s.last_check_unix) + 1 <= interval)
        return {UpdateAction::nothing, "checked " + std::to_string(f.now_unix - s.last_check_unix) +
                                           " s ago" + (s.failed_checks > 0 ? " (failed)" : "") +
                                           "; next check after " +
                                           std::to_string(static_cast<long long>(interval)) + " s"};
    return {UpdateAction::check, "checking " + f.url + "/manifest.json"};
}

ManifestVerdict judge_manifest(const UpdateManifest& m, const UpdateState& s,
                               std::string_view running, std::string_view compatible,
                               int running_store) {
    if (m.compatible != compatible)
        return {false, true,
                "the update folder holds " + m.compatible + " bundles, not " +
                    std::string(compatible) + ": check [update] url"};
    if (m.version == running) return {false, false, "up to date (" + std::string(running) + ")"};
    if (m.version == s.rolled_back_from)
        return {false, false,
                m.version + " rolled back on this kiosk; waiting for a newer version"};
    if (auto why = store_refusal(m.version, m.store_version, running_store); !why.empty())
        return {false, true, why};
    return {true, false, "installing " + m.version + " (running " + std::string(running) + ")"};
}

}  // namespace lapor
