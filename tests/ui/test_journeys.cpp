// Citizen journeys through the real lapor-kiosk loop, headless (SDL dummy driver, software
// renderer), on an injected clock, driven only by SDL events aimed at recorded widgets.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app.h"
#include "crypto.h"
#include "driver.h"
#include "flow.h"
#include "sandbox.h"
#include "screen_qr.h"
#include "store.h"
#include "utf8.h"
#include "virtual_printer.h"

using namespace lapor;
using lapor::test::Driver;
using lapor::test::FakeClock;
using lapor::test::qr_codes_on_screen;

namespace {

std::string tracking_on_screen(Driver& d) {
    std::string id;
    REQUIRE(d.has_prefix("tracking:", &id));
    return id.substr(std::strlen("tracking:"));
}

// The citizen's sealed data of a stored report, opened with the national key.
nlohmann::json unsealed(const ui::Sandbox& sb, const ReportView& v) {
    const auto body = nlohmann::json::parse(v.report.upload_body);
    const auto sealed = base64_decode(body["sealed"]["payload"].get<std::string>());
    REQUIRE(sealed);
    const auto plain = unseal(*sealed, sb.national_key());
    REQUIRE(plain);
    return nlohmann::json::parse(*plain);
}

// Walks from attract to the text screen.
void to_text_screen(Driver& d, const char* lang, const char* agency, const char* category,
                    const char* search = nullptr) {
    CHECK(d.screen() == "attract");
    d.tap(std::string("attract:lang:") + lang);
    CHECK(d.screen() == "attract");
    d.tap("start:complaint");  // the report type's button starts at the agency screen
    CHECK(d.screen() == "agency");
    d.tap("next");  // nothing chosen yet: a message beside the list, same screen
    CHECK(d.screen() == "agency");
    if (search) {
        d.tap("field:search");
        d.type_on_screen(search);
        d.tap("key:close");
    }
    d.tap(std::string("agency:") + agency);
    d.tap(std::string("category:") + category);
    d.tap("next");
    CHECK(d.screen() == "text");
}

}  // namespace

TEST_CASE("a full complaint in Indonesian, contact typed on the on-screen keyboard, is stored") {
    FakeClock clock;
    auto vp = printer::VirtualPrinter::listen_tcp();
    ui::SandboxOptions so;
    so.printer_transport = vp->transport();
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_text_screen(d, "id", "dishub", "dishub-parkir-liar");

    const float nine_mm = 34.0f;  // at the sandbox's display.dpi = 96
    d.check_targets(nine_mm);
    d.tap("field:title");
    d.check_targets(nine_mm);
    d.type_on_screen("xxxxxxxx");
    d.hold("key:backspace", 1500);  // held: one, then repeats after 500 ms every 80 ms
    d.type_on_screen("Parkir lar");
    d.tap("key:left");  // the cursor moves back two letters and the missing one goes in
    d.tap("key:left");
    d.type_on_screen("i");
    d.tap("key:close");
    d.tap("field:body");
    d.type_on_screen("Mobil di bahu jalan.");
    d.tap("key:newline");
    d.type_on_screen("Setiap pagi macet");
    d.hold("key:backspace", 0);  // one press removes one character
    d.type_on_screen("t");
    d.tap("key:left");
    d.tap("key:right");
    d.tap("key:close");
    d.tap("next");
    CHECK(d.screen() == "date_location");
    d.check_targets(nine_mm);
    d.tap("date:day-");  // yesterday
    d.tap("field:location");
    d.type_on_screen("Jl. Pasar Baru 1");
    d.tap("key:close");
    d.tap("next");
    CHECK(d.screen() == "privacy");
    d.tap("privacy:public");
    d.tap("next");
    CHECK(d.screen() == "consent");
    d.tap("consent:yes");
    d.tap("next");
    CHECK(d.screen() == "contact");
    d.check_targets(nine_mm);
    d.tap("field:name");
    d.type_on_screen("Siti Rahayu");
    d.tap("key:close");
    d.tap("field:phone");
    d.check_targets(nine_mm);
    CHECK(d.has("key:+"));  // the phone pad
    CHECK_FALSE(d.has("key:q"));
    d.type_on_screen("081234567890");
    d.tap("key:close");
    d.tap("field:email");
    d.type_on_screen("siti@contoh.id");
    d.tap("key:close");
    d.tap("field:nik");
    d.type_on_screen("3171014507900001");
    d.tap("key:close");
    d.tap("next");
    CHECK(d.screen() == "review");
    d.check_targets(nine_mm);
    d.tap("submit");
    CHECK(d.screen() == "receipt");
    CHECK(d.has("qr"));
    const std::string tracking = tracking_on_screen(d);

    auto store = open_store(sb.dir() + "/data/kiosk.db", clock, OpenMode::existing);
    const auto v = store->find_by_tracking(tracking);
    REQUIRE(v);
    CHECK(v->state == OutboxState::queued);
    CHECK(v->report.language == Language::id);
    CHECK(v->report.classification == Classification::complaint);
    CHECK(v->report.agency_id == "dishub");
    CHECK(v->report.category_id == "dishub-parkir-liar");
    CHECK(v->report.privacy == Privacy::public_report);
    CHECK(v->report.consent);
    const auto today = local_date(clock.now_ms() / 1000, *time_zone_from("Asia/Jakarta"));
    CHECK(v->report.incident_date == add_days(today, -1));  // "day -" once: yesterday
    const auto j = unsealed(sb, *v);
    CHECK(j["title"] == "Parkir liar");
    CHECK(j["body"] == "Mobil di bahu jalan.\nSetiap pagi macet");
    CHECK(j["location"] == "Jl. Pasar Baru 1");
    CHECK(j["contact"]["name"] == "Siti Rahayu");
    CHECK(j["contact"]["phone"] == "+6281234567890");
    CHECK(j["contact"]["email"] == "siti@contoh.id");
    CHECK(j["contact"]["nik"] == "3171014507900001");

    // The QR on screen is the stored receipt's URL (a citizen can photograph it).
    const auto codes = qr_codes_on_screen(app);
    REQUIRE(codes.size() == 1);
    CHECK(codes.front() == v->report.qr_url);

    // The receipt reached the printer: the tracking code in the bytes, one receipt cut.
    CHECK(d.wait_for("print:printed", 15000));
    CHECK(vp->received().find(tracking) != std::string::npos);
    CHECK(vp->printed() == 1);
    d.tap("done");
    CHECK(d.screen() == "attract");

    // Monitoring counted one session, completed, and the screen is back to attract; the UI
    // recorded its start (kiosk/session_metrics.h). Counts only.
    const auto m = store->metrics();
    CHECK(m.at("citizen_sessions_started") == 1);
    CHECK(m.at("citizen_sessions_completed") == 1);
    CHECK(m.count("citizen_sessions_abandoned") == 0);
    CHECK(m.count("ui_first_frame_ms") == 1);
    CHECK(store->health().at(HealthKey::screen).value == "attract");
}

TEST_CASE("session counters: Batal and the idle timeout count as abandoned, the status check not") {
    FakeClock clock;
    ui::SandboxOptions so;
    so.idle_timeout_s = 30;
    so.countdown_s = 10;
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    auto store = open_store(sb.dir() + "/data/kiosk.db", clock, OpenMode::existing);
    auto count = [&](const char* name) {
        const auto m = store->metrics();
        return m.count(name) ? m.at(name) : 0;
    };
    d.tap("start:aspiration");
    CHECK(store->health().at(HealthKey::screen).value == "in_use");
    d.tap("cancel");
    d.tap("cancel:erase");
    REQUIRE(d.screen() == "attract");
    CHECK(store->health().at(HealthKey::screen).value == "attract");
    d.tap("start:complaint");
    d.advance(31'000);
    d.advance(10'500);
    REQUIRE(d.screen() == "attract");
    d.tap("status:open");
    d.tap("back");
    CHECK(count("citizen_sessions_started") == 2);
    CHECK(count("citizen_sessions_abandoned") == 2);
    CHECK(count("citizen_sessions_completed") == 0);
}

TEST_CASE("English, anonymous, consent declined: no contact screen, nothing personal kept") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_text_screen(d, "en", "pdam", "pdam-pipa-bocor", "pdam");
    d.click("field:title");  // the mouse works too
    d.type_on_screen("No water");
    d.tap("key:close");
    d.tap("field:body");
    d.type_physical("Three days without water.");  // a physical keyboard
    d.key(SDLK_RETURN);
    d.type_physical("Please help.");
    d.tap("key:close");
    d.tap("lang:id");  // switch language mid-way; the form stays
    CHECK(d.screen() == "text");
    d.tap("lang:en");
    d.tap("next");
    d.tap("field:location");
    d.type_on_screen("Kemayoran");
    d.tap("key:close");
    d.tap("next");
    d.tap("privacy:anonymous");
    d.tap("next");
    d.tap("consent:no");
    d.tap("next");
    CHECK(d.screen() == "review");
    CHECK_FALSE(d.has("edit:contact"));
    d.tap("back");
    CHECK(d.screen() == "consent");
    d.tap("next");
    d.tap("submit");
    CHECK(d.screen() == "receipt");
    const std::string tracking = tracking_on_screen(d);
    auto store = open_store(sb.dir() + "/data/kiosk.db", clock, OpenMode::existing);
    const auto v = store->find_by_tracking(tracking);
    REQUIRE(v);
    CHECK(v->report.language == Language::en);
    CHECK(v->report.privacy == Privacy::anonymous);
    CHECK_FALSE(v->report.consent);
    const auto j = unsealed(sb, *v);
    CHECK(j["title"] == "No water");
    CHECK(j["body"] == "Three days without water.\nPlease help.");
    CHECK_FALSE(j.contains("contact"));
    // The receipt screen ends by itself after receipt_screen_s.
    d.advance(61'000);
    CHECK(d.screen() == "attract");
}

namespace {

// The canary XOR 0x5A, read from the literal in read-only data one byte at a time: a
// std::string("…") temporary would put the plain text in this test's own stack frame (under
// ASan every temporary keeps its own slot, so it would still be there after the wipe).
std::string encode_canary(const char* plain) {
    std::string encoded;
    for (const char* p = plain; *p != '\0'; ++p) encoded += static_cast<char>(*p ^ 0x5A);
    return encoded;
}

// Searches the process's writable memory for `encoded` XOR 0x5A (so the pattern itself is never
// in memory in the clear). Reads through /proc/self/mem into a private mapping it skips.
int count_in_writable_memory(const std::string& encoded) {
    constexpr std::size_t chunk = 1 << 20;
    auto* buf = static_cast<unsigned char*>(
        mmap(nullptr, chunk + 64, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    REQUIRE(buf != MAP_FAILED);
    const auto buf_lo = reinterpret_cast<std::uintptr_t>(buf);
    const int mem = ::open("/proc/self/mem", O_RDONLY);
    REQUIRE(mem >= 0);
    std::ifstream maps("/proc/self/maps");
    std::string line;
    int hits = 0;
    const std::size_t n = encoded.size();
    while (std::getline(maps, line)) {
        std::istringstream ls(line);
        std::string range, perms;
        ls >> range >> perms;
        if (perms.size() < 2 || perms[0] != 'r' || perms[1] != 'w') continue;
        if (line.find("[vvar]") != std::string::npos ||
            line.find("[vsyscall]") != std::string::npos)
            continue;
        const auto dash = range.find('-');
        const std::uintptr_t lo = std::stoull(range.substr(0, dash), nullptr, 16);
        const std::uintptr_t hi = std::stoull(range.substr(dash + 1), nullptr, 16);
        if (lo == buf_lo) continue;
        // Sanitizer shadow memory: terabytes reserved, never a copy of program data.
        if (hi - lo > (std::uintptr_t{1} << 34)) continue;
        for (std::uintptr_t at = lo; at < hi; at += chunk) {
            const std::size_t want = std::min<std::size_t>(chunk + n, hi - at);
            const ssize_t got = pread(mem, buf, want, static_cast<off_t>(at));
            if (got <= 0) break;
            const auto len = static_cast<std::size_t>(got);
            for (std::size_t i = 0; i + n <= len && i < chunk; ++i) {
                std::size_t j = 0;
                while (j < n && static_cast<unsigned char>(buf[i + j] ^ 0x5A) ==
                                    static_cast<unsigned char>(encoded[j]))
                    ++j;
                if (j == n) ++hits;
            }
        }
    }
    ::close(mem);
    std::memset(buf, 0, chunk + 64);
    munmap(buf, chunk + 64);
    return hits;
}

}  // namespace

TEST_CASE("idle timeout: countdown, then the form is wiped from the process's memory") {
    FakeClock clock;
    ui::SandboxOptions so;
    so.idle_timeout_s = 30;
    so.countdown_s = 10;
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_text_screen(d, "id", "dinkes", "dinkes-pelayanan-puskesmas");

    // The canary, kept only XOR 0x5A here: "zqxjvkbpwmzqxjvkbp" (18 letters).
    const std::string encoded = encode_canary("zqxjvkbpwmzqxjvkbp");
    // Scrub the literal's copy: only the encoded form and per-key ids stay in memory.
    d.tap("field:body");
    for (char e : encoded) d.type_on_screen(std::string(1, static_cast<char>(e ^ 0x5A)));
    d.tap("key:close");
    CHECK(count_in_writable_memory(encoded) >= 1);  // the scan finds it while it is in use

    d.advance(29'000);
    CHECK_FALSE(app.countdown_showing());
    d.advance(1'500);
    CHECK(app.countdown_showing());
    CHECK(d.has("still_here"));
    d.tap("still_here");  // answering keeps the form
    CHECK_FALSE(app.countdown_showing());
    CHECK(d.screen() == "text");

    d.advance(31'000);
    CHECK(app.countdown_showing());
    d.advance(10'500);
    CHECK(d.screen() == "attract");
    CHECK(count_in_writable_memory(encoded) == 0);
}

TEST_CASE("the screen state for fleet updates: attract, in use during a session, attract again") {
    FakeClock clock;
    ui::SandboxOptions so;
    so.idle_timeout_s = 30;
    so.countdown_s = 10;
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    auto screen = [&] {
        auto store = open_store(sb.dir() + "/data/kiosk.db", clock, OpenMode::existing);
        const auto h = store->health();
        const auto it = h.find(HealthKey::screen);
        REQUIRE(it != h.end());
        return it->second;
    };
    CHECK(d.screen() == "attract");
    const auto first = screen();
    CHECK(first.value == "attract");
    to_text_screen(d, "id", "dinkes", "dinkes-pelayanan-puskesmas");
    CHECK(screen().value == "in_use");
    d.advance(31'000);  // idle: the countdown, then the wipe back to the attract screen
    CHECK(app.countdown_showing());
    CHECK(screen().value == "in_use");
    d.advance(10'500);
    CHECK(d.screen() == "attract");
    const auto back = screen();
    CHECK(back.value == "attract");
    CHECK(back.updated_ms > first.updated_ms);  // the 2 minutes count from here
}

TEST_CASE("idle wipe: a short name (15 bytes or less, kept inside std::string) leaves no copy") {
    // Short strings live in std::string's own buffer, so copies sit on the stack where the
    // zeroing delete never looks; the wipe scrubs the dead stack too.
    FakeClock clock;
    ui::SandboxOptions so;
    so.idle_timeout_s = 30;
    so.countdown_s = 10;
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_text_screen(d, "id", "dinkes", "dinkes-pelayanan-puskesmas");
    d.tap("field:title");
    d.type_physical("Antrian lama");
    d.tap("key:close");
    d.tap("field:body");
    d.type_physical("Antrian puskesmas lama sekali.");
    d.tap("key:close");
    d.tap("next");
    d.tap("field:location");
    d.type_physical("Puskesmas Gambir");
    d.tap("key:close");
    d.tap("next");
    d.tap("privacy:public");
    d.tap("next");
    d.tap("consent:yes");
    d.tap("next");
    REQUIRE(d.screen() == "contact");

    // The canary, kept only XOR 0x5A here: "wqzjxvkpbq" (10 letters).
    const std::string encoded = encode_canary("wqzjxvkpbq");
    d.tap("field:name");
    for (char e : encoded) d.type_on_screen(std::string(1, static_cast<char>(e ^ 0x5A)));
    d.tap("key:close");
    CHECK(count_in_writable_memory(encoded) >= 1);  // the scan finds it while it is in use

    d.advance(31'000);
    CHECK(app.countdown_showing());
    d.advance(10'500);
    CHECK(d.screen() == "attract");
    CHECK(count_in_writable_memory(encoded) == 0);
}

TEST_CASE("a bad config shows the out-of-service screen and does not exit") {
    FakeClock clock;
    ui::SandboxOptions so;
    so.extra_toml = "\n[nonsense]\nkey = 1\n";
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    CHECK(d.screen() == "out_of_service");
    CHECK(d.has("out_of_service"));
    CHECK(app.out_of_service_error().find("nonsense") != std::string::npos);
    // Touches and keys do nothing; the loop keeps running until asked to stop.
    d.finger(SDL_FINGERDOWN, 100, 100);
    d.finger(SDL_FINGERUP, 100, 100);
    d.key(SDLK_F4, KMOD_ALT);
    CHECK(app.turn(0));
    CHECK(d.screen() == "out_of_service");
}

TEST_CASE("lockdown: no key combination leaves the kiosk; in fullscreen SDL_QUIT is ignored") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::AppOptions o = lapor::test::sandbox_options(sb, clock);
    o.windowed = false;  // fullscreen rules (the dummy driver draws it at the default size)
    ui::App app(o);
    Driver d(app, clock);
    d.key(SDLK_F4, KMOD_ALT);
    d.key(SDLK_ESCAPE);
    d.key(SDLK_q, KMOD_CTRL);
    d.key(SDLK_c, KMOD_CTRL);
    SDL_Event quit{};
    quit.type = SDL_QUIT;
    SDL_PushEvent(&quit);
    CHECK(app.turn(0));
    CHECK(d.screen() == "attract");
}

TEST_CASE("printer out of paper: the report is saved, the QR stays on screen, attract warns") {
    FakeClock clock;
    printer::VirtualPrinterOptions vo;
    vo.mode = printer::VirtualMode::paper_out;
    auto vp = printer::VirtualPrinter::listen_tcp(vo);
    ui::SandboxOptions so;
    so.printer_transport = vp->transport();
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    CHECK(d.wait_for("printer_warning", 15000));  // before a citizen starts
    to_text_screen(d, "id", "dishub", "dishub-parkir-liar");
    d.tap("field:title");
    d.type_physical("Lampu mati");
    d.tap("key:close");
    d.tap("field:body");
    d.type_physical("Lampu lalu lintas mati.");
    d.tap("key:close");
    d.tap("next");
    d.tap("field:location");
    d.type_physical("Simpang Senen");
    d.tap("key:close");
    d.tap("next");
    d.tap("privacy:confidential");
    d.tap("next");
    d.tap("consent:no");
    d.tap("next");
    d.tap("submit");
    REQUIRE(d.screen() == "receipt");
    const std::string tracking = tracking_on_screen(d);
    CHECK(d.wait_for("print:failed", 15000));
    CHECK(d.has("qr"));
    const auto codes = qr_codes_on_screen(app);  // still readable for the citizen's phone
    REQUIRE(codes.size() == 1);
    CHECK(codes.front().find(tracking) != std::string::npos);
    CHECK(vp->printed() == 0);
    auto store = open_store(sb.dir() + "/data/kiosk.db", clock, OpenMode::existing);
    CHECK(store->find_by_tracking(tracking));
    d.tap("done");
    CHECK(d.screen() == "attract");
    CHECK(d.wait_for("printer_warning", 15000));
}

TEST_CASE("a write-only file: printer: no attract warning, the receipt says unconfirmed") {
    // The sandbox prints to file:, whose state is always unknown. Unknown is not a problem, so
    // the paper-out test's printer_warning really means the printer reported paper out.
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    CHECK(d.screen() == "attract");
    d.advance(3000);
    CHECK_FALSE(d.wait_for("printer_warning", 1500));
    to_text_screen(d, "id", "dishub", "dishub-parkir-liar");
    d.tap("field:title");
    d.type_physical("Lampu mati");
    d.tap("key:close");
    d.tap("field:body");
    d.type_physical("Lampu lalu lintas mati.");
    d.tap("key:close");
    d.tap("next");
    d.tap("field:location");
    d.type_physical("Simpang Senen");
    d.tap("key:close");
    d.tap("next");
    d.tap("privacy:confidential");
    d.tap("next");
    d.tap("consent:no");
    d.tap("next");
    d.tap("submit");
    REQUIRE(d.screen() == "receipt");
    // A file cannot confirm that paper came out: not "printed", not "failed".
    CHECK(d.wait_for("print:unconfirmed", 15000));
    CHECK_FALSE(d.has("print:printed"));
    CHECK_FALSE(d.has("print:failed"));
    d.tap("done");
    CHECK(d.screen() == "attract");
    CHECK_FALSE(d.has("printer_warning"));
}

TEST_CASE("a catalog installed while the kiosk runs is used from the next citizen on") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    CHECK(d.screen() == "attract");
    {
        auto store = open_store(sb.dir() + "/data/kiosk.db", clock);
        store->install_catalog("2026.12-test", "\"t1\"",
                               R"({"format": 1, "version": "2026.12-test", "agencies": [
                 {"id": "bpbd", "name": {"id": "Badan Penanggulangan Bencana", "en": "Disaster Agency"},
                  "categories": [{"id": "bpbd-banjir", "name": {"id": "Banjir", "en": "Flood"}}]}]})");
    }
    d.tap("start:complaint");
    CHECK(d.has("agency:bpbd"));
    CHECK_FALSE(d.has("agency:dishub"));
    d.tap("agency:bpbd");
    CHECK(d.has("category:bpbd-banjir"));
}

TEST_CASE("the agency list scrolls with a finger drag") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    d.tap("start:aspiration");
    const ui::Rect first = d.rect("agency:dinkes");
    const ui::Rect last = d.rect("agency:lainnya");
    CHECK(last.y > 800);  // below the list, hidden
    d.drag(first.cx(), first.cy() + 200, 0, -400);
    d.drag(first.cx(), first.cy() + 200, 0, -400);
    d.drag(first.cx(), first.cy() + 200, 0, -400);
    CHECK(d.rect("agency:lainnya").y < last.y);
    d.tap("agency:lainnya");
    CHECK(d.has("category:lainnya-pungli-korupsi"));
}

TEST_CASE("without its fonts the kiosk shows out of service instead of exiting") {
    FakeClock clock;
    ui::Sandbox sb;
    struct NoFonts {
        explicit NoFonts(const std::string& dir) { setenv("LAPOR_KIOSK_FONTS", dir.c_str(), 1); }
        ~NoFonts() { unsetenv("LAPOR_KIOSK_FONTS"); }
        NoFonts(const NoFonts&) = delete;
        NoFonts& operator=(const NoFonts&) = delete;
    } no_fonts(sb.dir() + "/no-fonts-here");
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    CHECK(d.screen() == "out_of_service");
    CHECK(app.out_of_service_error().find("fonts-noto-core") != std::string::npos);
    CHECK(app.turn(0));
}

TEST_CASE("idle wipe also clears text typed on a physical keyboard") {
    FakeClock clock;
    ui::SandboxOptions so;
    so.idle_timeout_s = 30;
    so.countdown_s = 10;
    ui::Sandbox sb(so);
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_text_screen(d, "id", "dinkes", "dinkes-pelayanan-puskesmas");
    const std::string encoded = encode_canary("qzvjxkwpbqzvjxkwpb");
    d.tap("field:body");
    {
        // In one text event, as a scanner or an input method delivers it.
        std::string plain;
        for (char e : encoded) plain += static_cast<char>(e ^ 0x5A);
        d.type_physical(plain);
        explicit_bzero(plain.data(), plain.size());
    }
    d.tap("key:close");
    CHECK(count_in_writable_memory(encoded) >= 1);
    d.advance(30'500);
    d.advance(10'500);
    CHECK(d.screen() == "attract");
    CHECK(count_in_writable_memory(encoded) == 0);
}

TEST_CASE("title and body counters count code points; a huge paste is capped above the limit") {
    FakeClock clock;
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_text_screen(d, "id", "dishub", "dishub-parkir-liar");
    CHECK(d.has("count:title (0/150)"));
    CHECK(d.has("count:body (0/4000)"));
    d.tap("field:title");
    d.type_physical("Caf\xC3\xA9 \xE2\x98\x95 ok \xF0\x9F\x98\x80");  // "Café ☕ ok 😀": 11 points
    d.tap("key:close");
    CHECK(d.has("count:title (11/150)"));  // 17 bytes
    CHECK(utf8::count(app.flow()->draft().title) == 11u);

    // 5,000 two-byte letters arrive (a paste or a stuck scanner): the field keeps 20 above the
    // limit, so the validation message still explains it, and no more.
    d.tap("field:body");
    std::string paste;
    for (int i = 0; i < 5000; ++i) paste += "\xC3\xA9";
    d.type_physical_long(paste);
    d.tap("key:close");
    CHECK(utf8::count(app.flow()->draft().body) == 4020u);
    CHECK(d.has("count:body (4020/4000)"));
    d.tap("next");
    CHECK(d.screen() == "text");
    bool body_problem = false;
    for (const auto& pr : app.flow()->problems()) body_problem |= pr.field == Field::body;
    CHECK(body_problem);
}

TEST_CASE("date steppers on the 1st of a month: day - is the last day of the month before") {
    FakeClock clock(1'772'334'000'000);  // 2026-03-01 10:00 WIB
    ui::Sandbox sb;
    ui::App app(lapor::test::sandbox_options(sb, clock));
    Driver d(app, clock);
    to_text_screen(d, "id", "dishub", "dishub-parkir-liar");
    d.tap("field:title");
    d.type_physical("Lampu mati");
    d.tap("key:close");
    d.tap("field:body");
    d.type_physical("Lampu lalu lintas mati.");
    d.tap("key:close");
    d.tap("next");
    REQUIRE(d.screen() == "date_location");
    REQUIRE(app.flow()->today() == Date{2026, 3, 1});
    auto date = [&] { return app.flow()->draft().incident_date; };
    d.tap("date:day+");  // never past today
    CHECK(date() == Date{2026, 3, 1});
    d.tap("date:year+");
    CHECK(date() == Date{2026, 3, 1});
    d.tap("date:month+");
    CHECK(date() == Date{2026, 3, 1});
    d.tap("date:day-");  // not March 31st (a future date): February 28th
    CHECK(date() == Date{2026, 2, 28});
    d.tap("date:day+");
    CHECK(date() == Date{2026, 3, 1});
    d.tap("date:month-");
    CHECK(date() == Date{2026, 2, 1});
    d.tap("date:month-");
    d.tap("date:month-");
    CHECK(date() == Date{2025, 12, 1});  // across the year
    d.tap("date:day-");
    CHECK(date() == Date{2025, 11, 30});
    d.tap("date:year-");
    d.tap("date:year+");
    d.tap("date:year+");  // 2026-11-30 would be in the future: today
    CHECK(date() == Date{2026, 3, 1});
    d.tap("date:day-");
    d.tap("date:year-");
    CHECK(date() == Date{2025, 2, 28});
    d.tap("field:location");
    d.type_physical("Simpang Senen");
    d.tap("key:close");
    d.tap("next");
    CHECK(d.screen() == "privacy");
}
