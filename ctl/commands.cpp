#include "commands.h"

#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "config.h"
#include "doctor.h"
#include "files.h"
#include "identity.h"
#include "pin_file.h"
#include "receipt.h"
#include "run_as.h"
#include "safe_files.h"
#include "store.h"
#include "tracking.h"

namespace lapor::ctl {

namespace {

using nlohmann::json;

std::string age_text(std::int64_t seconds) {
    if (seconds < 120) return std::to_string(seconds) + " s";
    if (seconds < 7200) return std::to_string(seconds / 60) + " min";
    if (seconds < 172800) return std::to_string(seconds / 3600) + " h";
    return std::to_string(seconds / 86400) + " days";
}

std::string time_text(std::int64_t unix_s, const TimeZone& tz) {
    const std::time_t t = static_cast<std::time_t>(unix_s + tz.utc_offset_s);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return std::string(buf) + " " + std::string(tz.abbr);
}

}  // namespace

Config config_of(const Globals& g) {
    return load_config(g.config_path.empty() ? default_config_path() : g.config_path);
}

int usage_error(const std::string& msg) {
    std::cerr << "kioskctl: " << msg << "\n";
    return usage;
}

namespace {

// The data folder: root:lapor 3770 on a kiosk (setgid: the database stays the group's; sticky:
// a service can add its own files but cannot rename or remove root's config/ and identity/, nor
// the other service's files). The identity folder inside: root:lapor 1770 (both services create
// their own files there, the sticky bit stops either from removing or replacing the other's).
// On a development machine (no service users) 0700 and nothing is chowned.
SafeDir open_identity_dir(const Config& c) {
    if (::mkdir(c.kiosk.data_dir.c_str(), 0770) != 0 && errno != EEXIST)
        throw IdentityError("cannot create " + c.kiosk.data_dir + ": " + std::strerror(errno));
    const FileOwner shared = root_group_owner();
    const bool kiosk = shared.gid != static_cast<gid_t>(-1);
    SafeDir data = SafeDir::open(c.kiosk.data_dir);
    if (kiosk) data.set_own_owner(03770, shared);
    return data.sub(name_of(c.identity_dir()), true, kiosk ? 01770 : 0700, shared, kiosk);
}

}  // namespace

void ensure_identity_dir(const Config& c) {
    try {
        (void)open_identity_dir(c);
    } catch (const SafeFileError& e) {
        throw IdentityError(e.what());
    }
}

// Creates the device key if absent and (re)writes device.pub, the kiosk's one-line keyring.
// Run as root (first boot), nothing here follows a link a service user planted in identity/.
bool keygen(const Config& c, KeyringEntry& entry) {
    try {
        const SafeDir dir = open_identity_dir(c);
        const bool created = create_device_key(c.device_key_path());
        KeyPair kp = load_device_key(c.device_key_path());
        entry = own_keyring_entry(c, kp.public_key);
        secure_clear(kp.secret_key);
        dir.write(name_of(c.device_pub_path()), keyring_line(entry) + "\n", 0644,
                  root_group_owner());
        // A key made by an older version (or by hand) belongs to the UI's user too.
        dir.set_owner(name_of(c.device_key_path()), 0600, service_owner(Service::kiosk));
        return created;
    } catch (const SafeFileError& e) {
        throw IdentityError(e.what());
    }
}

int cmd_keygen(const Globals& g, const std::vector<std::string>& args) {
    if (!args.empty()) return usage_error("keygen takes no arguments");
    const Config c = config_of(g);
    KeyringEntry entry;
    const bool created = keygen(c, entry);
    if (g.json) {
        std::cout << json{{"created", created},
                          {"key_file", c.device_key_path()},
                          {"public_key_file", c.device_pub_path()},
                          {"keyring_line", keyring_line(entry)}}
                         .dump(2)
                  << "\n";
    } else {
        std::cout << (created ? "created the device key " : "kept the existing device key ")
                  << c.device_key_path() << "\npublic key (keyring line, also in "
                  << c.device_pub_path() << "):\n"
                  << keyring_line(entry) << "\n";
    }
    return ok;
}

namespace {

int show_report(const Globals& g, const Config& c, Store& store, const std::string& code) {
    const auto parsed = parse_tracking(code);
    if (parsed.error) {
        std::cerr << "kioskctl status: \"" << code << "\" is not a tracking code ("
                  << (parsed.error == TrackingError::bad_check ? "wrong check character"
                                                               : "13 characters expected")
                  << ")\n";
        return check_failed;
    }
    const auto v = store.find_by_tracking(format_tracking(parsed.raw));
    if (!v) {
        std::cerr << "kioskctl status: no report " << format_tracking(parsed.raw)
                  << " on this kiosk\n";
        return check_failed;
    }
    const auto& r = v->report;
    const std::string status = v->history.empty() ? "" : v->history.back().status;
    if (g.json) {
        json h = json::array();
        for (const auto& e : v->history)
            h.push_back({{"status", e.status},
                         {"agency", e.agency},
                         {"updated_unix", e.updated_unix},
                         {"public_reply", e.public_reply}});
        std::cout << json{{"tracking", r.tracking},
                          {"uuid", r.uuid},
                          {"kiosk_id", r.kiosk_id},
                          {"created_unix", r.created_unix},
                          {"classification", to_string(r.classification)},
                          {"agency", r.agency_id},
                          {"category", r.category_id},
                          {"privacy", to_string(r.privacy)},
                          {"state", to_string(v->state)},
                          {"attempts", v->attempts},
                          {"last_error", v->last_error},
                          {"national_id", v->national_id},
                          {"status", status},
                          {"history", h},
                          {"sealed_data_purged", v->purged}}
                         .dump(2)
                  << "\n";
        return ok;
    }
    std::cout << r.tracking << "  (" << to_string(r.classification) << ", " << r.agency_id << " / "
              << r.category_id << ", " << to_string(r.privacy) << ")\n"
              << "  created  " << time_text(r.created_unix, c.time_zone()) << " at " << r.kiosk_id
              << "\n  upload   " << to_string(v->state) << " after " << v->attempts << " attempt(s)"
              << (v->last_error.empty() ? "" : "; last error: " + v->last_error) << "\n";
    if (!v->national_id.empty()) std::cout << "  national id " << v->national_id << "\n";
    for (const auto& e : v->history)
        std::cout << "  status   " << e.status << (e.agency.empty() ? "" : " (" + e.agency + ")")
                  << "  " << time_text(e.updated_unix, c.time_zone()) << "\n"
                  << (e.public_reply.empty() ? "" : "           reply: " + e.public_reply + "\n");
    return ok;
}

}  // namespace

int cmd_status(const Globals& g, const std::vector<std::string>& args) {
    if (args.size() > 1) return usage_error("status takes at most one tracking code");
    const Config c = config_of(g);
    SystemClock clock;
    auto store = open_store(c.db_path(), clock, OpenMode::existing);
    if (args.size() == 1) return show_report(g, c, *store, args[0]);
    const auto counts = store->counts();
    const auto health = store->health();
    const auto now_s = clock.now_ms() / 1000;
    // Nothing recorded yet reads as "not recorded yet" (JSON null): e.g. the printer has never
    // answered, which is not the same as "ok".
    auto health_of = [&](HealthKey k) -> std::optional<std::string> {
        auto it = health.find(k);
        if (it == health.end()) return std::nullopt;
        return it->second.value;
    };
    auto text_of = [&](HealthKey k) { return health_of(k).value_or("not recorded yet"); };
    if (g.json) {
        json by_state = json::object();
        for (auto s : {OutboxState::queued, OutboxState::sending, OutboxState::accepted,
                       OutboxState::rejected, OutboxState::conflict, OutboxState::held}) {
            auto it = counts.by_state.find(s);
            by_state[std::string(to_string(s))] = it == counts.by_state.end() ? 0 : it->second;
        }
        json j{{"kiosk_id", c.kiosk.id}, {"reports", by_state}, {"total", counts.total()}};
        j["oldest_unsent_age_s"] =
            counts.oldest_unsent_unix ? json(now_s - *counts.oldest_unsent_unix) : json(nullptr);
        j["last_success_unix"] =
            counts.last_success_ms ? json(*counts.last_success_ms / 1000) : json(nullptr);
        for (auto k : all_health_keys)
            j[std::string(to_string(k))] = health_of(k) ? json(*health_of(k)) : json(nullptr);
        const Check u = check_update(c);
        j["update"] = {{"ok", u.ok}, {"detail", u.detail}};
        std::cout << j.dump(2) << "\n";
        return ok;
    }
    std::cout << "kiosk " << c.kiosk.id << " (" << c.kiosk.office << ")\nreports:";
    for (auto s : {OutboxState::queued, OutboxState::sending, OutboxState::accepted,
                   OutboxState::rejected, OutboxState::conflict, OutboxState::held}) {
        auto it = counts.by_state.find(s);
        std::cout << " " << to_string(s) << " " << (it == counts.by_state.end() ? 0 : it->second);
    }
    std::cout << "\noldest unsent: "
              << (counts.oldest_unsent_unix ? age_text(now_s - *counts.oldest_unsent_unix) + " old"
                                            : std::string("none"))
              << "\nlast successful upload: "
              << (counts.last_success_ms ? time_text(*counts.last_success_ms / 1000, c.time_zone())
                                         : std::string("never"))
              << "\nprinter: " << text_of(HealthKey::printer_state)
              << " (last print: " << text_of(HealthKey::last_print_result) << ")"
              << "\nenrollment: " << text_of(HealthKey::enrollment_state)
              << "\nlast contact: " << text_of(HealthKey::last_contact)
              << "\nlast error: " << text_of(HealthKey::last_error) << "\n";
    if (const auto w = health_of(HealthKey::endpoint_warning); w && !w->empty())
        std::cout << "endpoint: " << *w << "\n";
    if (const auto p = health_of(HealthKey::catch_up); p && !p->empty())
        std::cout << "catching up: " << p->substr(std::min(p->find(": "), p->size() - 2) + 2)
                  << "\n";
    std::cout << "update: " << check_update(c).detail << "\n";
    return ok;
}

namespace {

std::string read_pin() {
    const bool tty = ::isatty(STDIN_FILENO);
    termios old{};
    if (tty) {
        std::cerr << "new staff PIN (6-12 digits): " << std::flush;
        ::tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string pin;
    std::getline(std::cin, pin);
    if (tty) {
        ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << "\n";
    }
    return pin;
}

}  // namespace

int cmd_set_pin(const Globals& g, const std::vector<std::string>& args) {
    if (!args.empty())
        return usage_error("set-pin reads the PIN from stdin; it takes no arguments");
    const std::string path = g.config_path.empty() ? default_config_path() : g.config_path;
    const Config current = load_config(path);  // refuse to edit a config that is already broken
    std::string pin = read_pin();
    if (pin.size() < 6 || pin.size() > 12 || pin.find_first_not_of("0123456789") != pin.npos) {
        secure_clear(pin);
        std::cerr << "kioskctl set-pin: the PIN must be 6 to 12 digits; nothing was changed\n";
        return check_failed;
    }
    const std::string hash = argon2id_hash(pin);
    secure_clear(pin);
    // The PIN has its own file: kiosk.toml is the administrator's and is never rewritten.
    const std::string& pin_file = current.staff.pin_file;
    try {
        write_pin_file(pin_file, hash);
    } catch (const PinFileError& e) {
        std::cerr << "kioskctl set-pin: " << e.what() << "\n";
        return environment;
    }
    // The audit line is written as the kiosk's user when root could otherwise be pointed at its
    // own files through a link planted beside the database. The store may not exist yet on a
    // kiosk being provisioned; the PIN is set regardless.
    const auto audit = [&] {
        SystemClock clock;
        open_store(current.db_path(), clock, OpenMode::existing)
            ->audit("technician", "set_pin", "staff PIN changed");
        return std::string();
    };
    std::string why;
    if (others_can_plant_in(parent_of(current.db_path())))
        (void)run_as(Service::kiosk, audit, why);
    else
        try {
            audit();
        } catch (const std::exception&) {
        }
    if (g.json)
        std::cout << json{{"config", path}, {"pin_file", pin_file}, {"pin_hash_set", true}}.dump(2)
                  << "\n";
    else
        std::cout << "staff PIN set in " << pin_file << "\n";
    return ok;
}

}  // namespace lapor::ctl
