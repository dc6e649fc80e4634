// Staff mode through the real loop: the 5-second corner hold, the PIN pad and its lockout, and
// verifying a genuine and a forged receipt with the scanner (typed input + Enter).
#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>

#include "app.h"
#include "config.h"
#include "driver.h"
#include "fixtures.h"
#include "flow.h"
#include "identity.h"
#include "receipt.h"
#include "sandbox.h"
#include "store.h"
#include "submit.h"
#include "tracking.h"
#include "virtual_printer.h"

using namespace lapor;
using lapor::test::Driver;
using lapor::test::FakeClock;

namespace {

void hold_corner(ui::App& app, Driver& d, std::int64_t ms) {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(app.renderer(), &w, &h);
    d.hold_at(static_cast<float>(w) - 5, 5, ms);
}

void enter_pin(Driver& d, const std::string& pin) {
    for (char c : pin) d.tap(std::string("key:") + c);
    d.tap("key:close");
}

}  // namespace

TEST_CASE("staff PIN: the corner must be held 5 s; wrong PINs lock staff mode, then it reopens") {
    FakeClock clock;
    ui::SandboxOptions so;
    so.lockout_after = 3;
    so.lockout_s = 60;
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    hold_corner(app, d, 3000);
    CHECK(d.screen() == "attract");  // too short
    hold_corner(app, d, 5200);
    CHECK(d.screen() == "staff_pin");
    enter_pin(d, "1111");
    CHECK(d.screen() == "staff_pin");
    CHECK_FALSE(d.has("staff:locked"));
    enter_pin(d, "2222");
    enter_pin(d, "3333");
    CHECK(d.has("staff:locked"));
    enter_pin(d, ui::Sandbox::staff_pin);  // the right PIN is refused while locked
    CHECK(d.screen() == "staff_pin");
    CHECK(d.has("staff:locked"));
    d.advance(61'000);
    CHECK_FALSE(d.has("staff:locked"));
    enter_pin(d, ui::Sandbox::staff_pin);
    CHECK(d.screen() == "staff_verify");

    auto store = open_store(sb.dir() + "/data/kiosk.db", clock, OpenMode::existing);
    int fails = 0, lockouts = 0, oks = 0, refused = 0;
    for (const auto& a : store->recent_audit(50)) {
        fails += a.action == "pin_fail";
        lockouts += a.action == "lockout";
        oks += a.action == "pin_ok";
        refused += a.action == "pin_refused";
    }
    CHECK(fails == 3);
    CHECK(lockouts == 1);
    CHECK(refused == 1);
    CHECK(oks == 1);
    // Staff at the kiosk count as in use: a fleet update waits for attract (kiosk/update_policy).
    CHECK(store->health().at(HealthKey::screen).value == "in_use");

    // Staff mode times out back to attract.
    d.advance(121'000);
    CHECK(d.screen() == "attract");
    CHECK(store->health().at(HealthKey::screen).value == "attract");
}

TEST_CASE("staff PIN: wrong PINs and a lockout survive restarting the kiosk") {
    FakeClock clock;
    ui::SandboxOptions so;
    so.lockout_after = 3;
    so.lockout_s = 60;
    ui::Sandbox sb(so);
    {
        ui::App app(lapor::test::sandbox_options(sb, clock));
        Driver d(app, clock);
        hold_corner(app, d, 5200);
        enter_pin(d, "1111");
        enter_pin(d, "2222");
        CHECK_FALSE(d.has("staff:locked"));
    }  // the kiosk restarts (a crash, a power cut, an update)
    {
        ui::App app(lapor::test::sandbox_options(sb, clock));
        Driver d(app, clock);
        hold_corner(app, d, 5200);
        CHECK(d.screen() == "staff_pin");
        enter_pin(d, "3333");  // the third wrong PIN in a row, not the first
        CHECK(d.has("staff:locked"));
    }
    {
        ui::App app(lapor::test::sandbox_options(sb, clock));
        Driver d(app, clock);
        hold_corner(app, d, 5200);
        CHECK(d.has("staff:locked"));  // still locked after the restart
        enter_pin(d, ui::Sandbox::staff_pin);
        CHECK(d.screen() == "staff_pin");
        d.advance(61'000);
        CHECK_FALSE(d.has("staff:locked"));
        enter_pin(d, ui::Sandbox::staff_pin);
        CHECK(d.screen() == "staff_verify");
    }
}

TEST_CASE("staff: verify a genuine and a forged receipt; test print and reprint as a copy") {
    FakeClock clock;
    auto vp = printer::VirtualPrinter::listen_tcp();
    ui::SandboxOptions so;
    so.printer_transport = vp->transport();
    ui::Sandbox sb(so);
    // A report this kiosk stored earlier (through the real submit path), and a forgery of its
    // receipt signed with another key.
    std::string genuine_url, forged_url, tracking;
    {
        auto store = open_store(sb.dir() + "/data/kiosk.db", clock);
        const Config cfg = load_config(sb.config_path());
        const KeyPair device = load_device_key(cfg.device_key_path());
        Submitter sub(*store, SubmitContext::from(cfg, device), clock);
        const auto r = sub.submit(test::valid_draft(), test::shipped_catalog());
        REQUIRE(r.ok());
        genuine_url = r.report->qr_url;
        tracking = r.report->tracking;
        ReceiptFields f{tracking, cfg.kiosk.id, r.report->created_unix, r.report->classification};
        forged_url =
            receipt_url(cfg.receipt.verify_base, f, sign_receipt(f, ed25519_generate().secret_key));
    }
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(app.renderer(), &w, &h);
    d.hold_at(static_cast<float>(w) - 5, 5, 5200);
    enter_pin(d, ui::Sandbox::staff_pin);
    REQUIRE(d.screen() == "staff_verify");
    d.type_physical_long(genuine_url, true);  // a USB scanner types the URL and Enter
    CHECK(d.has("verify:genuine"));
    d.tap("staff:verify");  // clears the field
    d.type_physical_long(forged_url, true);
    CHECK(d.has("verify:not_genuine"));
    CHECK_FALSE(d.has("verify:genuine"));

    d.tap("staff:queue");
    CHECK(d.screen() == "staff_queue");
    d.tap("staff:printer");
    CHECK(d.screen() == "staff_printer");
    d.tap("staff:test_print");
    CHECK(d.wait_for("staff:job_done", 15000));
    CHECK(vp->printed() == 1);
    d.tap("field:reprint");
    d.type_physical(tracking, true);
    CHECK(d.wait_for("staff:job_done", 15000));
    CHECK(vp->printed() == 2);
    CHECK(vp->received().find("SALINAN") != std::string::npos);
    CHECK(vp->received().find(tracking) != std::string::npos);
    d.tap("staff:diagnostics");
    CHECK(d.screen() == "staff_diagnostics");
    CHECK(d.has_prefix("diagnostics:failed="));            // kioskctl doctor's checks ran
    CHECK_FALSE(d.has("diagnostics:printer_write_only"));  // tcp: answers status
    d.tap("staff:exit");
    CHECK(d.screen() == "attract");

    auto store = open_store(sb.dir() + "/data/kiosk.db", clock, OpenMode::existing);
    int verifies = 0, reprints = 0;
    for (const auto& a : store->recent_audit(50)) {
        verifies += a.action == "verify";
        reprints += a.action == "reprint";
    }
    CHECK(verifies == 2);
    CHECK(reprints == 1);
}

TEST_CASE(
    "staff queue: held, rejected and conflicting reports with reasons; the endpoint warning; "
    "staff mode's ID/EN toggle") {
    FakeClock clock;
    ui::Sandbox sb;
    // Fixture: three reports stored through the real submit path; the sync worker's outcomes are
    // recorded straight in the store (one rejected, one conflict, one held, one still queued), and
    // the worker's warning that the endpoint answered with something that is not the API.
    std::string rejected, conflict, held;
    {
        auto store = open_store(sb.dir() + "/data/kiosk.db", clock);
        const Config cfg = load_config(sb.config_path());
        Submitter sub(*store, SubmitContext::from(cfg, load_device_key(cfg.device_key_path())),
                      clock);
        for (int i = 0; i < 4; ++i) {
            REQUIRE(sub.submit(test::valid_draft(), test::shipped_catalog()).ok());
            clock.advance_ms(1000);
        }
        const auto leased = store->lease_next(3, 60'000);
        REQUIRE(leased.size() == 3);
        REQUIRE(store->mark_rejected(leased[0].id, 422, "category unknown"));
        REQUIRE(store->mark_conflict(leased[1].id, "same key, different body"));
        REQUIRE(store->mark_held(leased[2].id, 403, "wrong_kiosk (kiosk_id): not this kiosk's"));
        held = store->list_by_state(OutboxState::held, 1).at(0).report.tracking;
        store->set_health(HealthKey::endpoint_warning,
                          "2026-12-07T05:00:00Z the endpoint answers with something that is not "
                          "the national API (proxy, captive portal?): 400 text/html");
        rejected = store->list_by_state(OutboxState::rejected, 1).at(0).report.tracking;
        conflict = store->list_by_state(OutboxState::conflict, 1).at(0).report.tracking;
    }
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);

    // A citizen chose English; staff mode opened over that session follows it.
    d.tap("attract:lang:en");
    d.tap("start:complaint");
    REQUIRE(d.screen() == "agency");
    hold_corner(app, d, 5200);
    REQUIRE(d.screen() == "staff_pin");
    enter_pin(d, ui::Sandbox::staff_pin);
    REQUIRE(d.screen() == "staff_verify");
    d.tap("staff:queue");
    REQUIRE(d.screen() == "staff_queue");
    CHECK(d.has("text:Waiting to be sent: 1"));
    CHECK(d.has("text:Rejected: 1"));
    CHECK(d.has("text:Conflict: 1"));
    CHECK(d.has("text:Held: 1"));
    CHECK(d.has("text:Rejected reports, newest first"));
    CHECK(d.has("text:Held reports, newest first"));
    std::string row;
    REQUIRE(d.has_prefix("text:" + held, &row));
    CHECK(row.find("HTTP 403: wrong_kiosk (kiosk_id)") != std::string::npos);
    REQUIRE(
        d.has_prefix("text:The upload address answers with something that is not LAPOR!", &row));
    CHECK(row.find("not the national API (proxy, captive portal?)") != std::string::npos);
    REQUIRE(d.has_prefix("text:" + rejected, &row));
    CHECK(row.find("HTTP 422: category unknown") != std::string::npos);
    CHECK(row.find(" WIB") != std::string::npos);  // the office's time zone (Asia/Jakarta)
    REQUIRE(d.has_prefix("text:" + conflict, &row));
    CHECK(row.find("HTTP 409: same key, different body") != std::string::npos);
    CHECK_FALSE(d.has_prefix("text:Oldest unsent report: -"));
    CHECK(d.has_prefix("text:Oldest unsent report: 20"));

    // The toggle in the staff bar switches the staff labels, and they stay switched across tabs.
    CHECK(d.rect("lang:id").h >= 34.0f);  // 9 mm at the sandbox's display
    d.tap("lang:id");
    CHECK(d.has("text:Menunggu dikirim: 1"));
    CHECK(d.has("text:Ditolak: 1"));
    CHECK(d.has("text:Konflik: 1"));
    CHECK(d.has("text:Ditahan: 1"));
    CHECK(d.has("text:Laporan yang ditolak, terbaru dulu"));
    CHECK_FALSE(d.has("text:Rejected: 1"));
    REQUIRE(d.has_prefix("text:" + rejected, &row));
    CHECK(row.find("HTTP 422: category unknown") != std::string::npos);
    d.tap("staff:printer");
    d.tap("staff:queue");
    CHECK(d.has("text:Ditolak: 1"));
    d.tap("lang:en");
    CHECK(d.has("text:Rejected: 1"));
    d.tap("staff:exit");
    CHECK(d.screen() == "agency");                  // back to the citizen's session
    CHECK(app.flow()->language() == Language::en);  // the staff toggle left it alone
}

namespace {
// Every "text:" line on screen that contains `part`.
bool text_on_screen(ui::App& app, const std::string& part) {
    for (const auto& [id, r] : app.widgets())
        if (id.rfind("text:", 0) == 0 && id.find(part) != std::string::npos) return true;
    return false;
}
}  // namespace

TEST_CASE("staff, write-only file: printer: reprint typed in lower case, bad codes, diagnostics") {
    FakeClock clock;
    ui::Sandbox sb;  // prints to file:, which cannot report its state
    std::string tracking;
    {
        auto store = open_store(sb.dir() + "/data/kiosk.db", clock);
        const Config cfg = load_config(sb.config_path());
        Submitter sub(*store, SubmitContext::from(cfg, load_device_key(cfg.device_key_path())),
                      clock);
        const auto r = sub.submit(test::valid_draft(), test::shipped_catalog());
        REQUIRE(r.ok());
        tracking = r.report->tracking;
    }
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    CHECK_FALSE(d.has("printer_warning"));  // unknown is not a problem
    hold_corner(app, d, 5200);
    enter_pin(d, ui::Sandbox::staff_pin);
    REQUIRE(d.screen() == "staff_verify");
    d.tap("lang:en");
    d.tap("staff:printer");
    REQUIRE(d.screen() == "staff_printer");

    // Not a code at all, then a code with one wrong character: each says what is wrong.
    d.tap("field:reprint");
    d.type_physical("abc", true);
    CHECK(text_on_screen(app, "That is not a tracking code"));
    std::string wrong = tracking;
    wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
    d.tap("staff:printer");  // clears the field
    d.tap("field:reprint");
    d.type_physical(wrong, true);
    CHECK(text_on_screen(app, "typing error"));
    CHECK_FALSE(d.has("staff:job_done"));

    // The right code in lower case without dashes, on the on-screen keyboard.
    d.tap("staff:printer");
    d.tap("field:reprint");
    std::string typed;
    for (char c : tracking)
        if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    d.type_on_screen(typed);
    d.tap("key:close");
    CHECK(d.wait_for("staff:job_done", 15000));
    // The print library's sentence, translated: a file cannot confirm the receipt came out.
    CHECK(text_on_screen(app, "the printer did not confirm it"));
    CHECK_FALSE(text_on_screen(app, "printed_unconfirmed"));
    const std::string out = sb.dir() + "/printer.out";
    std::ifstream f(out, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    CHECK(bytes.find(tracking) != std::string::npos);
    CHECK(bytes.find("SALINAN") != std::string::npos);  // the report is in Indonesian

    // Diagnostics: the write-only printer cannot report status, which is not a failure.
    d.tap("staff:diagnostics");
    CHECK(d.has("diagnostics:printer_write_only"));
    std::string failed;
    REQUIRE(d.has_prefix("diagnostics:failed=", &failed));
    d.tap("staff:exit");
}

TEST_CASE("staff queue: read when the tab opens, not every frame; Refresh reads it again") {
    FakeClock clock;
    ui::Sandbox sb;
    auto store = open_store(sb.dir() + "/data/kiosk.db", clock);
    const Config cfg = load_config(sb.config_path());
    Submitter sub(*store, SubmitContext::from(cfg, load_device_key(cfg.device_key_path())), clock);
    REQUIRE(sub.submit(test::valid_draft(), test::shipped_catalog()).ok());
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    hold_corner(app, d, 5200);
    enter_pin(d, ui::Sandbox::staff_pin);
    d.tap("lang:en");
    d.tap("staff:queue");
    REQUIRE(d.screen() == "staff_queue");
    CHECK(d.has("text:Waiting to be sent: 1"));
    REQUIRE(sub.submit(test::valid_draft(), test::shipped_catalog()).ok());
    d.advance(500);  // frames are drawn; the list is what was read when the tab opened
    CHECK(d.has("text:Waiting to be sent: 1"));
    d.tap("staff:refresh");
    CHECK(d.has("text:Waiting to be sent: 2"));
    d.tap("staff:diagnostics");
    CHECK(d.has("staff:refresh"));
    CHECK(d.has_prefix("diagnostics:failed="));
    d.tap("staff:exit");
}
