// The print service against the virtual printer (TCP and pty), and the write-only transports:
// every scripted printer condition gives the right job result, nothing waits past its timeout,
// and after a mid-job disconnect the next job prints cleanly.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "config.h"
#include "escpos.h"
#include "escpos_checker.h"
#include "fake_clock.h"
#include "fixtures.h"
#include "print_service.h"
#include "printer_fixture.h"
#include "qr_decode.h"
#include "session.h"
#include "status.h"
#include "store.h"
#include "transport.h"
#include "virtual_printer.h"

using namespace lapor;
using namespace lapor::printer;
using namespace lapor::printer::test;
using Ms = std::chrono::milliseconds;

namespace {

constexpr int status_timeout = 200;
constexpr int confirm_extra = 300;

Config config_for(const std::string& transport, const std::string& data_dir,
                  const std::string& profile_name = "generic-80mm") {
    Config c;
    c.kiosk.id = "JKT-PUSAT-01";
    c.kiosk.code_prefix = "JK01";
    c.kiosk.office = "Kantor Walikota Jakarta Pusat";
    c.kiosk.data_dir = data_dir;
    c.printer.profile = profile_name;
    c.printer.transport = transport;
    c.printer.status_timeout_ms = status_timeout;
    return c;
}

PrintServiceOptions fast() {
    PrintServiceOptions o;
    o.confirm_extra_ms = confirm_extra;
    o.connect_timeout_ms = 500;
    o.busy_retry_ms = 200;
    return o;
}

VirtualPrinter::Options mode(VirtualMode m) {
    VirtualPrinter::Options o;
    o.mode = m;
    return o;
}

struct Timed {
    JobOutcome outcome;
    long long ms = 0;
};

// Polls like the UI does once a frame; fails the test if the job takes longer than `limit_ms`.
Timed wait_for(PrintService& s, JobId id, int limit_ms = 5000) {
    const auto t0 = std::chrono::steady_clock::now();
    for (;;) {
        if (auto o = s.poll(id)) {
            return {*o,
                    std::chrono::duration_cast<Ms>(std::chrono::steady_clock::now() - t0).count()};
        }
        const auto ms =
            std::chrono::duration_cast<Ms>(std::chrono::steady_clock::now() - t0).count();
        REQUIRE_MESSAGE(ms < limit_ms, "the job did not finish within " << limit_ms << " ms");
        std::this_thread::sleep_for(Ms(5));
    }
}

Timed print_one(PrintService& s, bool copy = false) {
    const auto t0 = std::chrono::steady_clock::now();
    const JobId id = s.submit_receipt(golden_job(Language::id, copy));
    const auto submit_ms =
        std::chrono::duration_cast<Ms>(std::chrono::steady_clock::now() - t0).count();
    // Never waits for the printer: a submit that waited on any printer step would take at
    // least status_timeout; the margin below it absorbs a loaded machine (ASan, 2 shared cores).
    CHECK(submit_ms < status_timeout / 2);
    return wait_for(s, id);
}

// Waits (at most limit_ms) until the service reports `want`.
bool wait_state(PrintService& s, PrinterState want, int limit_ms = 3000) {
    const auto end = std::chrono::steady_clock::now() + Ms(limit_ms);
    while (s.state() != want) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(Ms(5));
    }
    return true;
}

// The QR of the last raster in a stream, decoded.
std::string last_qr(const CheckedStream& c) {
    if (c.rasters.empty()) return "";
    const auto texts = decode_qr(c.rasters.back());
    return texts.empty() ? "" : texts.front();
}

}  // namespace

TEST_CASE("virtual printer ok: printed and confirmed, the bytes are a clean receipt") {
    lapor::test::TempDir tmp;
    lapor::test::FakeClock clock;
    auto vp = VirtualPrinter::listen_tcp();
    auto s = start_print_service(config_for(vp->transport(), tmp.path()), clock, fast());
    const Timed t = print_one(*s);
    CHECK(t.outcome.result == JobResult::printed);
    CHECK(t.outcome.state == PrinterState::ok);
    CHECK(s->state() == PrinterState::ok);
    REQUIRE(vp->wait_closed(1, 2000));
    CHECK(vp->printed() == 1);
    const auto jobs = vp->jobs();
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0].rfind(status_query(), 0) == 0);  // status asked before anything else
    const auto c = check_escpos(jobs[0], {72, 255});
    REQUIRE_MESSAGE(c.ok(), c.first_error());
    CHECK(c.inits == 1);
    CHECK(c.cuts == 1);
    CHECK(last_qr(c) == golden_url);
    CHECK(c.commands.back() == "DLE EOT 4");  // status asked again after the confirmation
}

TEST_CASE("virtual printer: paper out, cover open, offline refuse the job; near end prints") {
    lapor::test::TempDir tmp;
    lapor::test::FakeClock clock;
    auto vp = VirtualPrinter::listen_tcp();
    auto s = start_print_service(config_for(vp->transport(), tmp.path()), clock, fast());
    struct Case {
        VirtualMode mode;
        JobResult result;
        PrinterState state;
    };
    const Case cases[] = {
        {VirtualMode::paper_out, JobResult::paper_out, PrinterState::paper_out},
        {VirtualMode::cover_open, JobResult::cover_open, PrinterState::cover_open},
        {VirtualMode::offline, JobResult::offline, PrinterState::offline},
        {VirtualMode::paper_near_end, JobResult::printed, PrinterState::paper_near_end},
        {VirtualMode::ok, JobResult::printed, PrinterState::ok},
    };
    int closed = 0;
    for (const auto& k : cases) {
        INFO("mode " << to_string(k.mode));
        vp->set_mode(k.mode);
        const int printed_before = vp->printed();
        const Timed t = print_one(*s);
        CHECK(t.outcome.result == k.result);
        CHECK(t.outcome.state == k.state);
        CHECK_FALSE(t.outcome.detail.empty());
        CHECK(t.ms < status_timeout + 1000);
        REQUIRE(vp->wait_closed(++closed, 2000));
        const std::string job = vp->jobs().back();
        if (k.result == JobResult::printed) {
            CHECK(vp->printed() == printed_before + 1);
            CHECK(check_escpos(job).ok());
        } else {
            CHECK(job == status_query());  // asked, then sent nothing
            CHECK(vp->printed() == printed_before);
        }
    }
}

TEST_CASE("virtual printer silent: unconfirmed, never ok, within the timeouts") {
    lapor::test::TempDir tmp;
    lapor::test::FakeClock clock;
    auto vp = VirtualPrinter::listen_tcp(mode(VirtualMode::silent));
    auto s = start_print_service(config_for(vp->transport(), tmp.path()), clock, fast());
    const Timed t = print_one(*s);
    CHECK(t.outcome.result == JobResult::printed_unconfirmed);
    CHECK(t.outcome.state == PrinterState::unknown);
    CHECK(t.outcome.detail.find("no status reply") != std::string::npos);
    // Status before (200) + confirmation (200 + 300) + status after (200), plus slack.
    CHECK(t.ms >= 2 * status_timeout + confirm_extra);
    CHECK(t.ms < 3 * status_timeout + confirm_extra + 600);
    // The state follows the printer: ok once it answers, unknown again once it falls silent.
    vp->set_mode(VirtualMode::ok);
    s->request_status();
    CHECK(wait_state(*s, PrinterState::ok));
    vp->set_mode(VirtualMode::silent);
    s->request_status();
    CHECK(wait_state(*s, PrinterState::unknown));
}

TEST_CASE("the recovery flag is raised before the job's bytes go out, cleared after") {
    lapor::test::TempDir tmp;
    lapor::test::FakeClock clock;
    const std::string flag = tmp / "printer.recover";
    // Silent: the job waits out each status timeout, long enough to look at it mid-job.
    auto vp = VirtualPrinter::listen_tcp(mode(VirtualMode::silent));
    auto s = start_print_service(config_for(vp->transport(), tmp.path()), clock, fast());
    const JobId id = s->submit_receipt(golden_job());
    bool seen = false;
    for (int i = 0; i < 200 && !seen && !s->poll(id); ++i) {
        seen = ::access(flag.c_str(), F_OK) == 0;
        if (!seen) std::this_thread::sleep_for(Ms(2));
    }
    // A crash or kill at this point leaves the flag for the next process to recover from.
    CHECK_MESSAGE(seen, "no recovery flag while the job was being sent");
    const Timed t = wait_for(*s, id);
    CHECK(t.outcome.result == JobResult::printed_unconfirmed);
    CHECK(::access(flag.c_str(), F_OK) != 0);  // every byte went through: cleared
}

TEST_CASE("mid-job disconnect: offline, then the next job recovers and prints cleanly") {
    lapor::test::TempDir tmp;
    lapor::test::FakeClock clock;
    VirtualPrinter::Options o;
    o.mode = VirtualMode::disconnect;
    o.disconnect_after = 3000;  // inside the QR raster of the 80 mm receipt
    auto vp = VirtualPrinter::listen_tcp(o);
    auto s = start_print_service(config_for(vp->transport(), tmp.path()), clock, fast());
    const Timed broken = print_one(*s);
    CHECK(broken.outcome.result == JobResult::offline);
    CHECK(broken.outcome.detail.find("reprint") != std::string::npos);
    CHECK(broken.ms < status_timeout + confirm_extra + 1500);
    REQUIRE(vp->wait_closed(1, 2000));
    const std::string partial = vp->jobs()[0];
    CHECK(partial.size() < 27000);
    CHECK(vp->printed() == 0);

    // The flag outlives the service: another process (kioskctl print-test) would recover too.
    CHECK(::access((tmp / "printer.recover").c_str(), F_OK) == 0);
    s.reset();
    s = start_print_service(config_for(vp->transport(), tmp.path()), clock, fast());

    vp->set_mode(VirtualMode::ok);
    const Timed next = print_one(*s);
    CHECK(next.outcome.result == JobResult::printed);
    REQUIRE(vp->wait_closed(2, 2000));
    CHECK(vp->printed() == 1);
    // What the printer saw, end to end, is a valid stream whose last QR is the receipt's.
    const std::string all = vp->received();
    const auto c = check_escpos(all, {72, 255});
    REQUIRE_MESSAGE(c.ok(), c.first_error());
    CHECK(c.nuls > 0);
    CHECK(last_qr(c) == golden_url);
    CHECK(::access((tmp / "printer.recover").c_str(), F_OK) != 0);  // cleared after the flush
    // Control: without the recovery flush, the same bytes garble the second job.
    const std::string second = vp->jobs()[1];
    std::string no_flush = second;
    no_flush.erase(no_flush.find('\0'), no_flush.find("\x1B@") - no_flush.find('\0'));
    const auto bad = check_escpos(partial + no_flush, {72, 255});
    CHECK((!bad.ok() || last_qr(bad) != golden_url));
}

TEST_CASE("virtual printer recording: numbered after older jobs, a bad profile fails at start") {
    lapor::test::TempDir tmp;
    const std::string rec = tmp / "rec";
    ::mkdir(rec.c_str(), 0755);
    std::ofstream(rec + "/job-0007.bin") << "older";
    std::ofstream(rec + "/job-0003.png") << "older";
    std::ofstream(rec + "/notes.txt") << "not a job";
    VirtualPrinter::Options o;
    o.record_dir = rec;
    o.profile = "generic-80mm";
    {
        auto vp = VirtualPrinter::listen_tcp(o);
        lapor::test::FakeClock clock;
        auto s = start_print_service(config_for(vp->transport(), tmp.path()), clock, fast());
        CHECK(print_one(*s).outcome.result == JobResult::printed);
        REQUIRE(vp->wait_closed(1, 2000));
    }
    std::ifstream older(rec + "/job-0007.bin");
    CHECK(std::string(std::istreambuf_iterator<char>(older), {}) == "older");
    CHECK(::access((rec + "/job-0008.bin").c_str(), F_OK) == 0);
    CHECK(zbarimg(rec + "/job-0008.png") == std::vector<std::string>{golden_url});
    CHECK(::access((rec + "/job-0001.bin").c_str(), F_OK) != 0);

    o.profile = "nope";
    CHECK_THROWS_WITH_AS(VirtualPrinter::listen_tcp(o), doctest::Contains("generic-58mm"),
                         ProfileError);
    o.profile = "generic-80mm";
    CHECK_THROWS_AS(VirtualPrinter::open_pty(o), std::invalid_argument);
}

TEST_CASE("stopping the service mid-job is bounded by the job's timeouts") {
    lapor::test::TempDir tmp;
    lapor::test::FakeClock clock;
    auto vp = VirtualPrinter::listen_tcp(mode(VirtualMode::silent));
    const auto t0 = std::chrono::steady_clock::now();
    {
        auto s = start_print_service(config_for(vp->transport(), tmp.path()), clock, fast());
        s->submit_receipt(golden_job());
        s->submit_receipt(golden_job());  // queued: dropped when the service goes
        std::this_thread::sleep_for(Ms(50));
    }
    const auto ms = std::chrono::duration_cast<Ms>(std::chrono::steady_clock::now() - t0).count();
    CHECK(ms < 3 * status_timeout + confirm_extra + 600);
    CHECK(vp->wait_closed(1, 1000));
    CHECK(vp->connections() == 1);
}

TEST_CASE("nobody listening: offline at once; a closed device: offline with what to check") {
    lapor::test::TempDir tmp;
    lapor::test::FakeClock clock;
    int port;
    {
        auto vp = VirtualPrinter::listen_tcp();
        port = vp->port();
    }
    auto s = start_print_service(config_for("tcp:127.0.0.1:" + std::to_string(port), tmp.path()),
                                 clock, fast());
    Timed t = print_one(*s);
    CHECK(t.outcome.result == JobResult::offline);
    CHECK(t.outcome.detail.find("switched on") != std::string::npos);
    CHECK(t.ms < 1000);
    auto u =
        start_print_service(config_for("usb:" + tmp / "no-such-lp0", tmp.path()), clock, fast());
    t = print_one(*u);
    CHECK(t.outcome.result == JobResult::offline);
    CHECK(t.outcome.detail.find("does not exist") != std::string::npos);
}

TEST_CASE("serial transport on the virtual printer's pseudo-terminal") {
    lapor::test::TempDir tmp;
    lapor::test::FakeClock clock;
    auto vp = VirtualPrinter::open_pty();
    CHECK(vp->transport().rfind("serial:/dev/pts/", 0) == 0);
    auto s =
        start_print_service(config_for(vp->transport(), tmp.path(), "generic-58mm"), clock, fast());
    Timed t = print_one(*s);
    CHECK(t.outcome.result == JobResult::printed);
    CHECK(vp->printed() == 1);
    const auto c = check_escpos(vp->received(), {48, 255});
    REQUIRE_MESSAGE(c.ok(), c.first_error());
    CHECK(last_qr(c) == golden_url);
    vp->set_mode(VirtualMode::paper_out);
    t = print_one(*s);
    CHECK(t.outcome.result == JobResult::paper_out);
}

TEST_CASE("device-file transport (usb:) reads replies with a timeout, here on a pty") {
    lapor::test::TempDir tmp;
    lapor::test::FakeClock clock;
    auto vp = VirtualPrinter::open_pty();
    auto s = start_print_service(config_for("usb:" + vp->device_path(), tmp.path()), clock, fast());
    Timed t = print_one(*s);
    CHECK(t.outcome.result == JobResult::printed);
    vp->set_mode(VirtualMode::silent);
    t = print_one(*s);
    CHECK(t.outcome.result == JobResult::printed_unconfirmed);
    CHECK(t.ms < 3 * status_timeout + confirm_extra + 600);
    vp->set_mode(VirtualMode::cover_open);
    t = print_one(*s);
    CHECK(t.outcome.result == JobResult::cover_open);
    CHECK(vp->printed() == 2);  // the silent one printed, it just never said so
}

TEST_CASE("write-only transports: file, png, cups (lp) print unconfirmed") {
    lapor::test::TempDir tmp;
    lapor::test::FakeClock clock;
    const std::string expected =
        encode(receipt_document(golden_job(), golden_context()), profile("generic-80mm"));

    auto f = start_print_service(config_for("file:" + tmp / "out.bin", tmp.path()), clock, fast());
    // Asking a write-only transport its status opens nothing: no file appears.
    f->request_status();
    std::this_thread::sleep_for(Ms(status_timeout));
    CHECK(f->state() == PrinterState::unknown);
    CHECK(::access((tmp / "out.bin").c_str(), F_OK) != 0);
    Timed t = print_one(*f);
    CHECK(t.outcome.result == JobResult::printed_unconfirmed);
    CHECK(t.outcome.state == PrinterState::unknown);
    std::ifstream in(tmp / "out.bin", std::ios::binary);
    CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == expected);

    auto p = start_print_service(config_for("png:" + tmp / "out.png", tmp.path(), "generic-58mm"),
                                 clock, fast());
    t = print_one(*p);
    CHECK(t.outcome.result == JobResult::printed_unconfirmed);
    CHECK(zbarimg(tmp / "out.png") == std::vector<std::string>{golden_url});

    // A stand-in for CUPS' lp on PATH: records its arguments and the job.
    const std::string bin = tmp / "bin";
    ::mkdir(bin.c_str(), 0755);
    {
        std::ofstream lp(bin + "/lp");
        lp << "#!/bin/sh\necho \"$@\" > '" << tmp.path() << "/lp.args'\ncat > '" << tmp.path()
           << "/lp.job'\n[ \"$2\" = broken ] && exit 1\nexit 0\n";
    }
    ::chmod((bin + "/lp").c_str(), 0755);
    const std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
    ::setenv("PATH", (bin + ":" + old_path).c_str(), 1);
    auto cups = start_print_service(config_for("cups:receipt", tmp.path()), clock, fast());
    // Nor does a status request run lp (it would queue an empty job each time).
    cups->request_status();
    std::this_thread::sleep_for(Ms(status_timeout));
    CHECK(::access((tmp / "lp.args").c_str(), F_OK) != 0);
    t = print_one(*cups);
    CHECK(t.outcome.result == JobResult::printed_unconfirmed);
    CHECK(t.outcome.detail.find("cannot report status") != std::string::npos);
    std::ifstream args(tmp / "lp.args"), job(tmp / "lp.job", std::ios::binary);
    std::string a;
    std::getline(args, a);
    CHECK(a == "-d receipt -o raw -s");
    CHECK(std::string(std::istreambuf_iterator<char>(job), {}) == expected);
    auto broken = start_print_service(config_for("cups:broken", tmp.path()), clock, fast());
    t = print_one(*broken);
    CHECK(t.outcome.result == JobResult::offline);
    CHECK(t.outcome.detail.find("lpstat") != std::string::npos);
    ::setenv("PATH", old_path.c_str(), 1);
}

TEST_CASE("health: printer state and last result go to the store; test page prints") {
    lapor::test::TempDir tmp;
    lapor::test::FakeClock clock;
    auto vp = VirtualPrinter::listen_tcp(mode(VirtualMode::paper_out));
    auto s = start_print_service(config_for(vp->transport(), tmp.path()), clock, fast());
    // The database appears after the service started (the worker opens it when it needs it).
    s->request_status();
    std::this_thread::sleep_for(Ms(50));
    { auto st = open_store(tmp / "kiosk.db", clock); }
    const Timed t = print_one(*s);
    CHECK(t.outcome.result == JobResult::paper_out);
    auto store = open_store(tmp / "kiosk.db", clock);
    auto h = store->health();
    CHECK(h[HealthKey::printer_state].value == "paper_out");
    CHECK(h[HealthKey::last_print_result].value.rfind("paper_out: ", 0) == 0);

    vp->set_mode(VirtualMode::ok);
    s->request_status();
    for (int i = 0; i < 100 && s->state() != PrinterState::ok; ++i)
        std::this_thread::sleep_for(Ms(10));
    CHECK(s->state() == PrinterState::ok);
    const JobId id = s->submit_test_page();
    const Timed tp = wait_for(*s, id);
    CHECK(tp.outcome.result == JobResult::printed);
    h = store->health();
    CHECK(h[HealthKey::printer_state].value == "ok");
    CHECK(h[HealthKey::last_print_result].value.rfind("printed", 0) == 0);
    REQUIRE(vp->wait_closed(3, 2000));
    const auto c = check_escpos(vp->jobs().back());
    REQUIRE(c.ok());
    CHECK(c.text.find("PRINTER TEST PAGE") != std::string::npos);
    CHECK(c.text.find("ok - ready") != std::string::npos);
}

TEST_CASE("a bad profile or transport: every job says what to fix, nothing throws") {
    lapor::test::TempDir tmp;
    lapor::test::FakeClock clock;
    auto s = start_print_service(config_for("carrier-pigeon:1", tmp.path()), clock, fast());
    Timed t = print_one(*s);
    CHECK(t.outcome.result == JobResult::unknown);
    CHECK(t.outcome.detail.find("not set up") != std::string::npos);
    auto p =
        start_print_service(config_for("file:" + tmp / "x", tmp.path(), "nope"), clock, fast());
    t = print_one(*p);
    CHECK(t.outcome.result == JobResult::unknown);
    CHECK(t.outcome.detail.find("generic-80mm") != std::string::npos);
}

TEST_CASE("status replies: valid bytes only, missing ones are unknown") {
    auto st = [](std::initializer_list<int> b) {
        std::string s;
        for (int v : b) s += static_cast<char>(v);
        return state_of(parse_status_replies(s));
    };
    CHECK(st({0x12, 0x12, 0x12}) == PrinterState::ok);
    CHECK(st({0x12, 0x12}) == PrinterState::unknown);
    CHECK(st({}) == PrinterState::unknown);
    CHECK(st({0x1A, 0x32, 0x72}) == PrinterState::paper_out);
    CHECK(st({0x1A, 0x16, 0x12}) == PrinterState::cover_open);
    CHECK(st({0x1A, 0x52, 0x12}) == PrinterState::offline);
    CHECK(st({0x12, 0x12, 0x1E}) == PrinterState::paper_near_end);
    // An ASB block (4 bytes, first (b & 0x93) == 0x10) and junk are skipped.
    CHECK(st({0x10, 0x12, 0x12, 0x12, 0x00, 0x12, 0x12, 0x72}) == PrinterState::paper_out);
    CHECK(st({0xFF, 0x00, 0x12, 0x12, 0x12}) == PrinterState::ok);
    CHECK(parse_confirm_reply(std::string(1, '\x00')) == std::uint8_t{0});
    CHECK_FALSE(parse_confirm_reply(std::string(1, '\x12')));
}

TEST_CASE("transport strings") {
    auto t = parse_transport("tcp:127.0.0.1:9100");
    CHECK(t.kind == TransportKind::tcp);
    CHECK(t.host == "127.0.0.1");
    CHECK(t.port == 9100);
    t = parse_transport("tcp:[::1]:9100");
    CHECK(t.host == "::1");
    CHECK(to_string(t) == "tcp:[::1]:9100");
    t = parse_transport("serial:/dev/ttyS0:19200:rtscts");
    CHECK(t.path == "/dev/ttyS0");
    CHECK(t.baud == 19200);
    CHECK(t.rtscts);
    CHECK(parse_transport("usb:/dev/usb/lp0").path == "/dev/usb/lp0");
    CHECK(parse_transport("cups:rcpt").queue == "rcpt");
    CHECK(parse_transport("png:/tmp/x.png").kind == TransportKind::png);
    for (const char* bad : {"", "usb", "usb:", "usb:lp0", "tcp:host", "tcp:host:0",
                            "tcp:host:70000", "tcp:::1:9100", "serial:/dev/ttyS0:12345",
                            "serial:/dev/ttyS0", "cups:a b", "cups:-x", "smtp:x", "file:a\nb"}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_transport(bad), TransportSpecError);
    }
}
