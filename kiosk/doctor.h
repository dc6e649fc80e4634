// The kiosk's self-checks that need neither the printer nor the network: config, keys,
// enrollment, clock, disk space, database. `kioskctl doctor` prints them (and adds printer status
// and endpoint reachability); staff mode's diagnostics screen shows the same list.
// Every failed check says what is wrong (detail) and what to do about it (fix).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bundle.h"
#include "clock.h"
#include "config.h"
#include "store.h"

namespace lapor {

struct Check {
    std::string name;  // short id: "config", "device_key", "enrollment", ...
    bool ok = false;
    std::string detail;  // what was found, a sentence
    std::string fix;     // what to do when it failed ("" when ok)
};

// The earliest wall-clock time a kiosk can plausibly have (2026-01-01T00:00:00Z): a clock before
// it has lost its time (no battery, no NTP yet), and TLS certificates will not verify.
inline constexpr std::int64_t earliest_plausible_unix = 1767225600;

// Below this much free space on the data partition the kiosk may soon fail to save reports.
inline constexpr std::uint64_t min_free_bytes = 200ull * 1024 * 1024;

// The file the first-boot provisioning leaves in <data_dir>/config when a bundle was refused.
std::string provision_error_path(const Config& c);

// A check of the config file at `path` (loads it; the detail is the parser's message when bad).
Check check_config_file(const std::string& path);

// All core checks for a loaded config and an open store, in display order: config (CA file,
// provisioning errors), provisioning trust (a refused stick), device key, enrollment, clock, disk
// space, database, upload queue, lapor-sync reporting in, the endpoint answering as the national
// API, audio, staff PIN, update.
std::vector<Check> run_core_checks(const Config& c, Store& store, const Clock& clock);

// The checks one by one (run_core_checks calls these; kioskctl uses them when there is no store).
Check check_config(const Config& c);
// Which authority key bundles must be signed by and how it came to be trusted (pinned in the
// image, trusted on first use, rotated); fails while an unsigned or foreign stick is present.
Check check_provisioning(const Config& c, const std::string& trust_dir = default_trust_dir);
Check check_device_key(const Config& c);
Check check_enrollment(const Config& c, Store* store);
Check check_clock(const Clock& clock, Store* store);
Check check_disk_space(const Config& c);
Check check_database(Store& store);
Check check_upload_queue(Store& store, const Clock& clock);
// lapor-sync writes device health's sync_alive every minute; silent this long is a failed check.
inline constexpr std::int64_t sync_silent_warn_s = 300;
Check check_sync_service(Store& store, const Clock& clock);
// The endpoint answered with something that is not the national API (proxy, captive portal?).
Check check_endpoint_answers(Store& store);
// Speech needs a sound card: an ALSA playback device (pcmC<card>D<device>p) in `snd_dir`.
// Without one the kiosk still works, text only, and this check says so.
Check check_audio(const Config& c, const std::string& snd_dir = "/dev/snd");
// The staff PIN: set (in its own file, or the config's pin_hash), and its file readable.
Check check_staff_pin(const Config& c);
// The fleet update state (update.state_dir/state.json): fails after a rollback, a refused or
// failed update, until a later update succeeds.
Check check_update(const Config& c);

// The version of the running image (/usr/lib/lapor-kiosk/image-version, or
// $LAPOR_IMAGE_VERSION_FILE), or "" when this is not a kiosk image.
std::string running_image_version();

// Where `device` (a block device, or an image file) is mounted according to `mounts` (the text of
// /proc/self/mounts), or nullopt. Block devices match by device number (so /dev/disk/by-label/..
// links match /dev/sdb1), other files (disk images) by inode. `provision --out` refuses these.
std::optional<std::string> mounted_at(const std::string& device, const std::string& mounts);

}  // namespace lapor
