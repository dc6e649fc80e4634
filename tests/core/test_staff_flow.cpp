// StaffFlow on an injected clock and a real SQLite store: PIN checks, lockout (also across a
// restart), the timeout, verify, reprint requests, the queue, and the audit entries.
#include <doctest/doctest.h>

#include <algorithm>

#include "crypto.h"
#include "fake_clock.h"
#include "fixtures.h"
#include "staff_flow.h"
#include "store.h"
#include "submit.h"

using namespace lapor;
using lapor::test::FakeClock;
using lapor::test::TempDir;

namespace {

constexpr const char* pin = "246810";

StaffSettings settings() {
    static const std::string hash = [] {
        crypto_init();
        return argon2id_hash(pin);
    }();
    StaffSettings s;
    s.pin_hash = hash;
    s.lockout_after = 3;
    s.lockout_s = 300;
    s.timeout_s = 120;
    s.verify_base = "https://lapor.go.id/kiosk";  // the fixture's receipts point there
    return s;
}

std::vector<std::string> actions(Store& store) {
    std::vector<std::string> out;
    auto entries = store.recent_audit(100);
    std::reverse(entries.begin(), entries.end());  // oldest first
    for (const auto& e : entries)
        if (e.actor == "staff") out.push_back(e.action);
    return out;
}

// A stored report (through the real submit path) and the keyring that knows its kiosk.
struct Stored {
    PreparedReport report;
    Keyring keyring;
};
Stored submit_one(Store& store, const Clock& clock) {
    SubmitContext ctx;
    ctx.kiosk_id = "JKT-PUSAT-01";
    ctx.code_prefix = "JK01";
    ctx.verify_base = "https://lapor.go.id/kiosk";
    ctx.national_key = x25519_generate().public_key;
    ctx.national_key_id = "2026-01";
    ctx.device = ed25519_generate();
    ctx.time_zone = *time_zone_from("Asia/Jakarta");
    Submitter sub(store, ctx, clock);
    ReportDraft d = lapor::test::valid_draft();
    d.incident_date = local_date(clock.now_ms() / 1000, ctx.time_zone);
    auto r = sub.submit(d, lapor::test::shipped_catalog());
    REQUIRE(r.ok());
    Stored s{*r.report, {}};
    s.keyring.add(KeyringEntry{ctx.kiosk_id, ctx.code_prefix, ctx.device.public_key});
    return s;
}

}  // namespace

TEST_CASE("staff PIN: right, wrong, lockout after N, refused while locked, open again after") {
    TempDir dir;
    FakeClock clock;
    auto store = open_store(dir / "kiosk.db", clock);
    Keyring keys;
    StaffFlow f(settings(), clock, store.get(), keys);
    CHECK_FALSE(f.active());
    f.open(Language::en);
    CHECK(f.screen() == StaffScreen::pin);
    CHECK(f.language() == Language::en);
    CHECK(f.enter_pin("111111") == PinResult::wrong);
    CHECK(f.message().msgid == "ui.staff.pin_wrong");
    CHECK(f.message().bad);
    CHECK(f.enter_pin("222222") == PinResult::wrong);
    CHECK(f.failures() == 2);
    CHECK(f.enter_pin("333333") == PinResult::locked);
    REQUIRE(f.locked_for_s());
    CHECK(*f.locked_for_s() == doctest::Approx(300));
    CHECK(f.enter_pin(pin) == PinResult::locked);  // even the right PIN while locked
    CHECK_FALSE(f.unlocked());
    clock.advance_ms(299'000);
    CHECK(f.enter_pin(pin) == PinResult::locked);
    clock.advance_ms(1'001);
    CHECK_FALSE(f.locked_for_s());
    CHECK(f.enter_pin(pin) == PinResult::ok);
    CHECK(f.screen() == StaffScreen::verify);
    CHECK(f.failures() == 0);
    CHECK(actions(*store) == std::vector<std::string>{"open", "pin_fail", "pin_fail", "pin_fail",
                                                      "lockout", "pin_refused", "pin_refused",
                                                      "pin_ok"});
}

TEST_CASE("staff PIN failures and a lockout survive a restart (kept in the store)") {
    TempDir dir;
    FakeClock clock;
    Keyring keys;
    {
        auto store = open_store(dir / "kiosk.db", clock);
        StaffFlow f(settings(), clock, store.get(), keys);
        f.open(Language::id);
        CHECK(f.enter_pin("111111") == PinResult::wrong);
        CHECK(f.enter_pin("222222") == PinResult::wrong);
    }  // the program stops (or the power goes) here
    {
        auto store = open_store(dir / "kiosk.db", clock);
        StaffFlow f(settings(), clock, store.get(), keys);
        f.open(Language::id);
        CHECK(f.failures() == 2);
        CHECK(f.enter_pin("333333") == PinResult::locked);  // the third, not the first
        clock.advance_ms(60'000);
    }
    {
        // Restarted during the lockout: still locked for the rest of it, even the right PIN.
        auto store = open_store(dir / "kiosk.db", clock);
        StaffFlow f(settings(), clock, store.get(), keys);
        f.open(Language::id);
        REQUIRE(f.locked_for_s());
        CHECK(*f.locked_for_s() == doctest::Approx(240).epsilon(0.01));
        CHECK(f.enter_pin(pin) == PinResult::locked);
        clock.advance_ms(241'000);
        CHECK(f.enter_pin(pin) == PinResult::ok);
    }
    {
        // A good PIN reset the count for the next start too.
        auto store = open_store(dir / "kiosk.db", clock);
        StaffFlow f(settings(), clock, store.get(), keys);
        CHECK(f.failures() == 0);
        CHECK_FALSE(f.locked_for_s());
    }
}

TEST_CASE("a persisted lockout never lasts longer than lockout_s when the wall clock went back") {
    TempDir dir;
    FakeClock clock;
    Keyring keys;
    {
        auto store = open_store(dir / "kiosk.db", clock);
        StaffFlow f(settings(), clock, store.get(), keys);
        f.open(Language::id);
        for (int i = 0; i < 3; ++i) f.enter_pin("000000");
        REQUIRE(f.locked_for_s());
    }
    clock.set_now_ms(clock.now_ms() - 86'400'000);  // a day back (lost RTC)
    auto store = open_store(dir / "kiosk.db", clock);
    StaffFlow f(settings(), clock, store.get(), keys);
    REQUIRE(f.locked_for_s());
    CHECK(*f.locked_for_s() <= 300.0);
}

TEST_CASE("staff mode: no PIN set refuses; the inactivity timeout closes and audits") {
    TempDir dir;
    FakeClock clock;
    auto store = open_store(dir / "kiosk.db", clock);
    Keyring keys;
    StaffSettings s = settings();
    s.pin_hash.clear();
    StaffFlow f(s, clock, store.get(), keys);
    f.open(Language::id);
    CHECK(f.enter_pin(pin) == PinResult::no_pin_set);
    CHECK(f.message().msgid == "ui.staff.no_pin");
    REQUIRE(f.next_timer_ms());
    CHECK(*f.next_timer_ms() == 120'000);
    clock.advance_ms(119'999);
    CHECK_FALSE(f.tick());
    f.touch();
    clock.advance_ms(119'999);
    CHECK_FALSE(f.tick());
    clock.advance_ms(1);
    CHECK(f.tick());
    CHECK_FALSE(f.active());
    const auto a = actions(*store);
    CHECK(a.back() == "exit");
    CHECK(store->recent_audit(1).front().detail == "timeout");
}

TEST_CASE("staff verify, reprint and queue go through StaffFlow (audited, read on tab open)") {
    TempDir dir;
    FakeClock clock;
    auto store = open_store(dir / "kiosk.db", clock);
    const Stored st = submit_one(*store, clock);
    int diagnostics_runs = 0;
    StaffFlow f(settings(), clock, store.get(), st.keyring, [&] {
        ++diagnostics_runs;
        return std::vector<Check>{Check{"config", true, "ok", ""}};
    });
    f.verify(st.report.qr_url);  // locked: nothing happens
    CHECK_FALSE(f.verification());
    CHECK_FALSE(f.reprint(st.report.tracking));
    f.open(Language::id);
    REQUIRE(f.enter_pin(pin) == PinResult::ok);

    f.verify(st.report.qr_url);
    REQUIRE(f.verification());
    CHECK(f.verification()->result == VerifyResult::genuine);
    REQUIRE(f.looked_up());
    CHECK(f.looked_up()->report.tracking == st.report.tracking);
    std::string forged = st.report.qr_url;
    forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
    f.verify(forged);
    CHECK(f.verification()->result != VerifyResult::genuine);
    // The same genuine parameters under another site are not this kiosk's receipt.
    std::string elsewhere = st.report.qr_url;
    elsewhere.replace(0, std::string("https://lapor.go.id").size(), "https://evil.example");
    f.verify(elsewhere);
    CHECK(f.verification()->result == VerifyResult::wrong_site);

    f.go(StaffScreen::printer);
    CHECK_FALSE(f.reprint("JK01-XXXX"));
    CHECK(f.message().msgid == "ui.staff.reprint_malformed");
    std::string bad_check = st.report.tracking;
    bad_check.back() = bad_check.back() == '0' ? '1' : '0';
    CHECK_FALSE(f.reprint(bad_check));
    CHECK(f.message().msgid == "ui.staff.reprint_bad_check");
    std::string lower = st.report.tracking;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    lower.erase(std::remove(lower.begin(), lower.end(), '-'), lower.end());
    const auto again = f.reprint(lower);
    REQUIRE(again);
    CHECK(again->tracking == st.report.tracking);
    CHECK(f.job_running());
    f.job_done(true, "printer.staff.printed", "");
    CHECK_FALSE(f.job_running());
    CHECK(f.message().prefix_msgid == "ui.staff.reprint");
    CHECK_FALSE(f.message().bad);

    f.go(StaffScreen::queue);
    REQUIRE(f.queue());
    CHECK(f.queue()->counts.total() == 1);
    f.go(StaffScreen::diagnostics);
    CHECK(diagnostics_runs == 1);
    REQUIRE(f.checks());
    f.refresh();
    CHECK(diagnostics_runs == 2);
    f.exit("exit button");
    const auto a = actions(*store);
    CHECK(std::count(a.begin(), a.end(), "verify") == 3);
    CHECK(std::count(a.begin(), a.end(), "reprint") == 1);
    CHECK(a.back() == "exit");
}
