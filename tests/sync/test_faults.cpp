// Every fault mode with 100 reports, then a random mix of all modes with 1,000: each fault fires
// its set number of times, and every report arrives exactly once (sync_checks.h).
#include <doctest/doctest.h>

#include "sync_checks.h"

using namespace lapor;
using namespace lapor::test;

namespace {

struct Case {
    const char* mode;
    int count;
};

// Enrolls first when the kiosk has no token yet.
void drain(Lab& lab, Kiosk& k, int timeout_ms) {
    if (!read_text_file(k.config.token_path())) k.set_code(lab.issue_code("TEST-KIOSK-01"));
    REQUIRE(lapor::test::drain(k, timeout_ms));
}

}  // namespace

TEST_CASE("each fault mode, 100 reports: every fault fires, every report arrives once") {
    TempDir tmp;
    const Pki pki(tmp.path());
    const Case cases[] = {{"refuse", 15},
                          {"wrong_host_cert", 10},
                          {"reset_before_body", 25},
                          {"reset_after_commit", 25},
                          {"http_500", 25},
                          {"http_503", 15},
                          {"http_429", 15},
                          {"slow", 6},
                          {"malformed_json", 25},
                          {"html_200", 25}};
    for (const auto& c : cases) {
        SUBCASE(c.mode) {
            TempDir labdir;
            Lab lab(labdir.path(), pki, {"--slow-ms", "700", "--retry-after", "1"});
            Kiosk k(lab);
            drain(lab, k, 30'000);  // enrolls, nothing to send yet
            REQUIRE(read_text_file(k.config.token_path()));
            KioskSettings s;
            if (std::string(c.mode) == "slow") s.total_timeout_s = 0.35;
            k.write_config(lab, s);
            // Armed while serving, so connection faults meet the uploads, not the enrollment.
            REQUIRE(lab.ctl->post("/lab/faults", "{\"" + std::string(c.mode) +
                                                     "\":" + std::to_string(c.count) + "}") == 200);
            k.add_reports(100);
            drain(lab, k, 90'000);
            check_all_fired(lab);
            check_exactly_once(k, lab);
            if (std::string(c.mode) == "wrong_host_cert") {
                // Never a report over a connection with the wrong certificate, and a clear error.
                INFO("lapor-sync log:\n" << k.sync_log().substr(0, 3000));
                CHECK(k.sync_log().find("certificate was NOT accepted") != std::string::npos);
                CHECK(k.sync_log().find("does not match target host name") == std::string::npos);
                CHECK(k.sync_log().find("matches target host name") != std::string::npos);
            }
            if (std::string(c.mode) == "http_503" || std::string(c.mode) == "http_429") {
                // Retry-After: 1 is honoured rather than the millisecond backoff.
                CHECK(k.sync_log().find("asked the kiosk to wait") != std::string::npos);
                CHECK(k.sync_log().find("(next try in 1 s)") != std::string::npos);
            }
            if (std::string(c.mode) == "html_200")
                CHECK(k.sync_log().find("NOT counted as sent") != std::string::npos);
            lab.stop();
            CHECK(lab.exit_code == 0);
        }
    }
}

TEST_CASE("Retry-After: 0 waits at least the backoff base, never retries at once") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki, {"--retry-after", "0", "--fault", "http_503:3"});
    KioskSettings s;
    s.backoff_base_s = 0.2;
    s.backoff_cap_s = 0.4;
    Kiosk k(lab, s);
    k.add_reports(5);
    drain(lab, k, 60'000);
    check_all_fired(lab);
    check_exactly_once(k, lab);
    const auto log = k.sync_log();
    INFO("lapor-sync log:\n" << log.substr(0, 4000));
    int waits = 0;
    const std::string key = "(next try in ";
    for (auto at = log.find(key); at != std::string::npos; at = log.find(key, at + 1)) {
        ++waits;
        CHECK(std::stod(log.substr(at + key.size(), 12)) >= 0.2);
    }
    CHECK(waits >= 1);  // one line per answer (the same words within a minute only once)
    CHECK(waits <= 3);
}

TEST_CASE("a 429 pauses every upload for its Retry-After, not only the report it answered") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki, {"--retry-after", "2", "--fault", "http_429:1"});
    KioskSettings one;
    one.batch_max = 1;  // the bound below counts requests in flight as reports
    Kiosk k(lab, one);
    drain(lab, k, 30'000);  // enrolls; no upload yet, so the fault is still armed
    k.add_reports(60);
    const pid_t pid = k.start_sync(true, 4);
    const auto stat = [&](const char* what) {
        const auto j = lab.ctl->stats();
        if (std::string(what) == "created") return j.value("created", 0);
        return j["faults"]["http_429"].value("fired", 0);
    };
    REQUIRE(k.wait_for([&] { return stat("429") == 1; }, 30'000));
    const int created_at_429 = stat("created");
    sleep_ms(1200);
    // Only the uploads already in flight when the 429 came (at most 3 others) may land now.
    CHECK(stat("created") - created_at_429 <= 3);
    CHECK(k.wait_for(
        [&] {
            int status = 0;
            return ::waitpid(pid, &status, WNOHANG) == pid;
        },
        60'000));
    INFO("lapor-sync log:\n" << k.sync_log().substr(0, 4000));
    CHECK(k.sync_log().find("the server answered 429: no new uploads for 2 s") !=
          std::string::npos);
    check_exactly_once(k, lab);
}

TEST_CASE("a random mix of every fault mode, 1,000 reports") {
    TempDir tmp;
    const Pki pki(tmp.path());
    TempDir labdir;
    std::vector<std::string> extra = {"--slow-ms", "700", "--retry-after", "1"};
    const Case mix[] = {{"refuse", 20},
                        {"wrong_host_cert", 10},
                        {"reset_before_body", 40},
                        {"reset_after_commit", 40},
                        {"http_500", 40},
                        {"http_503", 20},
                        {"http_429", 20},
                        {"slow", 8},
                        {"malformed_json", 40},
                        {"html_200", 40}};
    for (const auto& c : mix) {
        extra.push_back("--fault");
        extra.push_back(std::string(c.mode) + ":" + std::to_string(c.count));
    }
    Lab lab(labdir.path(), pki, extra);
    KioskSettings s;
    s.total_timeout_s = 0.35;
    Kiosk k(lab, s);
    k.add_reports(1000);
    drain(lab, k, 150'000);
    check_all_fired(lab);
    check_exactly_once(k, lab);
    lab.stop();
    CHECK(lab.exit_code == 0);
}
