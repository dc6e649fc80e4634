// `kioskctl verify`: one receipt link, checked by the core's rules (kiosk/receipt.h) against a
// kiosk's device.pub or an office keyring, and the verify bases the config and keyring know.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <ctime>
#include <iostream>

#include "commands.h"
#include "config.h"
#include "desk.h"
#include "receipt.h"
#include "safe_files.h"

namespace lapor::ctl {

namespace {
using nlohmann::json;
}

KeyringEntry own_keyring_entry(const Config& c, const std::string& public_key) {
    KeyringEntry e{c.kiosk.id, c.kiosk.code_prefix, public_key};
    // The key file is never rewritten (identity.h), so its modification time is the key's
    // birth: the start of its validity in the office keyring. Read without following a link
    // (root runs this at every boot; a service user can write identity/): a link planted at the
    // key's name gives no time rather than its target's.
    try {
        const SafeDir dir = SafeDir::open(parent_of(c.device_key_path()));
        struct stat st {};
        if (::fstatat(dir.fd(), name_of(c.device_key_path()).c_str(), &st, AT_SYMLINK_NOFOLLOW) ==
                0 &&
            S_ISREG(st.st_mode))
            e.valid_from = st.st_mtime;
    } catch (const SafeFileError&) {
        // no folder (or a link as the folder): no validity start, the entry is still usable
    }
    e.verify_base = normalize_verify_base(c.receipt.verify_base).value_or("");
    e.time_zone = c.kiosk.time_zone;
    e.office = c.kiosk.office;
    return e;
}

TimeZone zone_of(const KeyringEntry* e, const TimeZone& fallback) {
    if (e && !e->time_zone.empty())
        if (auto tz = time_zone_from(e->time_zone)) return *tz;
    return fallback;
}

std::string local_time_text(std::int64_t unix_s, const TimeZone& tz) {
    const std::time_t t = static_cast<std::time_t>(unix_s + tz.utc_offset_s);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return std::string(buf) + " " + std::string(tz.abbr);
}

int cmd_verify(const Globals& g, const std::vector<std::string>& args) {
    std::string url, pubkey, keyring_path;
    std::vector<std::string> bases;
    bool have_url = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--pubkey" || args[i] == "--keyring" || args[i] == "--verify-base") {
            if (i + 1 >= args.size()) return usage_error(args[i] + " needs a value");
            if (args[i] == "--verify-base") {
                std::string why;
                if (!normalize_verify_base(args[i + 1], &why))
                    return usage_error("--verify-base " + args[i + 1] + " " + why);
                bases.push_back(args[++i]);
                continue;
            }
            std::string& target = args[i] == "--pubkey" ? pubkey : keyring_path;
            target = args[++i];
        } else if (!have_url) {
            url = args[i];
            have_url = true;
        } else {
            return usage_error("verify takes one URL (quote it: it contains '&')");
        }
    }
    if (!have_url) return usage_error("verify needs the receipt URL (scan the QR code)");
    if (!pubkey.empty() && !keyring_path.empty())
        return usage_error("give --pubkey or --keyring, not both");
    // The config's verify base and time zone when there is a config: given with --config, or
    // the kiosk's own. A staff PC without one relies on the keyring's base= attributes.
    std::optional<Config> config;
    const std::string config_path = g.config_path.empty() ? default_config_path() : g.config_path;
    if (!g.config_path.empty() || ::access(config_path.c_str(), F_OK) == 0)
        config = load_config(config_path);
    if (config) bases.push_back(config->receipt.verify_base);
    const bool single = keyring_path.empty();
    if (keyring_path.empty() && pubkey.empty()) {
        if (!config)
            return usage_error("verify needs --keyring FILE or --pubkey FILE (no kiosk config at " +
                               config_path + ")");
        pubkey = config->device_pub_path();
    }
    Keyring keyring;
    try {
        keyring = Keyring::load_file(single ? pubkey : keyring_path);
    } catch (const KeyringError& e) {
        std::cerr << "kioskctl verify: " << e.what() << "\n";
        return environment;
    }
    const Verification v = verify_receipt_url(url, keyring, VerifyOptions{bases, single});
    const TimeZone tz =
        zone_of(v.key, config ? config->time_zone() : *time_zone_from("Asia/Jakarta"));
    if (g.json) {
        json j{{"result", to_string(v.result)}, {"detail", v.detail}};
        if (!v.verify_base.empty()) j["verify_base"] = v.verify_base;
        if (v.fields) {
            j["tracking"] = v.fields->tracking;
            j["kiosk_id"] = v.fields->kiosk_id;
            j["created_unix"] = v.fields->created_unix;
            j["created_local"] = local_time_text(v.fields->created_unix, tz);
            j["classification"] = to_string(v.fields->classification);
        }
        if (v.key && !v.key->office.empty()) j["office"] = v.key->office;
        std::cout << j.dump(2) << "\n";
    } else if (v.result == VerifyResult::genuine) {
        std::cout << "GENUINE: " << v.fields->tracking << " from kiosk " << v.fields->kiosk_id
                  << (v.key->office.empty() ? "" : " (" + v.key->office + ")") << ", "
                  << to_string(v.fields->classification) << ", created "
                  << local_time_text(v.fields->created_unix, tz) << "\n  link to " << v.verify_base
                  << "\n";
    } else {
        std::cout << "NOT GENUINE (" << to_string(v.result) << "): " << v.detail << "\n";
    }
    return v.result == VerifyResult::genuine ? ok : check_failed;
}

}  // namespace lapor::ctl
