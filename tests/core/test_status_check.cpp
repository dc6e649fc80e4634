// StatusCheck (kiosk/status_check.h) against a real SQLite store with reports made by the real
// submit path: typed codes (complete, short, mistyped, another kiosk's, unknown), scanned receipt
// links (genuine, forged, another kiosk's), the stages as the national status moves, held reports,
// and that no answer carries what the citizen typed.
#include <doctest/doctest.h>

#include "crypto.h"
#include "fake_clock.h"
#include "fixtures.h"
#include "i18n.h"
#include "share.h"
#include "spoken.h"
#include "status_check.h"
#include "store.h"
#include "submit.h"
#include "tracking.h"

using namespace lapor;
using lapor::test::FakeClock;
using lapor::test::TempDir;

namespace {

constexpr const char* base = "https://lapor.go.id/kiosk";

struct Kiosk {
    SubmitContext ctx;
    Keyring keyring;
};

Kiosk make_kiosk(const std::string& id, const std::string& prefix) {
    crypto_init();
    Kiosk k;
    k.ctx.kiosk_id = id;
    k.ctx.code_prefix = prefix;
    k.ctx.verify_base = base;
    k.ctx.national_key = x25519_generate().public_key;
    k.ctx.national_key_id = "2026-01";
    k.ctx.device = ed25519_generate();
    k.ctx.time_zone = *time_zone_from("Asia/Jakarta");
    k.keyring.add(KeyringEntry{id, prefix, k.ctx.device.public_key});
    return k;
}

PreparedReport submit_one(Store& store, const Kiosk& k, const Clock& clock) {
    Submitter sub(store, k.ctx, clock);
    ReportDraft d = lapor::test::valid_draft();
    d.incident_date = local_date(clock.now_ms() / 1000, k.ctx.time_zone);
    auto r = sub.submit(d, lapor::test::shipped_catalog());
    REQUIRE(r.ok());
    return *r.report;
}

StatusCheck checker(const Kiosk& k, Store* store) {
    return StatusCheck({k.ctx.kiosk_id, k.ctx.code_prefix, base}, store, k.keyring);
}

// A valid code (right check character) from 12 characters.
std::string code_of(const std::string& data12) {
    return format_tracking(data12 + tracking_check_char(data12));
}

// The 13 characters of a formatted code with one of them changed (a typo).
std::string with_typo(const std::string& tracking, std::size_t at) {
    std::string raw = code_characters(tracking);
    raw[at] = raw[at] == 'A' ? 'B' : 'A';
    return raw;
}

const StatusStage* current(const StatusAnswer& a) {
    for (const auto& s : a.stages)
        if (s.current) return &s;
    return nullptr;
}

// Nothing the citizen typed appears anywhere in the answer.
void check_no_citizen_text(const StatusAnswer& a) {
    const ReportDraft d = lapor::test::valid_draft();
    for (const std::string* field : {&a.tracking, &a.verify_url, &a.national_id, &a.agency,
                                     &a.agency_id, &a.status, &a.public_reply})
        for (const std::string* typed :
             {&d.title, &d.body, &d.location, &d.name, &d.phone, &d.email, &d.nik})
            CHECK(field->find(*typed) == std::string::npos);
}

}  // namespace

TEST_CASE("status check: the code pad's characters and progress as a code is typed") {
    CHECK(code_characters("jk01-7k3m") == "JK017K3M");
    CHECK(code_characters("JKO1 IL") == "JK0111");  // Crockford's aliases: O, I, L
    CHECK(code_characters("JK01?") == "");          // not a code character: refused
    CHECK(code_characters("JK017K3M9QX2WXYZ").size() == 13);

    TempDir dir;
    FakeClock clock;
    auto store = open_store(dir / "kiosk.db", clock);
    const Kiosk k = make_kiosk("JKT-PUSAT-01", "JK01");
    const StatusCheck sc = checker(k, store.get());
    const std::string good = code_of("JK017K3M9QX2");

    CodeProgress p = sc.progress("jk01-7k");
    CHECK(p.grouped == "JK01-7K");
    CHECK(p.chars == 6);
    CHECK_FALSE(p.complete);
    CHECK_FALSE(p.other_prefix);
    p = sc.progress(good);
    CHECK(p.complete);
    CHECK(p.check_ok);
    CHECK(p.grouped == good);
    p = sc.progress(with_typo(good, 6));
    CHECK(p.complete);
    CHECK_FALSE(p.check_ok);
    CHECK(sc.progress("BD02").other_prefix);
}

TEST_CASE("status check: a typed code finds this kiosk's report; wrong codes get their reason") {
    TempDir dir;
    FakeClock clock;
    auto store = open_store(dir / "kiosk.db", clock);
    const Kiosk k = make_kiosk("JKT-PUSAT-01", "JK01");
    const PreparedReport r = submit_one(*store, k, clock);
    const StatusCheck sc = checker(k, store.get());

    // As printed, in lower case without dashes, with spaces around: all the same report.
    for (const std::string& typed :
         {r.tracking, code_characters(r.tracking), std::string(" ") + r.tracking + "\n"}) {
        std::string lower = typed;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const StatusAnswer a = sc.check(lower);
        REQUIRE(a.verdict == StatusVerdict::found);
        CHECK(a.tracking == r.tracking);
        CHECK(a.state == OutboxState::queued);
        CHECK(a.agency_id == "dishub");
        CHECK(a.national_id.empty());
        CHECK_FALSE(a.checked_ms);
        CHECK(a.problem_msgid == nullptr);
        REQUIRE(a.stages.size() == 7);
        CHECK(std::string(a.stages[0].msgid) == "status.stage.saved");
        CHECK(a.stages[0].reached);
        CHECK(a.stages[0].at_unix == r.created_unix);
        CHECK_FALSE(a.stages[1].reached);  // not sent yet
        REQUIRE(current(a));
        CHECK(current(a) == &a.stages[0]);
        check_no_citizen_text(a);
    }

    const std::string raw = code_characters(r.tracking);
    CHECK(sc.check(raw.substr(0, 12)).verdict == StatusVerdict::incomplete);
    CHECK(sc.check(raw.substr(0, 12)).tracking == r.tracking.substr(0, 14));
    for (std::size_t at : {4u, 8u, 12u}) {
        const StatusAnswer a = sc.check(with_typo(r.tracking, at));
        CHECK(a.verdict == StatusVerdict::bad_check);
        CHECK(a.verify_url.empty());
    }
    CHECK(sc.check("").verdict == StatusVerdict::malformed);
    CHECK(sc.check("status?").verdict == StatusVerdict::malformed);  // U and ? are no code's
    // Letters that happen to be code characters read as a short code (says: 13 are needed).
    CHECK(sc.check("parkir liar").verdict == StatusVerdict::incomplete);

    // Another kiosk's prefix: check it at the national site (a QR to its verify link).
    const std::string other = code_of("BD027K3M9QX2");
    StatusAnswer a = sc.check(other);
    CHECK(a.verdict == StatusVerdict::other_kiosk);
    CHECK(a.verify_url == std::string(base) + "/r/" + other);
    // This kiosk's prefix, a valid code, but not in its store.
    const std::string unknown = code_of("JK01ZZZZZZZZ");
    REQUIRE(unknown != r.tracking);
    a = sc.check(unknown);
    CHECK(a.verdict == StatusVerdict::not_found);
    CHECK(a.verify_url == std::string(base) + "/r/" + unknown);
    for (auto v :
         {StatusVerdict::incomplete, StatusVerdict::bad_check, StatusVerdict::malformed,
          StatusVerdict::not_genuine, StatusVerdict::other_kiosk, StatusVerdict::not_found})
        CHECK(verdict_msgid(v) != nullptr);
}

TEST_CASE("status check: a scanned receipt link, genuine, forged, or from another kiosk") {
    TempDir dir;
    FakeClock clock;
    auto store = open_store(dir / "kiosk.db", clock);
    const Kiosk k = make_kiosk("JKT-PUSAT-01", "JK01");
    const PreparedReport r = submit_one(*store, k, clock);
    const StatusCheck sc = checker(k, store.get());

    StatusAnswer a = sc.check(r.qr_url + "\n");  // a scanner types the link and Enter
    REQUIRE(a.verdict == StatusVerdict::found);
    CHECK(a.tracking == r.tracking);

    // The signature changed: not this kiosk's receipt as printed.
    std::string forged = r.qr_url;
    const auto s = forged.find("s=");
    REQUIRE(s != std::string::npos);
    forged[s + 2] = forged[s + 2] == 'A' ? 'B' : 'A';
    CHECK(sc.check(forged).verdict == StatusVerdict::not_genuine);

    // A receipt of another kiosk (its key unknown here): its own link is where to check it.
    TempDir dir2;
    auto store2 = open_store(dir2 / "kiosk.db", clock);
    const Kiosk k2 = make_kiosk("BDG-01", "BD02");
    const PreparedReport r2 = submit_one(*store2, k2, clock);
    a = sc.check(r2.qr_url);
    CHECK(a.verdict == StatusVerdict::other_kiosk);
    CHECK(a.tracking == r2.tracking);
    CHECK(a.verify_url == r2.qr_url);
    CHECK(sc.check("https://example.com/phish").verdict == StatusVerdict::malformed);
}

TEST_CASE("status check: the stages follow the national status; the reply and freshness show") {
    TempDir dir;
    FakeClock clock;
    auto store = open_store(dir / "kiosk.db", clock);
    const Kiosk k = make_kiosk("JKT-PUSAT-01", "JK01");
    const PreparedReport r = submit_one(*store, k, clock);
    const StatusCheck sc = checker(k, store.get());
    const auto leased = store->lease_next(1, 60'000);
    REQUIRE(leased.size() == 1);
    REQUIRE(store->mark_accepted(leased[0].id, 201, "LAPOR-2026-0001234",
                                 "https://lapor.go.id/laporan/1234"));

    StatusAnswer a = sc.check(r.tracking);
    REQUIRE(a.verdict == StatusVerdict::found);
    CHECK(a.state == OutboxState::accepted);
    CHECK(a.national_id == "LAPOR-2026-0001234");
    CHECK(a.stages[1].reached);
    CHECK(current(a) == &a.stages[2]);  // accepted means received by the national system
    CHECK(a.stages[2].at_unix == clock.now_ms() / 1000);
    CHECK_FALSE(a.checked_ms);

    const std::int64_t t0 = clock.now_ms() / 1000;
    store->update_status(leased[0].id, {"received", "", t0, ""});
    clock.advance_ms(3'600'000);
    store->update_status(leased[0].id, {"dispositioned", "Dinas Perhubungan DKI", t0 + 3600, ""});
    clock.advance_ms(3'600'000);
    store->update_status(leased[0].id, {"in_progress", "Dinas Perhubungan DKI", t0 + 7200,
                                        "Petugas akan menertibkan parkir besok pagi."});
    a = sc.check(r.tracking);
    REQUIRE(a.verdict == StatusVerdict::found);
    CHECK(a.status == "in_progress");
    CHECK(a.agency == "Dinas Perhubungan DKI");
    CHECK(a.public_reply == "Petugas akan menertibkan parkir besok pagi.");
    CHECK(a.updated_unix == t0 + 7200);
    REQUIRE(a.checked_ms);
    CHECK(*a.checked_ms == clock.now_ms());
    REQUIRE(current(a));
    CHECK(std::string(current(a)->msgid) == "status.stage.in_progress");
    CHECK(a.stages[2].at_unix == t0);  // received
    CHECK_FALSE(a.stages[3].at_unix);  // verified was skipped: reached, time unknown
    CHECK(a.stages[3].reached);
    CHECK(a.stages[4].at_unix == t0 + 3600);  // dispositioned
    CHECK_FALSE(a.stages[6].reached);         // done
    check_no_citizen_text(a);

    store->update_status(leased[0].id, {"closed", "Dinas Perhubungan DKI", t0 + 9000, ""});
    a = sc.check(r.tracking);
    CHECK(std::string(current(a)->msgid) == "status.stage.closed");
    CHECK(a.public_reply.empty());  // the national system's latest entry has none

    // Spoken: the code spelled out, the stage, the agency; never the report's text.
    const Messages m = Messages::load_dir(po_dir());
    const std::string said = spoken_status(a, m, "en", a.agency);
    CHECK(said.find(spell_out(r.tracking)) != std::string::npos);
    CHECK(said.find("Current stage: Closed") != std::string::npos);
    CHECK(said.find("Dinas Perhubungan DKI") != std::string::npos);
    const std::string typo = spoken_status(sc.check(with_typo(r.tracking, 5)), m, "id", "");
    CHECK(typo.find(m.tr("id", "status.verdict.bad_check")) != std::string::npos);
}

TEST_CASE("status check: a refused or conflicting report says the staff will help") {
    TempDir dir;
    FakeClock clock;
    auto store = open_store(dir / "kiosk.db", clock);
    const Kiosk k = make_kiosk("JKT-PUSAT-01", "JK01");
    const PreparedReport r1 = submit_one(*store, k, clock);
    const PreparedReport r2 = submit_one(*store, k, clock);
    const StatusCheck sc = checker(k, store.get());
    const auto leased = store->lease_next(2, 60'000);
    REQUIRE(leased.size() == 2);
    REQUIRE(store->mark_held(leased[0].id, 422, "invalid_field"));
    REQUIRE(store->mark_conflict(leased[1].id, "same key, other body"));
    const StatusAnswer held = sc.check(leased[0].tracking);
    CHECK(held.state == OutboxState::held);
    REQUIRE(held.problem_msgid);
    CHECK(std::string(held.problem_msgid) == "status.problem.refused");
    CHECK(held.status.empty());
    const StatusAnswer conflict = sc.check(leased[1].tracking);
    REQUIRE(conflict.problem_msgid);
    CHECK(std::string(conflict.problem_msgid) == "status.problem.conflict");
    // The store's reason for staff is not the citizen's business.
    CHECK(held.public_reply.empty());
    (void)r1, (void)r2;
}
