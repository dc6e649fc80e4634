#include <doctest/doctest.h>

#include "config.h"

using namespace lapor;

namespace {

const std::string minimal = R"([kiosk]
id = "JKT-PUSAT-01"
code_prefix = "JK01"
office = "Kantor Walikota Jakarta Pusat"

[upload]
endpoint = "https://api.example.go.id/kiosk"
national_key = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
national_key_id = "2026-01"
)";

std::string error_of(const std::string& text) {
    try {
        parse_config(text, "/etc/lapor-kiosk/kiosk.toml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "no error";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
}

}  // namespace

TEST_CASE("a minimal config gets the documented defaults") {
    const Config c = parse_config(minimal, "/etc/lapor-kiosk/kiosk.toml");
    CHECK(c.kiosk.id == "JKT-PUSAT-01");
    CHECK(c.kiosk.time_zone == "Asia/Jakarta");
    CHECK(c.time_zone().abbr == "WIB");
    CHECK(c.kiosk.languages == std::vector<std::string>{"id", "en"});
    CHECK(c.db_path() == "/var/lib/lapor-kiosk/kiosk.db");
    CHECK(c.device_key_path() == "/var/lib/lapor-kiosk/identity/device.key");
    CHECK(c.session.idle_timeout_s == 90);
    CHECK(c.session.countdown_s == 20);  // WCAG 2.2.1: at least 20 s
    CHECK(c.session.receipt_screen_s == 60);
    CHECK(c.staff.lockout_after == 5);
    CHECK(c.printer.transport == "usb:/dev/usb/lp0");
    CHECK(c.printer.status_timeout_ms == 800);
    CHECK(c.upload.national_key.size() == 32);
    CHECK(c.upload.backoff_base_s == 30);
    CHECK(c.upload.backoff_cap_s == 1800);
    CHECK(c.upload.retention_days == 30);
    CHECK(c.receipt.verify_base == "https://lapor.go.id/kiosk");
    CHECK(c.display.fullscreen);
}

TEST_CASE("fractional seconds are accepted everywhere a key ends in _s") {
    const Config c =
        parse_config(minimal + "[session]\nidle_timeout_s = 0.005\ncountdown_s = 0.5\n", "k.toml");
    CHECK(c.session.idle_timeout_s == doctest::Approx(0.005));
    CHECK(c.session.countdown_s == doctest::Approx(0.5));
}

TEST_CASE("errors name file, line, key and what to write") {
    CHECK(error_of(replaced(minimal, "code_prefix = \"JK01\"\n", "")) ==
          "/etc/lapor-kiosk/kiosk.toml: missing required key kiosk.code_prefix: add "
          "`code_prefix = \"JK01\"` under [kiosk]");
    CHECK(error_of(replaced(minimal, "code_prefix = \"JK01\"", "code_prefix = \"JKO1\"")) ==
          "/etc/lapor-kiosk/kiosk.toml:3: kiosk.code_prefix must be 4 characters of 0-9 and A-Z "
          "without I, L, O, U, e.g. code_prefix = \"JK01\"");
    CHECK(error_of(minimal + "[session]\nidle_timeout = 90\n") ==
          "/etc/lapor-kiosk/kiosk.toml:11: unknown key session.idle_timeout (the keys of [session] "
          "are idle_timeout_s, countdown_s, receipt_screen_s)");
    CHECK(
        error_of(minimal + "[sesion]\nidle_timeout_s = 90\n").find(":10: unknown table [sesion]") !=
        std::string::npos);
    CHECK(error_of(minimal + "[session]\nidle_timeout_s = \"90\"\n") ==
          "/etc/lapor-kiosk/kiosk.toml:11: session.idle_timeout_s must be a number, e.g. "
          "idle_timeout_s = 90");
    CHECK(error_of(minimal + "[session]\nidle_timeout_s = -1\n")
              .find(":11: session.idle_timeout_s must be between") != std::string::npos);
    CHECK(error_of(minimal + "[staff]\nlockout_after = 2.5\n").find("a whole number") !=
          std::string::npos);
    CHECK(error_of(replaced(minimal, "https://api", "http://api"))
              .find(":7: upload.endpoint must start with https://") != std::string::npos);
    CHECK(error_of(replaced(minimal, "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=", "short"))
              .find(":8: upload.national_key must be a 32-byte X25519 public key") !=
          std::string::npos);
    CHECK(error_of(replaced(minimal, "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=",
                            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))
              .find(":8: upload.national_key is not a usable X25519 public key") !=
          std::string::npos);
    CHECK(error_of(minimal + "[kiosk.extra]\n").find("unknown key kiosk.extra") !=
          std::string::npos);
    CHECK(error_of("[kiosk\nid=1").find("kiosk.toml:1: not valid TOML") != std::string::npos);
    CHECK(error_of(minimal + "[kiosk]\n").find("not valid TOML") != std::string::npos);  // twice
    CHECK(error_of(replaced(minimal, "office = \"Kantor",
                            "time_zone = \"Asia/Bali\"\noffice = "
                            "\"Kantor"))
              .find("Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)") !=
          std::string::npos);
    CHECK(error_of(minimal + "[printer]\ntransport = \"lp0\"\n").find("usb:DEVICE") !=
          std::string::npos);
    CHECK(error_of(minimal + "[staff]\npin_hash = \"1234\"\n").find("kioskctl set-pin") !=
          std::string::npos);
    CHECK(error_of(minimal + "[upload]\n").find("not valid TOML") != std::string::npos);
    CHECK(error_of("foo = 1\n" + minimal) ==
          "/etc/lapor-kiosk/kiosk.toml:1: foo is outside any table: put it under its table, e.g. "
          "[kiosk]");
    CHECK(error_of(replaced(minimal, "office =", "languages = [\"id\", \"id\"]\noffice ="))
              .find("lists \"id\" twice") != std::string::npos);
    CHECK(error_of(replaced(minimal, "national_key_id = \"2026-01\"",
                            "national_key_id = \"2026-01\"\nbackoff_base_s = 60\n"
                            "backoff_cap_s = 30")) ==
          "/etc/lapor-kiosk/kiosk.toml:11: upload.backoff_cap_s must not be smaller than "
          "upload.backoff_base_s (60), e.g. backoff_cap_s = 1800");
    CHECK(error_of(minimal + "[receipt]\nverify_base = \"http://lapor.go.id\"\n") ==
          "/etc/lapor-kiosk/kiosk.toml:11: receipt.verify_base must start with https://, e.g. "
          "verify_base = \"https://lapor.go.id/kiosk\"");
    CHECK(error_of(minimal + "[receipt]\nverify_base = \"https://lapor.go.id/kiosk?x=1\"\n")
              .find("receipt.verify_base must have a path of letters") != std::string::npos);
    // Office names count characters, not bytes: 120 two-byte letters are fine.
    std::string office;
    for (int i = 0; i < 120; ++i) office += "é";
    CHECK(error_of(replaced(minimal, "Kantor Walikota Jakarta Pusat", office)) == "no error");
}

TEST_CASE("plain http only to loopback; relative paths resolve next to the file") {
    const Config c = parse_config(
        replaced(replaced(minimal, "https://api.example.go.id/kiosk", "http://127.0.0.1:18443"),
                 "office =", "data_dir = \"state\"\noffice ="),
        "/srv/demo/kiosk.toml");
    CHECK(c.upload.endpoint == "http://127.0.0.1:18443");
    CHECK(c.kiosk.data_dir == "/srv/demo/state");
    CHECK(error_of(replaced(minimal, "https://api.example.go.id", "http://127.0.0.1.evil.com"))
              .find("plain http only to loopback") != std::string::npos);
}
