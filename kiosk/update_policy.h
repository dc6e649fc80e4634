// Fleet updates, the decisions only (no network, no RAUC, no clock of its own): the [update]
// window, the update folder's manifest, what a bundle says about itself (`rauc info`), whether
// a bundle may be installed (store versions), and what the update timer does next.
// ctl/cmd_update.cpp does the I/O around these; docs/technician.md describes the flow.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "update_state.h"

namespace lapor {

// Hours of the day (kiosk local time) when an installed update may reboot the kiosk.
// "02:00-05:00"; "22:00-04:00" wraps past midnight; "00:00-24:00" is any time.
struct UpdateWindow {
    int start_min = 120;  // minutes after local midnight, inclusive
    int end_min = 300;    // exclusive; may be smaller than start (wraps)
    bool contains(int minute_of_day) const;
    std::string text() const;
};
// nullopt when `text` is not HH:MM-HH:MM (00-23 / 00-59, end may be 24:00, start != end).
std::optional<UpdateWindow> parse_update_window(std::string_view text);

// The update folder's manifest.json (docs/technician.md, "Publish an update").
struct UpdateManifest {
    std::string compatible;  // must equal the image's RAUC compatible
    std::string version;
    std::string bundle;  // file name in the same folder
    std::uint64_t size = 0;
    std::string sha256;  // lower-case hex of the bundle
    int store_version = 0;
};
struct ManifestError {
    std::string message;
};
// Parses and checks manifest.json; on a problem, the message names the field and the fix.
std::optional<UpdateManifest> parse_update_manifest(std::string_view json, ManifestError* error);

// What `rauc info --output-format=json BUNDLE` says (after checking the signature).
struct BundleInfo {
    std::string compatible;
    std::string version;
    int store_version = 0;  // from the description "... store_version=N"; 0 when absent
};
std::optional<BundleInfo> parse_rauc_info(std::string_view json, std::string* error);

// "" when a bundle whose program uses store schema `bundle_store` may replace this program
// (schema `running_store`), else why not. A bundle that would migrate the database would leave
// a rollback with a database it refuses to open; a bundle with an older schema refuses this
// kiosk's database at once. Both are refused before anything is downloaded or written.
std::string store_refusal(const std::string& bundle_version, int bundle_store, int running_store);

// Everything the timer knows when it decides (gathered by kioskctl).
struct UpdateFacts {
    std::string url;  // [update] url ("" = updates off)
    UpdateWindow window;
    double check_s = 3600;
    std::int64_t now_unix = 0;
    int local_minute_of_day = 0;
    // Seconds the attract screen has been shown without a break; nullopt when the UI has not
    // said (not running, or a UI without the report).
    std::optional<double> attract_idle_s;
};

inline constexpr double reboot_idle_s = 120;  // the attract screen this long: nobody is using it

// After a failed check the next one comes sooner than check_s: 2 min, then 4, 8, ... up to
// check_s, so a kiosk that was offline for a moment does not wait an hour for its update.
inline constexpr double first_retry_s = 120;
double check_interval_s(const UpdateState& s, double check_s);

enum class UpdateAction { nothing, check, reboot, wait };
struct UpdateDecision {
    UpdateAction action = UpdateAction::nothing;
    std::string why;  // a sentence for the journal and `kioskctl status`
};
UpdateDecision decide_update(const UpdateState& state, const UpdateFacts& facts);

// After a manifest was fetched: install it, or why not.
struct ManifestVerdict {
    bool install = false;
    bool refused = false;  // not installable here (compatible, store schema): doctor fails
    std::string why;
};
ManifestVerdict judge_manifest(const UpdateManifest& m, const UpdateState& state,
                               std::string_view running_version, std::string_view compatible,
                               int running_store);

}  // namespace lapor
