// Fault loop (SQLite's I/O-error test, on our store): fail the Nth write or sync for N = 0, 1,
// 2, ... until a run completes without the fault firing. Every submit either commits or throws
// StoreError (which the flow shows as "could not be saved, nothing lost"); afterwards, with the
// disk healthy again, the database is intact and every submit that returned is there and whole.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "fake_clock.h"
#include "fault_vfs.h"
#include "fixtures.h"
#include "receipt.h"
#include "store.h"
#include "submit.h"

using namespace lapor;

namespace {

struct Outcome {
    int fired = 0;
    int committed = 0;
    int refused = 0;
};

Outcome run_once(int n, test::Fault kind) {
    test::TempDir dir;
    test::FakeClock clock;
    const auto national = x25519_generate();
    const auto device = ed25519_generate();
    std::vector<std::string> acked;
    Outcome o;
    test::arm_fault(n, kind);
    try {
        auto store = open_store(dir / "k.db", clock);
        Submitter sub(
            *store,
            SubmitContext{"JKT-PUSAT-01", "JK01", "https://lapor.go.id/kiosk", national.public_key,
                          "2026-01", device, *time_zone_from("Asia/Jakarta")},
            clock);
        for (int i = 0; i < 4; ++i) {
            try {
                const auto r = sub.submit(test::valid_draft(), test::shipped_catalog());
                REQUIRE(r.ok());
                acked.push_back(r.report->uuid);
                ++o.committed;
            } catch (const StoreError&) {
                ++o.refused;
            }
            try {
                for (const auto& l : store->lease_next(1, 1000))
                    store->record_attempt(l.id, 503, "busy", 0);
            } catch (const StoreError&) {
            }
        }
    } catch (const StoreError&) {
        ++o.refused;  // could not even open/create the database: nothing was acknowledged
    }
    o.fired = test::faults_fired();
    test::arm_fault(-1, kind);

    auto store = open_store(dir / "k.db", clock);
    CHECK(store->integrity_check() == "ok");
    Keyring ring;
    ring.add({"JKT-PUSAT-01", "JK01", device.public_key});
    for (const auto& u : acked) {
        const auto v = store->find_by_uuid(u);
        REQUIRE_MESSAGE(v, "fault " << n << ": acknowledged report lost");
        CHECK(
            verify_receipt_url(v->report.qr_url, ring, VerifyOptions{{"https://lapor.go.id/kiosk"}})
                .result == VerifyResult::genuine);
        const auto body = nlohmann::json::parse(v->report.upload_body);
        const auto sealed = base64_decode(body["sealed"]["payload"].get<std::string>());
        REQUIRE(sealed);
        CHECK(unseal(*sealed, national));
    }
    return o;
}

void fault_loop(test::Fault kind, const char* name) {
    test::install_fault_vfs();
    int runs = 0, fired = 0, refused = 0;
    for (int n = 0; n < 2000; ++n) {
        const auto o = run_once(n, kind);
        ++runs;
        fired += o.fired;
        refused += o.refused;
        if (o.fired == 0) break;  // the fault point is past the whole workload
    }
    MESSAGE(std::string(name) << ": " << runs << " runs, " << fired << " faults fired, " << refused
                              << " operations refused with a message, no acknowledged report lost");
    CHECK(fired > 5);
    CHECK(refused > 0);
    CHECK(runs < 2000);
}

}  // namespace

TEST_CASE("disk full on the Nth write") {
    fault_loop(test::Fault::disk_full_on_write, "disk full");
}
TEST_CASE("I/O error on the Nth write") {
    fault_loop(test::Fault::io_error_on_write, "write error");
}
TEST_CASE("I/O error on the Nth fsync") {
    fault_loop(test::Fault::io_error_on_sync, "fsync error");
}
