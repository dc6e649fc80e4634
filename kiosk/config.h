// The kiosk's TOML configuration (every key, its default and meaning: docs/config.md).
// A missing required key, an unknown key or a bad value raises ConfigError whose message names
// the file, the line, the key and what to write instead.
#pragma once
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "report.h"

namespace lapor {

struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Config {
    struct Kiosk {
        std::string id;
        std::string code_prefix;
        std::string office;
        std::string time_zone = "Asia/Jakarta";
        std::vector<std::string> languages{"id", "en"};  // the same as ui.languages (older name)
        std::string data_dir = "/var/lib/lapor-kiosk";
    } kiosk;
    struct Display {
        double dpi = 96;
        bool fullscreen = true;
        double text_scale = 1.0;
    } display;
    struct Ui {
        // Codes of installed .po files, in the order offered (languages.h); checked against
        // the installed files when the UI starts (offered_languages).
        std::vector<std::string> languages{"id", "en"};
        bool speech = true;      // the speaker button and the audio guide
        int speech_volume = 80;  // percent of full scale; staff mode can change it
    } ui;
    struct Session {
        double idle_timeout_s = 90;
        double countdown_s = 20;  // WCAG 2.2.1 (Timing Adjustable) asks for at least 20 s
        double receipt_screen_s = 60;
    } session;
    struct Staff {
        // The PIN hash in effect: from pin_file when that exists (load_config reads it), else
        // the config's own pin_hash. Empty: staff mode is locked until `kioskctl set-pin`.
        std::string pin_hash;
        std::string pin_file = "staff-pin";  // resolved against the config file's folder
        std::string pin_file_problem;        // why pin_file could not be used (doctor shows it)
        int lockout_after = 5;
        double lockout_s = 300;
        double timeout_s = 120;
    } staff;
    struct Printer {
        std::string profile = "generic-80mm";
        int status_timeout_ms = 800;
        std::string transport = "usb:/dev/usb/lp0";
    } printer;
    struct Upload {
        std::string endpoint;
        std::string ca_file;
        std::string pin_sha256;
        std::string proxy;
        std::string national_key;  // 32 raw bytes (the file holds base64)
        std::string national_key_id;
        double backoff_base_s = 30;
        double backoff_cap_s = 1800;
        double connect_timeout_s = 10;
        double total_timeout_s = 60;
        double retention_days = 30;
        double status_refresh_s = 900;
        double catalog_refresh_s = 86400;
        double heartbeat_s = 300;
        double catch_up_factor = 3;  // after an outage: at most this times the usual requests
        int batch_max = 50;  // reports in one POST /v1/reports/batch (1: one report per request)
    } upload;
    struct Receipt {
        std::string verify_base = "https://lapor.go.id/kiosk";
    } receipt;
    struct Update {
        std::string url;  // the update folder (manifest.json + bundle); empty: no updates
        std::string window = "02:00-05:00";  // local hours when an update may reboot the kiosk
        double check_s = 3600;               // how often the folder is checked
        std::string state_dir = "/var/lib/lapor-update";  // root-owned, on the data partition
    } update;
    struct Metrics {
        std::string listen = "127.0.0.1:9100";                  // where the node exporter listens
        std::string textfile_dir = "/run/lapor-kiosk/metrics";  // lapor-sync writes lapor.prom
        double interval_s = 60;
    } metrics;

    std::string source;  // the file it was read from

    TimeZone time_zone() const;  // valid after loading
    // Paths under data_dir (DESIGN.md, paths on a kiosk).
    std::string db_path() const { return kiosk.data_dir + "/kiosk.db"; }
    std::string identity_dir() const { return kiosk.data_dir + "/identity"; }
    std::string device_key_path() const { return identity_dir() + "/device.key"; }
    std::string device_pub_path() const { return identity_dir() + "/device.pub"; }
    std::string token_path() const { return identity_dir() + "/token"; }
    std::string enroll_code_path() const { return identity_dir() + "/enroll_code"; }
};

// `source_name` is used in messages. Relative data_dir and ca_file are resolved against
// `base_dir`, or the folder of `source_name` when that is empty.
Config parse_config(std::string_view text, const std::string& source_name,
                    const std::string& base_dir = "");
Config load_config(const std::string& path);

// The default config path: $LAPOR_KIOSK_CONFIG, else /etc/lapor-kiosk/kiosk.toml.
std::string default_config_path();

}  // namespace lapor
