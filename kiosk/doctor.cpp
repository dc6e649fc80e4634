#include "doctor.h"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "bundle.h"
#include "files.h"
#include "identity.h"
#include "update_state.h"

namespace lapor {
namespace {

bool exists(const std::string& p) { return ::access(p.c_str(), F_OK) == 0; }

Check pass(std::string name, std::string detail) {
    return Check{std::move(name), true, std::move(detail), ""};
}

Check fail(std::string name, std::string detail, std::string fix) {
    return Check{std::move(name), false, std::move(detail), std::move(fix)};
}

std::string mib(std::uint64_t bytes) { return std::to_string(bytes / (1024 * 1024)) + " MB"; }

std::string age(std::int64_t seconds) {
    if (seconds < 120) return std::to_string(seconds) + " s";
    if (seconds < 7200) return std::to_string(seconds / 60) + " min";
    if (seconds < 172800) return std::to_string(seconds / 3600) + " h";
    return std::to_string(seconds / 86400) + " days";
}

std::string first_line(std::string s) {
    const auto nl = s.find('\n');
    if (nl != std::string::npos) s.resize(nl);
    return s;
}

}  // namespace

std::string provision_error_path(const Config& c) {
    return c.kiosk.data_dir + "/config/provision-error.txt";
}

Check check_config_file(const std::string& path) {
    try {
        return check_config(load_config(path));
    } catch (const ConfigError& e) {
        return fail("config", e.what(),
                    "correct the file (every key: docs/config.md), or provision the kiosk again "
                    "with kioskctl provision and reboot");
    }
}

Check check_config(const Config& c) {
    if (const auto err = read_text_file(provision_error_path(c)))
        return fail("config",
                    "the last provisioning bundle was refused: " + first_line(*err) +
                        " (the kiosk keeps its previous config)",
                    "write a corrected bundle with kioskctl provision and reboot");
    if (!c.upload.ca_file.empty()) {
        const auto ca = read_text_file(c.upload.ca_file);
        if (!ca)
            return fail("config", "the CA file " + c.upload.ca_file + " cannot be read",
                        "provision the kiosk again (the bundle carries ca.pem)");
        if (ca->find("-----BEGIN CERTIFICATE-----") == std::string::npos)
            return fail("config", "the CA file " + c.upload.ca_file + " holds no PEM certificate",
                        "provision the kiosk again with the national endpoint's CA certificate");
    }
    return pass("config", c.source + " is valid; kiosk " + c.kiosk.id + " at " + c.kiosk.office);
}

Check check_device_key(const Config& c) {
    const std::string path = c.device_key_path();
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return fail("device_key", "there is no device key at " + path,
                    "run kioskctl keygen (first boot does this; receipts cannot be signed "
                    "without it)");
    if ((st.st_mode & 077) != 0) {
        std::ostringstream mode;
        mode << std::oct << (st.st_mode & 0777);
        return fail("device_key", path + " can be read by others (mode " + mode.str() + ")",
                    "run chmod 600 " + path);
    }
    try {
        KeyPair kp = load_device_key(path);
        secure_clear(kp.secret_key);
    } catch (const std::exception& e) {
        return fail("device_key", e.what(),
                    "the key is damaged: move it away, run kioskctl keygen, and give the new "
                    "device.pub to the office keyring (old receipts then verify only with the "
                    "old public key)");
    }
    return pass("device_key", path + " is present, private (0600) and loads");
}

Check check_enrollment(const Config& c, Store* store) {
    std::string state, last_error;
    if (store) {
        const auto h = store->health();
        if (auto it = h.find(HealthKey::enrollment_state); it != h.end()) state = it->second.value;
        if (auto it = h.find(HealthKey::last_error); it != h.end()) last_error = it->second.value;
    }
    const std::string recorded = state.empty() ? "" : " (lapor-sync recorded: " + state + ")";
    const bool token = exists(c.token_path());
    const bool code = exists(c.enroll_code_path());
    if (token && (state.empty() || state == "enrolled"))
        return pass("enrollment", "enrolled: the upload token is present" + recorded);
    if (token)
        return fail("enrollment", "an upload token is present but" + recorded.substr(1),
                    "the endpoint refused this kiosk: get a new code (lapor-lab issue-code "
                    "--kiosk " +
                        c.kiosk.id + ") and run kioskctl enroll --code CODE");
    if (code)
        return fail("enrollment",
                    "not enrolled yet; the enrollment code is waiting in " + c.enroll_code_path() +
                        recorded + (last_error.empty() ? "" : "; last error: " + last_error),
                    "lapor-sync enrolls by itself once it reaches the endpoint: check the "
                    "network and the endpoint check below");
    return fail("enrollment", "not enrolled and there is no enrollment code" + recorded,
                "ask the national system for a code for kiosk " + c.kiosk.id +
                    " and run kioskctl enroll --code CODE (or provision again)");
}

Check check_clock(const Clock& clock, Store* store) {
    const std::int64_t now_s = clock.now_ms() / 1000;
    if (now_s < earliest_plausible_unix)
        return fail("clock",
                    "the clock says " + std::to_string(now_s) +
                        " (Unix time), before 2026: it has lost the date",
                    "connect the kiosk to a network so systemd-timesyncd can set the time, or "
                    "set it with timedatectl set-time; HTTPS fails until the date is right");
    if (store) {
        std::int64_t latest_ms = 0;
        for (const auto& [key, value] : store->health())
            latest_ms = std::max(latest_ms, value.updated_ms);
        if (latest_ms / 1000 > now_s + 300)
            return fail("clock",
                        "the clock went back: the store has a record from " +
                            age(latest_ms / 1000 - now_s) + " in the future",
                        "let systemd-timesyncd correct the time (check the network), then run "
                        "doctor again");
    }
    // systemd-timesyncd keeps this flag while the clock is synchronised (only on a kiosk).
    if (exists("/run/systemd/timesync") && !exists("/run/systemd/timesync/synchronized"))
        return fail("clock", "the date looks plausible but NTP has not synchronised it yet",
                    "check that the kiosk reaches an NTP server (timedatectl "
                    "timesync-status)");
    return pass("clock", "the date is plausible (Unix time " + std::to_string(now_s) + ")");
}

Check check_disk_space(const Config& c) {
    struct statvfs vfs {};
    if (::statvfs(c.kiosk.data_dir.c_str(), &vfs) != 0)
        return fail("disk_space",
                    "cannot look at " + c.kiosk.data_dir + ": " + std::strerror(errno),
                    "check that the data partition is mounted (findmnt /var/lib/lapor-kiosk)");
    const std::uint64_t free_bytes = std::uint64_t{vfs.f_bavail} * vfs.f_frsize;
    const std::uint64_t total = std::uint64_t{vfs.f_blocks} * vfs.f_frsize;
    const std::string detail =
        mib(free_bytes) + " free of " + mib(total) + " on " + c.kiosk.data_dir;
    if (free_bytes < min_free_bytes)
        return fail("disk_space", detail + " (below " + mib(min_free_bytes) + ")",
                    "free space: journalctl --vacuum-size=50M, and see docs/technician.md "
                    "(full disk)");
    return pass("disk_space", detail);
}

Check check_database(Store& store) {
    try {
        const std::string integrity = store.integrity_check();
        if (integrity != "ok")
            return fail("database", "the integrity check failed: " + first_line(integrity),
                        "stop the services and follow docs/technician.md (broken database); "
                        "do not delete kiosk.db: unsent reports are in it");
        const auto s = store.settings();
        if (s.journal_mode != "wal" || s.synchronous != 2)
            return fail("database",
                        "durability settings are journal_mode=" + s.journal_mode +
                            ", synchronous=" + std::to_string(s.synchronous),
                        "this build is wrong (WAL and synchronous=FULL expected): reinstall the "
                        "package");
        return pass("database", "integrity ok, WAL, synchronous=FULL");
    } catch (const std::exception& e) {
        return fail("database", e.what(), "see docs/technician.md (broken database)");
    }
}

Check check_upload_queue(Store& store, const Clock& clock) {
    const auto q = store.counts();
    const int waiting =
        q.by_state.count(OutboxState::queued) ? q.by_state.at(OutboxState::queued) : 0;
    const int sending =
        q.by_state.count(OutboxState::sending) ? q.by_state.at(OutboxState::sending) : 0;
    const std::string counts = std::to_string(waiting + sending) + " report(s) waiting";
    if (q.oldest_unsent_unix) {
        const std::int64_t waited = clock.now_ms() / 1000 - *q.oldest_unsent_unix;
        if (waited > 86400)
            return fail("upload_queue", counts + "; the oldest for " + age(waited),
                        "check enrollment and the endpoint below, then journalctl -u lapor-sync");
        return pass("upload_queue",
                    counts + "; the oldest for " + age(std::max<std::int64_t>(0, waited)));
    }
    return pass("upload_queue", counts);
}

Check check_sync_service(Store& store, const Clock& clock) {
    const auto h = store.health();
    const auto it = h.find(HealthKey::sync_alive);
    const std::string fix =
        "reports are kept but not sent: check `systemctl status lapor-sync` and "
        "`journalctl -u lapor-sync`, then restart the kiosk if it does not come back";
    if (it == h.end())
        return fail("sync_service", "lapor-sync has not reported in yet on this kiosk", fix);
    const std::int64_t silent = (clock.now_ms() - it->second.updated_ms) / 1000;
    if (silent >= sync_silent_warn_s)
        return fail("sync_service",
                    "lapor-sync has not reported in for " + age(silent) +
                        " (last: " + it->second.value + ")",
                    fix);
    return pass("sync_service", "lapor-sync reported in " + age(std::max<std::int64_t>(0, silent)) +
                                    " ago (" + it->second.value + ")");
}

Check check_endpoint_answers(Store& store) {
    const auto h = store.health();
    const auto it = h.find(HealthKey::endpoint_warning);
    if (it == h.end() || it->second.value.empty())
        return pass("endpoint_answers",
                    "no answer that is not the national API's since the last "
                    "genuine one");
    return fail("endpoint_answers", it->second.value,
                "the kiosk's network puts something between it and the national API: log in to "
                "or bypass the captive portal, or have the proxy/firewall let upload.endpoint "
                "through; reports wait safely meanwhile");
}

Check check_provisioning(const Config& c, const std::string& trust_dir) {
    const auto pinned_text = read_text_file(pinned_authority_path(c));
    const auto pinned = pinned_text ? parse_authority_public(*pinned_text) : std::nullopt;
    const auto image_text = read_text_file(trust_dir + "/" + image_authority_name);
    const auto image = image_text ? parse_authority_public(*image_text) : std::nullopt;
    // What the last install recorded comes first (it read the image's trust folder as root).
    const std::string recorded = read_text_file(pinned_origin_path(c)).value_or("");
    const std::string origin = first_line(recorded);
    const bool lab = recorded.find("\nlab\n") != std::string::npos ||
                     exists(trust_dir + "/" + accept_unsigned_name);
    std::string trust;
    if (pinned && origin == "rotated")
        trust = "bundles must be signed by authority key " + key_fingerprint(*pinned) +
                " (rotated to by a signed bundle)";
    else if (pinned && origin == "image")
        trust = "bundles must be signed by authority key " + key_fingerprint(*pinned) +
                " (pinned in the image)";
    else if (image)
        trust = "bundles must be signed by authority key " + key_fingerprint(*image) +
                " (pinned in the image)";
    else if (pinned)
        trust = "bundles must be signed by authority key " + key_fingerprint(*pinned) +
                ", trusted on first use: the image pins no authority key, so the first signed "
                "bundle installed chose it";
    else
        trust =
            "no authority key is pinned in the image and none is trusted yet: the first "
            "signed bundle installed will be trusted (trust on first use)";
    if (lab) trust += "; this is a lab image that also accepts unsigned bundles";
    if (const auto why = read_text_file(refused_stick_path(c)))
        return fail("provisioning",
                    "an unsigned or foreign provisioning stick is present: " + first_line(*why) +
                        " (the kiosk keeps its installed config; " + trust + ")",
                    "remove the stick, or write the bundle again with kioskctl provision "
                    "--sign-key and the organisation's authority key, then reboot");
    return pass("provisioning", trust);
}

std::vector<Check> run_core_checks(const Config& c, Store& store, const Clock& clock) {
    return {check_config(c),
            check_provisioning(c),
            check_device_key(c),
            check_enrollment(c, &store),
            check_clock(clock, &store),
            check_disk_space(c),
            check_database(store),
            check_upload_queue(store, clock),
            check_sync_service(store, clock),
            check_endpoint_answers(store),
            check_audio(c),
            check_staff_pin(c),
            check_update(c)};
}

std::string running_image_version() {
    const char* env = std::getenv("LAPOR_IMAGE_VERSION_FILE");
    auto v = read_text_file(env && *env ? env : "/usr/lib/lapor-kiosk/image-version");
    std::string s = v.value_or("");
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

Check check_update(const Config& c) {
    const std::string version = running_image_version();
    const std::string running = version.empty() ? "not a kiosk image" : "version " + version;
    const std::string path = update_state_path(c.update.state_dir);
    const auto text = read_text_file(path);
    if (!text) {
        return pass("update", c.update.url.empty() ? running + "; updates off (no [update] url)"
                                                   : running + "; no update has run yet (from " +
                                                         c.update.url + ")");
    }
    const auto s = parse_update_state(*text);
    if (!s)
        return fail("update", path + " is damaged",
                    "delete it; the next update check writes it again");
    if (s->phase == "rolled_back")
        return fail("update", update_summary(*s) + ": " + s->message,
                    "the kiosk went back to " + s->running_version +
                        " by itself and keeps working; see journalctl -u lapor-health -b -1 "
                        "for why " +
                        s->rolled_back_from + " failed, and publish a fixed, newer version");
    if (s->phase == "failed" || s->phase == "refused" || s->phase == "health_failed")
        return fail("update", s->phase + ": " + s->message,
                    "see journalctl -u lapor-update; the kiosk keeps running " + running);
    // One failed check is a blip (it is retried in 2 min); three in a row is a broken path.
    if (s->failed_checks >= 3)
        return fail(
            "update",
            std::to_string(s->failed_checks) + " update checks in a row failed: " + s->message,
            "check the network, CA and proxy towards [update] url (" + c.update.url +
                "); the kiosk keeps running " + running);
    return pass("update", running + "; " + update_summary(*s));
}

Check check_audio(const Config& c, const std::string& snd_dir) {
    if (!c.ui.speech)
        return pass("audio", "speech is off (ui.speech = false): the kiosk shows text only");
    std::vector<std::string> found;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(snd_dir, ec)) {
        const std::string n = e.path().filename().string();
        // pcmC0D0p: card 0, device 0, playback (a trailing c is a capture device).
        if (n.starts_with("pcmC") && n.size() > 6 && n.back() == 'p') found.push_back(n);
    }
    if (found.empty())
        return fail("audio",
                    "no audio playback device in " + snd_dir +
                        ": the kiosk shows text only (the speaker button and the audio guide "
                        "are silent)",
                    "connect speakers or a USB sound card, then restart lapor-kiosk");
    std::sort(found.begin(), found.end());
    return pass("audio", "playback device " + found.front() + " (speech volume " +
                             std::to_string(c.ui.speech_volume) + " %)");
}

Check check_staff_pin(const Config& c) {
    if (!c.staff.pin_file_problem.empty())
        return fail("staff_pin", c.staff.pin_file_problem,
                    "as root: kioskctl set-pin (it writes " + c.staff.pin_file + ")");
    if (c.staff.pin_hash.empty())
        return fail("staff_pin", "no staff PIN is set: staff mode cannot be opened",
                    "as root: kioskctl set-pin");
    return pass("staff_pin", ::access(c.staff.pin_file.c_str(), F_OK) == 0
                                 ? "set with kioskctl set-pin (" + c.staff.pin_file + ")"
                                 : "set in the config file (pin_hash)");
}

namespace {

// /proc/self/mounts escapes space, tab, newline and backslash as \ooo (octal).
std::string unescape_mount_field(const std::string& f) {
    std::string out;
    for (std::size_t i = 0; i < f.size(); ++i) {
        if (f[i] == '\\' && i + 3 < f.size() &&
            std::isdigit(static_cast<unsigned char>(f[i + 1]))) {
            out += static_cast<char>(std::stoi(f.substr(i + 1, 3), nullptr, 8));
            i += 3;
        } else {
            out += f[i];
        }
    }
    return out;
}

}  // namespace

std::optional<std::string> mounted_at(const std::string& device, const std::string& mounts) {
    struct stat dev {};
    if (::stat(device.c_str(), &dev) != 0) return std::nullopt;
    std::istringstream in(mounts);
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string source, target;
        if (!(fields >> source >> target)) continue;
        source = unescape_mount_field(source);
        struct stat st {};
        if (::stat(source.c_str(), &st) != 0) continue;
        const bool same = S_ISBLK(dev.st_mode) ? S_ISBLK(st.st_mode) && st.st_rdev == dev.st_rdev
                                               : st.st_dev == dev.st_dev && st.st_ino == dev.st_ino;
        if (same) return unescape_mount_field(target);
    }
    return std::nullopt;
}

}  // namespace lapor
