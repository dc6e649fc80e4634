// "Cek status laporan" through the real loop, driven only by SDL events: opened from the attract
// screen, a code typed on the code pad (a typo caught by the check character, then corrected), the
// answer from the store lapor-sync fills (stage, national id, agency, reply, freshness), another
// kiosk's code with a QR code a phone can read, a receipt link from a USB scanner, the speaker
// button, and the idle wipe. Nothing the citizen typed in the report reaches the screen.
#include "app.h"
#include "config.h"
#include "driver.h"
#include "fixtures.h"
#include "flow.h"
#include "i18n.h"
#include "identity.h"
#include "sandbox.h"
#include "screen_qr.h"
#include "share.h"
#include "status_check.h"
#include "store.h"
#include "submit.h"
#include "tracking.h"

using namespace lapor;
using lapor::test::Driver;
using lapor::test::FakeClock;
using lapor::test::qr_codes_on_screen;

namespace {

// Taps the code's characters on the status screen's own pad (dashes are not typed).
void type_code(Driver& d, const std::string& code) {
    for (char c : code_characters(code)) d.tap(std::string("key:") + c);
}

bool said_part(ui::App& app, const std::string& part) {
    for (const auto& s : app.spoken())
        if (s.find(part) != std::string::npos) return true;
    return false;
}

// Every widget id and every spoken text: none holds what the citizen typed in the report.
void check_no_report_text(ui::App& app) {
    const ReportDraft d = test::valid_draft();
    for (const std::string* typed :
         {&d.title, &d.body, &d.location, &d.name, &d.phone, &d.email, &d.nik}) {
        for (const auto& [id, r] : app.widgets()) CHECK(id.find(*typed) == std::string::npos);
        for (const auto& s : app.spoken()) CHECK(s.find(*typed) == std::string::npos);
    }
}

}  // namespace

TEST_CASE("status check: a code typed on the pad shows the report's stage, agency and reply") {
    FakeClock clock;
    ui::SandboxOptions so;
    so.idle_timeout_s = 30;
    so.countdown_s = 10;
    ui::Sandbox sb(so);
    const Config cfg = load_config(sb.config_path());
    // A report stored through the real submit path; lapor-sync's answers recorded in the store.
    PreparedReport report;
    {
        auto store = open_store(sb.dir() + "/data/kiosk.db", clock);
        Submitter sub(*store, SubmitContext::from(cfg, load_device_key(cfg.device_key_path())),
                      clock);
        ReportDraft draft = test::valid_draft();
        draft.incident_date = local_date(clock.now_ms() / 1000, cfg.time_zone());
        auto r = sub.submit(draft, test::shipped_catalog());
        REQUIRE(r.ok());
        report = *r.report;
        const auto leased = store->lease_next(1, 60'000);
        REQUIRE(leased.size() == 1);
        REQUIRE(store->mark_accepted(leased[0].id, 201, "LAPOR-2026-0042", ""));
        const std::int64_t t = clock.now_ms() / 1000;
        store->update_status(leased[0].id, {"dispositioned", "Dinas Perhubungan", t + 600, ""});
        store->update_status(leased[0].id, {"in_progress", "Dinas Perhubungan", t + 1200,
                                            "Petugas kami akan datang besok pagi."});
    }
    clock.advance_ms(5 * 60'000);  // five minutes since lapor-sync last asked
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);

    REQUIRE(d.screen() == "attract");
    d.tap("status:open");
    REQUIRE(d.screen() == "status");
    const float nine_mm = 34.0f;  // at the sandbox's display.dpi = 96
    d.check_targets(nine_mm);
    CHECK_FALSE(d.has_prefix("status:found"));

    // A typo: the check character says so as soon as the 13th character is in.
    const std::string raw = code_characters(report.tracking);
    std::string typo = raw;
    typo[6] = typo[6] == '7' ? '8' : '7';
    type_code(d, typo.substr(0, 5));
    CHECK(d.has("code:typing"));
    type_code(d, typo.substr(5));
    CHECK(d.has("code:bad_check"));
    d.tap("status:check");
    CHECK(d.has("status:bad_check"));
    CHECK_FALSE(d.has("status:found"));
    // Corrected with Hapus (backspace) back to the typo, then the right characters.
    for (int i = 0; i < 7; ++i) d.tap("key:backspace");
    CHECK_FALSE(d.has("status:bad_check"));  // a new code: the old answer goes
    type_code(d, raw.substr(6));
    CHECK(d.has("code:ok"));
    d.tap("status:check");
    REQUIRE(d.has("status:found"));
    CHECK(d.has("status:tracking:" + report.tracking));
    CHECK(d.has("status:national_id:LAPOR-2026-0042"));
    CHECK(d.has("status:agency:Dinas Perhubungan"));
    CHECK(d.has("status:stage:status.stage.in_progress"));
    CHECK(d.has("status:reply"));
    CHECK(d.has("status:fresh"));
    d.check_targets(nine_mm);

    // The speaker button reads the answer: the code spelled out, the stage, the reply.
    d.tap("speak");
    CHECK(said_part(app, "Sedang ditindaklanjuti"));
    CHECK(said_part(app, "Petugas kami akan datang besok pagi."));
    check_no_report_text(app);

    // The idle wipe takes the code and the answer: the next citizen finds an empty pad.
    d.advance(31'000);
    CHECK(app.countdown_showing());
    d.advance(10'500);
    CHECK(d.screen() == "attract");
    d.tap("status:open");
    CHECK_FALSE(d.has_prefix("code:"));
    CHECK_FALSE(d.has_prefix("status:found"));
    d.tap("back");
    CHECK(d.screen() == "attract");
}

TEST_CASE("status check: another kiosk's code gets a QR to lapor.go.id; a scanned receipt link") {
    FakeClock clock;
    ui::Sandbox sb;
    const Config cfg = load_config(sb.config_path());
    PreparedReport report;
    {
        auto store = open_store(sb.dir() + "/data/kiosk.db", clock);
        Submitter sub(*store, SubmitContext::from(cfg, load_device_key(cfg.device_key_path())),
                      clock);
        ReportDraft draft = test::valid_draft();
        draft.incident_date = local_date(clock.now_ms() / 1000, cfg.time_zone());
        auto r = sub.submit(draft, test::shipped_catalog());
        REQUIRE(r.ok());
        report = *r.report;
    }
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    d.tap("attract:lang:en");
    d.tap("status:open");
    REQUIRE(d.screen() == "status");

    // A valid code with another kiosk's prefix.
    std::string other = cfg.kiosk.code_prefix == "ZZ99" ? "ZZ98" : "ZZ99";
    other += "7K3M9QX2";
    other += tracking_check_char(other);
    type_code(d, other);
    CHECK(d.has("code:other_prefix"));
    d.tap("status:check");
    REQUIRE(d.has("status:other_kiosk"));
    REQUIRE(d.has("status:qr"));
    const auto codes = qr_codes_on_screen(app);
    REQUIRE(codes.size() == 1);
    CHECK(codes[0] == cfg.receipt.verify_base + "/r/" + format_tracking(other));

    // The scanner types this kiosk's receipt link and Enter: the report, not yet sent.
    for (int i = 0; i < 13; ++i) d.tap("key:backspace");
    CHECK_FALSE(d.has("status:other_kiosk"));
    d.type_physical_long(report.qr_url, true);
    REQUIRE(d.has("status:found"));
    CHECK(d.has("status:tracking:" + report.tracking));
    CHECK(d.has("status:stage:status.stage.saved"));
    CHECK(d.has("status:not_checked"));
    CHECK_FALSE(d.has("status:qr"));
    check_no_report_text(app);

    // Nothing to erase here, so no Batal: Kembali goes back to attract.
    CHECK_FALSE(d.has("cancel"));
    d.tap("back");
    CHECK(d.screen() == "attract");
}

// A report the national system refused for a reason the staff can fix (held): the screen and the
// speaker say the staff will help, and never that it "will be sent when the kiosk is connected"
// (it will not be, until staff requeue it). A saved report not sent yet says that it will be.
TEST_CASE("status check: a held report says the staff will help, not that it will be sent") {
    FakeClock clock;
    ui::Sandbox sb;
    const Config cfg = load_config(sb.config_path());
    const Messages m = Messages::load_dir(po_dir());
    PreparedReport held, waiting;
    {
        auto store = open_store(sb.dir() + "/data/kiosk.db", clock);
        Submitter sub(*store, SubmitContext::from(cfg, load_device_key(cfg.device_key_path())),
                      clock);
        ReportDraft draft = test::valid_draft();
        draft.incident_date = local_date(clock.now_ms() / 1000, cfg.time_zone());
        auto r = sub.submit(draft, test::shipped_catalog());
        REQUIRE(r.ok());
        held = *r.report;
        const auto leased = store->lease_next(1, 60'000);
        REQUIRE(leased.size() == 1);
        REQUIRE(store->mark_held(leased[0].id, 422, "invalid_field: category"));
        auto r2 = sub.submit(draft, test::shipped_catalog());
        REQUIRE(r2.ok());
        waiting = *r2.report;
    }
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    d.tap("status:open");
    type_code(d, held.tracking);
    d.tap("status:check");
    REQUIRE(d.has("status:found"));
    CHECK(d.has("status:stage:status.stage.saved"));
    CHECK_FALSE(d.has("status:not_checked"));  // no "akan dikirim saat kios terhubung"
    d.tap("speak");
    CHECK(said_part(app, m.tr("id", "status.problem.refused")));
    CHECK_FALSE(said_part(app, m.tr("id", "ui.status.not_sent_yet")));
    check_no_report_text(app);

    for (int i = 0; i < 13; ++i) d.tap("key:backspace");
    type_code(d, waiting.tracking);
    d.tap("status:check");
    REQUIRE(d.has("status:found"));
    CHECK(d.has("status:not_checked"));
    d.tap("speak");
    CHECK(said_part(app, m.tr("id", "ui.status.not_sent_yet")));
}
