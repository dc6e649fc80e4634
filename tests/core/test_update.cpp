// Fleet updates without a kiosk: the [update] keys, the window, the update folder's manifest,
// what `rauc info` says, store-schema refusals, the timer's decisions on injected facts, the
// state across boots and health checks, the boot health rules and the hostname.
#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "boot_health.h"
#include "config.h"
#include "update_policy.h"
#include "update_state.h"

using namespace lapor;

namespace {

const char* base_config = R"(
[kiosk]
id = "JKT-PUSAT_01.b"
code_prefix = "JK01"
office = "Kantor"
[upload]
endpoint = "https://api.example/kiosk"
national_key = "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg="
national_key_id = "2026-01"
)";

Config with_update(const std::string& table) {
    return parse_config(std::string(base_config) + "[update]\n" + table, "/etc/k/kiosk.toml");
}

std::string config_error(const std::string& table) {
    try {
        with_update(table);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

std::string manifest(const std::string& change_key = "", const std::string& value = "") {
    std::map<std::string, std::string> f{
        {"format", "1"},          {"compatible", "\"lapor-kiosk-amd64\""},
        {"version", "\"1.1.0\""}, {"bundle", "\"lapor-kiosk-1.1.0.raucb\""},
        {"size", "123456"},       {"sha256", "\"" + std::string(64, 'a') + "\""},
        {"store_version", "2"}};
    if (!change_key.empty()) {
        if (value.empty()) {
            f.erase(change_key);
        } else {
            f[change_key] = value;
        }
    }
    std::string out = "{";
    for (const auto& [k, v] : f) out += (out.size() > 1 ? "," : "") + ("\"" + k + "\":" + v);
    return out + "}";
}

UpdateFacts facts(int minute, std::optional<double> idle = std::nullopt) {
    UpdateFacts f;
    f.url = "https://updates.example/stable";
    f.window = *parse_update_window("02:00-05:00");
    f.check_s = 3600;
    f.now_unix = 1'790'000'000;
    f.local_minute_of_day = minute;
    f.attract_idle_s = idle;
    return f;
}

}  // namespace

TEST_CASE("[update] keys: defaults, values, and errors that name the key and the fix") {
    const Config none = parse_config(base_config, "/etc/k/kiosk.toml");
    CHECK(none.update.url.empty());
    CHECK(none.update.window == "02:00-05:00");
    CHECK(none.update.check_s == 3600);
    CHECK(none.update.state_dir == "/var/lib/lapor-update");

    const Config c = with_update(
        "url = \"https://updates.example/stable\"\nwindow = \"22:30-04:00\"\ncheck_s = 600\n"
        "state_dir = \"upd\"\n");
    CHECK(c.update.url == "https://updates.example/stable");
    CHECK(c.update.window == "22:30-04:00");
    CHECK(c.update.check_s == 600);
    CHECK(c.update.state_dir == "/etc/k/upd");  // relative to the config file
    CHECK(with_update("url = \"http://127.0.0.1:8443/u\"\n").update.url ==
          "http://127.0.0.1:8443/u");

    const auto e1 = config_error("url = \"http://updates.example/stable\"\n");
    CHECK(e1.find("kiosk.toml:11: update.url must start with https://") != std::string::npos);
    CHECK(e1.find("e.g. url = \"https://") != std::string::npos);
    CHECK(config_error("url = \"https://u.example/s/\"\n").find("must not end with /") !=
          std::string::npos);
    const auto e2 = config_error("window = \"2-5\"\n");
    CHECK(e2.find("update.window must be HH:MM-HH:MM") != std::string::npos);
    CHECK(e2.find("e.g. window = \"02:00-05:00\"") != std::string::npos);
    CHECK(config_error("windw = \"02:00-05:00\"\n").find("unknown key update.windw") !=
          std::string::npos);
    CHECK(config_error("check_s = 0\n").find("update.check_s must be between") !=
          std::string::npos);
}

TEST_CASE("update window: parsing, wrap past midnight, any time") {
    const auto w = parse_update_window("02:00-05:00");
    REQUIRE(w);
    CHECK(w->contains(120));
    CHECK(w->contains(299));
    CHECK_FALSE(w->contains(300));
    CHECK_FALSE(w->contains(119));
    CHECK(w->text() == "02:00-05:00");

    const auto night = parse_update_window("22:30-04:00");
    REQUIRE(night);
    CHECK(night->contains(23 * 60));
    CHECK(night->contains(0));
    CHECK(night->contains(3 * 60 + 59));
    CHECK_FALSE(night->contains(12 * 60));
    CHECK_FALSE(night->contains(22 * 60 + 29));

    const auto any = parse_update_window("00:00-24:00");
    REQUIRE(any);
    for (int m : {0, 600, 1439}) CHECK(any->contains(m));

    for (const char* bad : {"", "2:00-05:00", "02:00-5:00", "02:00/05:00", "24:00-05:00",
                            "02:60-05:00", "02:00-02:00", "02:00-24:30", "ab:cd-ef:gh"})
        CHECK_MESSAGE(!parse_update_window(bad), bad);
}

TEST_CASE("manifest.json: parsed, and every bad field named") {
    ManifestError err;
    const auto m = parse_update_manifest(manifest(), &err);
    REQUIRE(m);
    CHECK(m->compatible == "lapor-kiosk-amd64");
    CHECK(m->version == "1.1.0");
    CHECK(m->bundle == "lapor-kiosk-1.1.0.raucb");
    CHECK(m->size == 123456);
    CHECK(m->store_version == 2);

    struct Bad {
        std::string key, value, says;
    };
    for (const auto& b : std::vector<Bad>{
             {"format", "2", "\"format\" must be 1"},
             {"compatible", "", "\"compatible\" is missing"},
             {"version", "", "\"version\" is missing"},
             {"bundle", "\"../../etc/shadow\"", "\"bundle\" must be the bundle's file name"},
             {"bundle", "\"sub/x.raucb\"", "\"bundle\" must be the bundle's file name"},
             {"sha256", "\"ABC\"", "\"sha256\" must be 64 lower-case hex"},
             {"size", "0", "\"size\" must be"},
             {"size", "-5", "\"size\" must be"},
             {"store_version", "", "\"store_version\" must be"},
         }) {
        ManifestError e;
        CHECK_MESSAGE(!parse_update_manifest(manifest(b.key, b.value), &e), b.key);
        CHECK_MESSAGE(e.message.find(b.says) != std::string::npos, e.message);
    }
    ManifestError e;
    CHECK_FALSE(parse_update_manifest("<html>captive portal</html>", &e));
    CHECK(e.message.find("not valid JSON") != std::string::npos);
}

TEST_CASE("rauc info: compatible, version and the store schema from the description") {
    std::string err;
    const auto b = parse_rauc_info(
        R"({"compatible":"lapor-kiosk-amd64","version":"1.1.0","description":"LAPOR! Kiosk 1.1.0 store_version=2","build":"x","images":[]})",
        &err);
    REQUIRE(b);
    CHECK(b->compatible == "lapor-kiosk-amd64");
    CHECK(b->version == "1.1.0");
    CHECK(b->store_version == 2);
    const auto none = parse_rauc_info(
        R"({"compatible":"lapor-kiosk-amd64","version":"1.1.0","description":null})", &err);
    REQUIRE(none);
    CHECK(none->store_version == 0);
    CHECK_FALSE(parse_rauc_info(R"({"version":"1"})", &err));
    CHECK_FALSE(parse_rauc_info("rauc-Message: not json", &err));
}

TEST_CASE("store schema: refused before install when a rollback could not read the database") {
    CHECK(store_refusal("1.1.0", 2, 2).empty());
    const auto newer = store_refusal("1.2.0", 3, 2);
    CHECK(newer.find("1.2.0 would migrate the database to schema 3") != std::string::npos);
    CHECK(newer.find("this version (schema 2) could not open it") != std::string::npos);
    const auto older = store_refusal("0.9.0", 1, 2);
    CHECK(older.find("uses store schema 1 but this kiosk's database is at schema 2") !=
          std::string::npos);
    CHECK(store_refusal("x", 0, 2).find("does not say which store schema") != std::string::npos);

    UpdateState s;
    UpdateManifest m = *parse_update_manifest(manifest(), nullptr);
    m.store_version = 3;
    const auto v = judge_manifest(m, s, "1.0.0", "lapor-kiosk-amd64", 2);
    CHECK_FALSE(v.install);
    CHECK(v.refused);
    CHECK(v.why.find("schema 3") != std::string::npos);
}

TEST_CASE(
    "judge_manifest: install a different version, not the running one or one that rolled back") {
    const UpdateManifest m = *parse_update_manifest(manifest(), nullptr);
    UpdateState s;
    auto v = judge_manifest(m, s, "1.0.0", "lapor-kiosk-amd64", 2);
    CHECK(v.install);
    CHECK(v.why == "installing 1.1.0 (running 1.0.0)");
    v = judge_manifest(m, s, "1.1.0", "lapor-kiosk-amd64", 2);
    CHECK_FALSE(v.install);
    CHECK_FALSE(v.refused);
    CHECK(v.why == "up to date (1.1.0)");
    s.rolled_back_from = "1.1.0";
    v = judge_manifest(m, s, "1.0.0", "lapor-kiosk-amd64", 2);
    CHECK_FALSE(v.install);
    CHECK(v.why.find("rolled back on this kiosk") != std::string::npos);
    v = judge_manifest(m, UpdateState{}, "1.0.0", "lapor-kiosk-arm64", 2);
    CHECK_FALSE(v.install);
    CHECK(v.refused);
}

TEST_CASE(
    "the timer: checks on its interval, reboots only in the window and after 2 idle minutes") {
    UpdateState s;
    auto f = facts(12 * 60);
    f.url.clear();
    CHECK(decide_update(s, f).action == UpdateAction::nothing);
    f = facts(12 * 60);
    CHECK(decide_update(s, f).action == UpdateAction::check);  // never checked: check now
    s.last_check_unix = f.now_unix - 3599;
    CHECK(decide_update(s, f).action == UpdateAction::nothing);
    s.last_check_unix = f.now_unix - 3600;
    CHECK(decide_update(s, f).action == UpdateAction::check);
    s.last_check_unix = f.now_unix + 50;  // the clock went back: check rather than stall
    CHECK(decide_update(s, f).action == UpdateAction::check);

    // After failed checks the next comes sooner: 2 min, 4, 8, ... never later than check_s.
    s.failed_checks = 1;
    CHECK(check_interval_s(s, 3600) == 120);
    s.last_check_unix = f.now_unix - 119;
    CHECK(decide_update(s, f).action == UpdateAction::nothing);
    CHECK(decide_update(s, f).why.find("(failed)") != std::string::npos);
    s.last_check_unix = f.now_unix - 120;
    CHECK(decide_update(s, f).action == UpdateAction::check);
    s.failed_checks = 3;
    CHECK(check_interval_s(s, 3600) == 480);
    s.failed_checks = 40;
    CHECK(check_interval_s(s, 3600) == 3600);
    s.failed_checks = 0;
    CHECK(check_interval_s(s, 3600) == 3600);

    // Installed: the reboot waits for the window, then for the attract screen.
    s.phase = "installed";
    s.target_version = "1.1.0";
    struct Case {
        int minute;
        std::optional<double> idle;
        UpdateAction want;
        const char* says;
    };
    for (const auto& k : std::vector<Case>{
             {12 * 60, 600.0, UpdateAction::wait, "inside the update window 02:00-05:00"},
             {5 * 60, 600.0, UpdateAction::wait, "inside the update window"},  // end exclusive
             {3 * 60, std::nullopt, UpdateAction::wait, "has not reported the attract screen"},
             {3 * 60, 119.0, UpdateAction::wait, "idle for 2 minutes"},
             {3 * 60, 120.0, UpdateAction::reboot, "rebooting now"},
             {2 * 60, 3600.0, UpdateAction::reboot, "nobody at the screen"},
         }) {
        const auto d = decide_update(s, facts(k.minute, k.idle));
        CHECK_MESSAGE(d.action == k.want, d.why);
        CHECK_MESSAGE(d.why.find(k.says) != std::string::npos, d.why);
    }
    // No url any more, but an installed update still reboots when allowed.
    f = facts(3 * 60, 500.0);
    f.url.clear();
    CHECK(decide_update(s, f).action == UpdateAction::reboot);
    s.phase = "trial";
    CHECK(decide_update(s, facts(3 * 60, 500.0)).action == UpdateAction::wait);
}

TEST_CASE("state across boots: the new version on trial, then good; or a rollback") {
    UpdateState s;
    s.phase = "rebooting";
    s.previous_version = "1.0.0";
    s.target_version = "1.1.0";
    s.running_version = "1.0.0";

    auto t = state_after_boot(s, BootFacts{"1.1.0", true}, 100);
    CHECK(t.phase == "trial");
    CHECK(t.running_version == "1.1.0");
    auto good = state_after_health(t, true, "", true, 200);
    CHECK(good.phase == "good");
    CHECK(update_summary(good) == "updated: 1.0.0 -> 1.1.0");
    // The next boot changes nothing (a blessed slot is not judged again).
    auto again = state_after_boot(good, BootFacts{"1.1.0", false}, 300);
    CHECK(again.phase == "good");
    CHECK(state_after_health(again, false, "x", false, 400).phase == "good");

    // The new slot failed its health check: marked bad, reboot, the old slot boots.
    auto failed = state_after_health(t, false, "lapor-health: exit-code", true, 200);
    CHECK(failed.phase == "health_failed");
    CHECK(failed.message.find("rebooting into 1.0.0") != std::string::npos);
    auto back = state_after_boot(failed, BootFacts{"1.0.0", false}, 300);
    CHECK(back.phase == "rolled_back");
    CHECK(back.rolled_back_from == "1.1.0");
    CHECK(back.rolled_back_unix == 300);
    CHECK(back.rollbacks == 1);
    CHECK(state_after_boot(back, BootFacts{"1.0.0", false}, 400).rollbacks == 1);  // once
    CHECK(update_summary(back) == "rolled back: 1.1.0 -> 1.0.0");
    CHECK(back.message.find("failed its health check") != std::string::npos);

    // The new slot never came up (three tries used by systemd-boot).
    auto never = state_after_boot(s, BootFacts{"1.0.0", false}, 500);
    CHECK(never.phase == "rolled_back");
    CHECK(never.message.find("did not come up") != std::string::npos);

    // A later good update clears the rollback.
    UpdateState later = back;
    later.phase = "rebooting";
    later.previous_version = "1.0.0";
    later.target_version = "1.2.0";
    later = state_after_health(state_after_boot(later, BootFacts{"1.2.0", true}, 600), true, "",
                               true, 700);
    CHECK(later.phase == "good");
    CHECK(later.rolled_back_from.empty());

    // JSON round trip; damaged and empty files.
    const auto parsed = parse_update_state(update_state_json(back));
    REQUIRE(parsed);
    CHECK(parsed->phase == "rolled_back");
    CHECK(parsed->rolled_back_from == "1.1.0");
    CHECK(parsed->rolled_back_unix == 300);
    CHECK(parsed->rollbacks == 1);
    CHECK(parse_update_state("")->phase == "idle");
    CHECK_FALSE(parse_update_state("{not json"));
    CHECK_FALSE(parse_update_state("[1,2]"));
}

TEST_CASE("boot health: every fact is needed, and each missing one is named") {
    HealthFacts ok{true, true, true, "", true};
    CHECK(evaluate_health(ok).healthy);
    CHECK(evaluate_health(ok).text() == "healthy");
    auto f = ok;
    f.ui_ready = false;
    CHECK_FALSE(evaluate_health(f).healthy);
    CHECK(evaluate_health(f).text() == "the touch screen (lapor-kiosk) has drawn no frame");
    f = ok;
    f.sync_ready = false;
    CHECK(evaluate_health(f).text().find("lapor-sync") != std::string::npos);
    f = ok;
    f.database_ok = false;
    f.database_detail = "integrity_check: row 3 missing";
    CHECK(evaluate_health(f).text() == "the database check failed: integrity_check: row 3 missing");
    f = ok;
    f.data_persistent = false;
    CHECK(evaluate_health(f).text().find("/data is in memory") != std::string::npos);
    const HealthFacts none{false, false, false, "", false};
    CHECK(evaluate_health(none).problems.size() == 4);
}

TEST_CASE("hostname from the kiosk id") {
    CHECK(hostname_for_kiosk("JKT-PUSAT-01") == "kiosk-jkt-pusat-01");
    CHECK(hostname_for_kiosk("JKT_PUSAT.01") == "kiosk-jkt-pusat-01");
    CHECK(hostname_for_kiosk("") == "kiosk");
    CHECK(hostname_for_kiosk(std::string(32, 'A')).size() == 6 + 32);
    CHECK(hostname_for_kiosk(with_update("").kiosk.id) == "kiosk-jkt-pusat-01-b");
}
