// Staff mode through the real loop: the 5-second corner hold, the PIN pad and its lockout, and
// verifying a genuine and a forged receipt with the scanner (typed input + Enter).
#include <cstring>

#include "app.h"
#include "driver.h"
#include "identity.h"
#include "receipt.h"
#include "sandbox.h"
#include "store.h"
#include "tracking.h"

using namespace lapor;
using lapor::test::Driver;
using lapor::test::FakeClock;

namespace {

ui::AppOptions staff_options(const ui::Sandbox& sb, const Clock& clock) {
    ui::AppOptions o;
    o.config_path = sb.config_path();
    o.windowed = true;
    o.clock = &clock;
    o.systemd = false;
    o.quiet = true;
    return o;
}

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
    ui::App app(staff_options(sb, clock));
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

    // Staff mode times out back to attract.
    d.advance(121'000);
    CHECK(d.screen() == "attract");
}

TEST_CASE("staff verify: a genuine receipt from this kiosk and a forged one") {
    FakeClock clock;
    ui::Sandbox sb;
    // A report stored by this kiosk, as the submit path would have stored it.
    std::string genuine_url, forged_url;
    {
        auto store = open_store(sb.dir() + "/data/kiosk.db", clock);
        const KeyPair device = load_device_key(sb.dir() + "/data/identity/device.key");
        ReceiptFields f{new_tracking_code("JK01"), "JKT-PUSAT-01", clock.now_ms() / 1000,
                        Classification::complaint};
        genuine_url =
            receipt_url("https://lapor.go.id/kiosk", f, sign_receipt(f, device.secret_key));
        const KeyPair other = ed25519_generate();
        forged_url = receipt_url("https://lapor.go.id/kiosk", f, sign_receipt(f, other.secret_key));
    }
    ui::App app(staff_options(sb, clock));
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
    d.tap("staff:diagnostics");
    CHECK(d.screen() == "staff_diagnostics");
    d.tap("staff:exit");
    CHECK(d.screen() == "attract");

    auto store = open_store(sb.dir() + "/data/kiosk.db", clock, OpenMode::existing);
    int verifies = 0;
    for (const auto& a : store->recent_audit(50)) verifies += a.action == "verify";
    CHECK(verifies == 2);
}
