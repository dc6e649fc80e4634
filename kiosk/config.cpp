#include "config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <sstream>

#include "crypto.h"
#include "files.h"
#include "languages.h"
#include "pin_file.h"
#include "receipt.h"
#include "tracking.h"
#include "update_policy.h"
#include "utf8.h"

namespace lapor {
namespace {

enum class Kind { string, number, integer, boolean, string_list };

// One key of the file: where it lives, its type, whether it must be given, how to store it and
// an example of a good value for the error message.
struct KeySpec {
    std::string_view table;
    std::string_view key;
    Kind kind;
    bool required;
    std::string_view example;
    std::function<std::string(Config&, const toml::node&)> apply;  // "" or what is wrong
};

std::string str_of(const toml::node& n) { return std::string(*n.as_string()); }

double num_of(const toml::node& n) {
    if (auto i = n.as_integer()) return static_cast<double>(i->get());
    return n.as_floating_point()->get();
}

template <typename Section>
std::function<std::string(Config&, const toml::node&)> set_str(
    Section Config::*section, std::string Section::*field,
    std::function<std::string(const std::string&)> check = {}) {
    return [=](Config& c, const toml::node& n) {
        std::string v = str_of(n);
        if (check) {
            if (auto why = check(v); !why.empty()) return why;
        }
        c.*section.*field = std::move(v);
        return std::string();
    };
}

template <typename Section, typename T>
std::function<std::string(Config&, const toml::node&)> set_num(Section Config::*section,
                                                               T Section::*field, double min,
                                                               double max) {
    return [=](Config& c, const toml::node& n) {
        const double v = num_of(n);
        if (!std::isfinite(v) || v < min || v > max) {
            std::ostringstream ss;
            ss << "must be between " << min << " and " << max;
            return ss.str();
        }
        c.*section.*field = static_cast<T>(v);
        return std::string();
    };
}

bool is_loopback_http(const std::string& url) {
    for (const char* p : {"http://127.0.0.1", "http://localhost", "http://[::1]"}) {
        const std::string_view pre(p);
        if (url.starts_with(pre) &&
            (url.size() == pre.size() || url[pre.size()] == ':' || url[pre.size()] == '/'))
            return true;
    }
    return false;
}

// The authority part (between "://" and the path); "" when there is none.
std::string authority_of(const std::string& url) {
    const auto start = url.find("://");
    if (start == std::string::npos) return "";
    const auto rest = url.substr(start + 3);
    return rest.substr(0, rest.find_first_of("/?#"));
}

std::string check_url(const std::string& v, bool allow_loopback_http) {
    // A user name or password hides the real host ("http://127.0.0.1:80@10.255.255.1/" goes to
    // 10.255.255.1). lapor-sync and kioskctl check the whole URL again with libcurl's parser.
    if (authority_of(v).find('@') != std::string::npos)
        return "must not carry a user name or password (user@host): write only the host";
    if (v.starts_with("https://") && v.size() > 8) return "";
    if (allow_loopback_http && is_loopback_http(v)) return "";
    return allow_loopback_http ? "must start with https:// (plain http only to loopback: "
                                 "127.0.0.1, localhost, [::1])"
                               : "must start with https://";
}

// [ui] languages (and its older name [kiosk] languages): codes of installed .po files. Whether
// the files exist is checked when the UI starts, against the folder it reads (languages.h).
std::string set_languages(Config& c, const toml::node& n) {
    std::vector<std::string> out;
    for (const auto& e : *n.as_array()) {
        const auto* s = e.as_string();
        if (!s) return "may only list language codes in quotes";
        if (!valid_language_code(s->get()))
            return "lists \"" + s->get() +
                   "\", which is not a language code (2 or 3 lowercase letters, the name of a .po "
                   "file without .po)";
        if (std::find(out.begin(), out.end(), s->get()) != out.end())
            return "lists \"" + s->get() + "\" twice";
        out.emplace_back(s->get());
    }
    if (out.empty()) return "must list at least one language";
    c.ui.languages = c.kiosk.languages = std::move(out);
    return "";
}

std::vector<KeySpec> specs() {
    using C = Config;
    auto nonempty = [](std::size_t max) {
        return [max](const std::string& v) -> std::string {
            const auto n = utf8::count(v);
            if (!n || *n == 0 || *n > max || utf8::first_control(v))
                return "must be 1-" + std::to_string(max) + " characters of text";
            return "";
        };
    };
    return {
        {"kiosk", "id", Kind::string, true, "id = \"JKT-PUSAT-01\"",
         set_str(&C::kiosk, &C::Kiosk::id,
                 [](const std::string& v) -> std::string {
                     return valid_kiosk_id(v) ? "" : "must be 1-32 of A-Z a-z 0-9 - _ .";
                 })},
        {"kiosk", "code_prefix", Kind::string, true, "code_prefix = \"JK01\"",
         set_str(&C::kiosk, &C::Kiosk::code_prefix,
                 [](const std::string& v) -> std::string {
                     return valid_code_prefix(v)
                                ? ""
                                : "must be 4 characters of 0-9 and A-Z without I, L, O, U";
                 })},
        {"kiosk", "office", Kind::string, true, "office = \"Kantor Walikota Jakarta Pusat\"",
         set_str(&C::kiosk, &C::Kiosk::office, nonempty(120))},
        {"kiosk", "time_zone", Kind::string, false, "time_zone = \"Asia/Jakarta\"",
         set_str(&C::kiosk, &C::Kiosk::time_zone,
                 [](const std::string& v) -> std::string {
                     return time_zone_from(v) ? ""
                                              : "must be Asia/Jakarta (WIB), Asia/Makassar (WITA) "
                                                "or Asia/Jayapura (WIT)";
                 })},
        {"kiosk", "languages", Kind::string_list, false,
         "languages = [\"id\", \"en\"] (better under [ui])", set_languages},
        {"kiosk", "data_dir", Kind::string, false, "data_dir = \"/var/lib/lapor-kiosk\"",
         set_str(&C::kiosk, &C::Kiosk::data_dir, nonempty(4096))},
        {"display", "dpi", Kind::number, false, "dpi = 96",
         set_num(&C::display, &C::Display::dpi, 50, 600)},
        {"display", "fullscreen", Kind::boolean, false, "fullscreen = true",
         [](Config& c, const toml::node& n) {
             c.display.fullscreen = n.as_boolean()->get();
             return std::string();
         }},
        {"display", "text_scale", Kind::number, false, "text_scale = 1.0",
         set_num(&C::display, &C::Display::text_scale, 0.5, 3)},
        {"ui", "languages", Kind::string_list, false, "languages = [\"id\", \"en\"]",
         set_languages},
        {"ui", "speech", Kind::boolean, false, "speech = true",
         [](Config& c, const toml::node& n) {
             c.ui.speech = n.as_boolean()->get();
             return std::string();
         }},
        {"ui", "speech_volume", Kind::integer, false, "speech_volume = 80",
         set_num(&C::ui, &C::Ui::speech_volume, 0, 100)},
        {"session", "idle_timeout_s", Kind::number, false, "idle_timeout_s = 90",
         set_num(&C::session, &C::Session::idle_timeout_s, 0.001, 86400)},
        {"session", "countdown_s", Kind::number, false, "countdown_s = 20",
         set_num(&C::session, &C::Session::countdown_s, 0.001, 3600)},
        {"session", "receipt_screen_s", Kind::number, false, "receipt_screen_s = 60",
         set_num(&C::session, &C::Session::receipt_screen_s, 0.001, 3600)},
        {"staff", "pin_hash", Kind::string, false,
         "pin_hash = \"$argon2id$...\" (kioskctl set-pin)",
         set_str(&C::staff, &C::Staff::pin_hash,
                 [](const std::string& v) -> std::string {
                     return v.empty() || v.starts_with("$argon2id$")
                                ? ""
                                : "must be an Argon2id hash written by `kioskctl set-pin`";
                 })},
        {"staff", "pin_file", Kind::string, false, "pin_file = \"staff-pin\"",
         set_str(&C::staff, &C::Staff::pin_file, nonempty(4096))},
        {"staff", "lockout_after", Kind::integer, false, "lockout_after = 5",
         set_num(&C::staff, &C::Staff::lockout_after, 1, 100)},
        {"staff", "lockout_s", Kind::number, false, "lockout_s = 300",
         set_num(&C::staff, &C::Staff::lockout_s, 0.001, 86400)},
        {"staff", "timeout_s", Kind::number, false, "timeout_s = 120",
         set_num(&C::staff, &C::Staff::timeout_s, 0.001, 86400)},
        {"printer", "profile", Kind::string, false, "profile = \"generic-80mm\"",
         set_str(&C::printer, &C::Printer::profile, nonempty(64))},
        {"printer", "status_timeout_ms", Kind::integer, false, "status_timeout_ms = 800",
         set_num(&C::printer, &C::Printer::status_timeout_ms, 1, 60000)},
        {"printer", "transport", Kind::string, false, "transport = \"usb:/dev/usb/lp0\"",
         set_str(&C::printer, &C::Printer::transport,
                 [](const std::string& v) -> std::string {
                     for (const char* p : {"usb:", "tcp:", "serial:", "cups:", "file:", "png:"}) {
                         if (v.starts_with(p) && v.size() > std::string_view(p).size()) return "";
                     }
                     return "must be usb:DEVICE, tcp:HOST:PORT, serial:DEVICE:BAUD, cups:QUEUE, "
                            "file:PATH or png:PATH";
                 })},
        {"upload", "endpoint", Kind::string, true, "endpoint = \"https://api.lapor.go.id/kiosk\"",
         set_str(&C::upload, &C::Upload::endpoint,
                 [](const std::string& v) { return check_url(v, true); })},
        {"upload", "ca_file", Kind::string, false, "ca_file = \"/etc/lapor-kiosk/ca.pem\"",
         set_str(&C::upload, &C::Upload::ca_file)},
        {"upload", "pin_sha256", Kind::string, false, "pin_sha256 = \"base64 SHA-256 of the key\"",
         set_str(&C::upload, &C::Upload::pin_sha256,
                 [](const std::string& v) -> std::string {
                     if (v.empty()) return "";
                     auto d = base64_decode(v);
                     return d && d->size() == 32 ? "" : "must be 32 bytes of base64 (or empty)";
                 })},
        {"upload", "proxy", Kind::string, false, "proxy = \"http://proxy:3128\"",
         set_str(&C::upload, &C::Upload::proxy)},
        {"upload", "national_key", Kind::string, true,
         "national_key = \"<base64 X25519 public key, 44 characters>\"",
         [](Config& c, const toml::node& n) -> std::string {
             auto d = base64_decode(str_of(n));
             if (!d || d->size() != x25519_key_size)
                 return "must be a 32-byte X25519 public key in base64 (44 characters)";
             try {
                 crypto_init();
                 (void)seal("test", *d);  // a low-order key would seal to nobody
             } catch (const std::invalid_argument&) {
                 return "is not a usable X25519 public key (a placeholder such as all zeros?): "
                        "copy the national system's key";
             }
             c.upload.national_key = *d;
             return "";
         }},
        {"upload", "national_key_id", Kind::string, true, "national_key_id = \"2026-01\"",
         set_str(&C::upload, &C::Upload::national_key_id, nonempty(32))},
        {"upload", "backoff_base_s", Kind::number, false, "backoff_base_s = 30",
         set_num(&C::upload, &C::Upload::backoff_base_s, 0.001, 86400)},
        {"upload", "backoff_cap_s", Kind::number, false, "backoff_cap_s = 1800",
         set_num(&C::upload, &C::Upload::backoff_cap_s, 0.001, 604800)},
        {"upload", "connect_timeout_s", Kind::number, false, "connect_timeout_s = 10",
         set_num(&C::upload, &C::Upload::connect_timeout_s, 0.001, 600)},
        {"upload", "total_timeout_s", Kind::number, false, "total_timeout_s = 60",
         set_num(&C::upload, &C::Upload::total_timeout_s, 0.001, 3600)},
        {"upload", "retention_days", Kind::number, false, "retention_days = 30",
         set_num(&C::upload, &C::Upload::retention_days, 0, 3650)},
        {"upload", "status_refresh_s", Kind::number, false, "status_refresh_s = 900",
         set_num(&C::upload, &C::Upload::status_refresh_s, 0.001, 604800)},
        {"upload", "catalog_refresh_s", Kind::number, false, "catalog_refresh_s = 86400",
         set_num(&C::upload, &C::Upload::catalog_refresh_s, 0.001, 604800)},
        {"upload", "heartbeat_s", Kind::number, false, "heartbeat_s = 300",
         set_num(&C::upload, &C::Upload::heartbeat_s, 0.001, 86400)},
        {"upload", "catch_up_factor", Kind::number, false, "catch_up_factor = 3",
         set_num(&C::upload, &C::Upload::catch_up_factor, 0, 1000)},
        {"upload", "batch_max", Kind::integer, false, "batch_max = 50",
         set_num(&C::upload, &C::Upload::batch_max, 1, 100)},
        {"receipt", "verify_base", Kind::string, false,
         "verify_base = \"https://lapor.go.id/kiosk\"",
         set_str(&C::receipt, &C::Receipt::verify_base,
                 [](const std::string& v) -> std::string {
                     // Verifiers accept only links under a base of this shape (keyring.h): a
                     // base with a query or user@ would print receipts nobody can verify.
                     std::string why;
                     return normalize_verify_base(v, &why) ? "" : why;
                 })},
        {"metrics", "listen", Kind::string, false, "listen = \"127.0.0.1:9100\"",
         set_str(&C::metrics, &C::Metrics::listen,
                 [](const std::string& v) -> std::string {
                     // HOST:PORT or [IPv6]:PORT; the node exporter listens only there.
                     const auto colon = v.rfind(':');
                     const std::string port = colon == v.npos ? "" : v.substr(colon + 1);
                     const bool digits = !port.empty() && port.size() <= 5 &&
                                         port.find_first_not_of("0123456789") == port.npos;
                     if (colon == 0 || colon == v.npos || !digits || std::stoi(port) < 1 ||
                         std::stoi(port) > 65535 || v.find_first_of(" \t/") != v.npos)
                         return "must be HOST:PORT, e.g. the kiosk's office address "
                                "\"10.20.30.40:9100\"";
                     return "";
                 })},
        {"metrics", "textfile_dir", Kind::string, false,
         "textfile_dir = \"/run/lapor-kiosk/metrics\"",
         set_str(&C::metrics, &C::Metrics::textfile_dir, nonempty(4096))},
        {"metrics", "interval_s", Kind::number, false, "interval_s = 60",
         set_num(&C::metrics, &C::Metrics::interval_s, 1, 3600)},
        {"update", "url", Kind::string, false, "url = \"https://updates.lapor.go.id/kiosk/stable\"",
         set_str(&C::update, &C::Update::url,
                 [](const std::string& v) -> std::string {
                     if (v.empty()) return "";
                     if (v.back() == '/') return "must not end with /";
                     return check_url(v, true);
                 })},
        {"update", "window", Kind::string, false, "window = \"02:00-05:00\"",
         set_str(&C::update, &C::Update::window,
                 [](const std::string& v) -> std::string {
                     return parse_update_window(v) ? ""
                                                   : "must be HH:MM-HH:MM in the kiosk's local "
                                                     "time (00:00-24:00 is any time)";
                 })},
        {"update", "check_s", Kind::number, false, "check_s = 3600",
         set_num(&C::update, &C::Update::check_s, 0.001, 604800)},
        {"update", "state_dir", Kind::string, false, "state_dir = \"/var/lib/lapor-update\"",
         set_str(&C::update, &C::Update::state_dir, nonempty(4096))},
    };
}

bool kind_matches(Kind k, const toml::node& n) {
    switch (k) {
        case Kind::string: return n.is_string();
        case Kind::number: return n.is_integer() || n.is_floating_point();
        case Kind::integer: return n.is_integer();
        case Kind::boolean: return n.is_boolean();
        case Kind::string_list: return n.is_array();
    }
    return false;
}

std::string_view kind_name(Kind k) {
    switch (k) {
        case Kind::string: return "a quoted string";
        case Kind::number: return "a number";
        case Kind::integer: return "a whole number";
        case Kind::boolean: return "true or false";
        case Kind::string_list: return "a list of strings";
    }
    return "?";
}

std::string resolve(const std::string& path, const std::string& source) {
    if (path.empty() || path[0] == '/') return path;
    const auto slash = source.rfind('/');
    if (path == "." && slash != std::string::npos) return source.substr(0, slash);
    return slash == std::string::npos ? path : source.substr(0, slash + 1) + path;
}

}  // namespace

TimeZone Config::time_zone() const {
    auto tz = time_zone_from(kiosk.time_zone);
    return tz ? *tz : *time_zone_from("Asia/Jakarta");
}

Config parse_config(std::string_view text, const std::string& source, const std::string& base_dir) {
    toml::table root;
    try {
        root = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        std::ostringstream ss;
        ss << source << ":" << e.source().begin.line << ": not valid TOML: " << e.description()
           << " (values are written key = \"text\" or key = 12.5)";
        throw ConfigError(ss.str());
    }
    const auto all = specs();
    auto where = [&](const toml::node& n) {
        return source + ":" + std::to_string(n.source().begin.line);
    };

    // Unknown tables and keys first, so a misspelt key is not reported as a missing one.
    for (const auto& [tkey, tnode] : root) {
        const std::string_view tname = tkey.str();  // lambdas cannot capture bindings (clang 14)
        const bool known_table =
            std::any_of(all.begin(), all.end(), [&](const KeySpec& s) { return s.table == tname; });
        if (!tnode.is_table())
            throw ConfigError(where(tnode) + ": " + std::string(tname) +
                              " is outside any table: put it under its table, e.g. [kiosk]");
        if (!known_table)
            throw ConfigError(where(tnode) + ": unknown table [" + std::string(tname) +
                              "]: the tables are kiosk, display, ui, session, staff, "
                              "printer, upload, receipt and update");
        for (const auto& [kkey, knode] : *tnode.as_table()) {
            const std::string_view kname = kkey.str();
            const bool known = std::any_of(all.begin(), all.end(), [&](const KeySpec& s) {
                return s.table == tname && s.key == kname;
            });
            if (!known) {
                std::string keys;
                for (const auto& s : all) {
                    if (s.table == tname) keys += (keys.empty() ? "" : ", ") + std::string(s.key);
                }
                throw ConfigError(where(knode) + ": unknown key " + std::string(tname) + "." +
                                  std::string(kname) + " (the keys of [" + std::string(tname) +
                                  "] are " + keys + ")");
            }
        }
    }

    Config c;
    c.source = source;
    for (const auto& s : all) {
        const std::string name = std::string(s.table) + "." + std::string(s.key);
        const toml::node* n = root.at_path(name).node();
        if (!n) {
            if (s.required)
                throw ConfigError(source + ": missing required key " + name + ": add `" +
                                  std::string(s.example) + "` under [" + std::string(s.table) +
                                  "]");
            continue;
        }
        if (!kind_matches(s.kind, *n))
            throw ConfigError(where(*n) + ": " + name + " must be " +
                              std::string(kind_name(s.kind)) + ", e.g. " + std::string(s.example));
        if (auto why = s.apply(c, *n); !why.empty())
            throw ConfigError(where(*n) + ": " + name + " " + why + ", e.g. " +
                              std::string(s.example));
    }
    if (root.at_path("kiosk.languages").node() && root.at_path("ui.languages").node()) {
        throw ConfigError(where(*root.at_path("kiosk.languages").node()) +
                          ": kiosk.languages and ui.languages are the same setting: keep only "
                          "languages = [...] under [ui]");
    }
    if (c.upload.backoff_cap_s < c.upload.backoff_base_s) {
        const toml::node* n = root.at_path("upload.backoff_cap_s").node();
        throw ConfigError((n ? where(*n) : source) +
                          ": upload.backoff_cap_s must not be smaller than upload.backoff_base_s "
                          "(" +
                          (std::ostringstream() << c.upload.backoff_base_s).str() +
                          "), e.g. backoff_cap_s = 1800");
    }
    const std::string base = base_dir.empty() ? source : base_dir + "/x";
    c.kiosk.data_dir = resolve(c.kiosk.data_dir, base);
    c.upload.ca_file = resolve(c.upload.ca_file, base);
    c.staff.pin_file = resolve(c.staff.pin_file, base);
    c.metrics.textfile_dir = resolve(c.metrics.textfile_dir, base);
    c.update.state_dir = resolve(c.update.state_dir, base);
    return c;
}

Config load_config(const std::string& path) {
    const auto text = read_text_file(path);
    if (!text)
        throw ConfigError(path +
                          ": cannot read the config file (provision the kiosk, or pass "
                          "--config FILE)");
    // Relative paths are relative to the real file: /etc/lapor-kiosk/kiosk.toml is a symlink
    // into the data partition on a kiosk.
    std::error_code ec;
    const auto real = std::filesystem::canonical(path, ec);
    Config c = parse_config(*text, path, ec ? std::string() : real.parent_path().string());
    // The PIN set with `kioskctl set-pin` wins over a pin_hash in the file. A broken PIN file
    // does not take the kiosk out of service: staff mode keeps the config's PIN (or none) and
    // `kioskctl doctor` says what is wrong.
    try {
        if (auto hash = read_pin_file(c.staff.pin_file)) c.staff.pin_hash = *hash;
    } catch (const PinFileError& e) {
        c.staff.pin_file_problem = e.what();
    }
    return c;
}

std::string default_config_path() {
    const char* env = std::getenv("LAPOR_KIOSK_CONFIG");
    return env && *env ? env : "/etc/lapor-kiosk/kiosk.toml";
}

}  // namespace lapor
