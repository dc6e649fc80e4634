// kioskctl provision and doctor as a technician runs them (the real binary, real files, a real
// FAT image written by mtools), and the core checks staff mode shows (run_core_checks).
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "bundle.h"
#include "config.h"
#include "crypto.h"
#include "doctor.h"
#include "fake_clock.h"
#include "fixtures.h"
#include "provision_site.h"
#include "run_program.h"
#include "store.h"

using namespace lapor::test::site;
using lapor::test::TempDir;
using nlohmann::json;

TEST_CASE("provision writes a bundle the kiosk accepts, with no long-lived secret") {
    Site s;
    const auto r = s.provision({{"--pin", "246810"},
                                {"--ssh-key", s.dir / "tech.pub"},
                                {"--printer", "tcp:192.168.1.50:9100"}});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    const std::string b = s.dir / "bundle";
    CHECK(read_file(b + "/ca.pem") == read_file(s.dir / "ca.pem"));
    CHECK(read_file(b + "/enroll_code") == "K7Q2-9XW4-M3\n");
    CHECK(mode_of(b + "/enroll_code") == 0600);
    CHECK(read_file(b + "/authorized_keys") == read_file(s.dir / "tech.pub"));
    // The kiosk's own parser reads it back with every value given.
    const auto c = lapor::load_config(b + "/kiosk.toml");
    CHECK(c.kiosk.id == "JKT-PUSAT-01");
    CHECK(c.kiosk.office == "Kantor Walikota \"Jakarta\" Pusat");
    CHECK(c.upload.endpoint == "https://api.example.id/kiosk");
    CHECK(c.upload.ca_file == std::filesystem::canonical(b).string() + "/ca.pem");
    CHECK(c.printer.transport == "tcp:192.168.1.50:9100");
    CHECK(c.receipt.verify_base == "https://lapor.example.id/kiosk");
    CHECK(lapor::argon2id_verify(c.staff.pin_hash, "246810"));
    CHECK(c.kiosk.data_dir == "/var/lib/lapor-kiosk");
    // No private key and no PIN in clear anywhere in the bundle.
    for (const auto& e : std::filesystem::directory_iterator(b)) {
        const auto text = read_file(e.path().string());
        CHECK(text.find("PRIVATE KEY") == std::string::npos);
        CHECK(text.find("246810") == std::string::npos);
    }
}

TEST_CASE("provision reads the PIN from stdin with --pin -") {
    Site s;
    const auto r = s.provision({{"--pin", "-"}}, {}, "97531086\n");
    REQUIRE_MESSAGE(r.code == 0, r.err);
    const auto c = lapor::load_config(s.dir / "bundle/kiosk.toml");
    CHECK(lapor::argon2id_verify(c.staff.pin_hash, "97531086"));
    const auto bad = s.provision({{"--pin", "-"}}, {}, "12\n");
    CHECK(bad.code == 1);
    CHECK(bad.err.find("--pin must be 6 to 12 digits") != std::string::npos);
}

TEST_CASE("provision refuses bad values with the reason and writes nothing") {
    Site s;
    write_file(s.dir / "ca-and-key.pem", read_file(s.dir / "ca.pem") + read_file(s.dir / "ca.key"));
    write_file(s.dir / "not-a-cert.pem", "hello\n");
    write_file(s.dir / "id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n");
    struct Case {
        std::map<std::string, std::string> change;
        std::string reason;
    };
    const std::vector<Case> cases{
        {{{"--code-prefix", "JKO1"}}, "--code-prefix \"JKO1\" refused"},
        {{{"--code-prefix", "JKO1"}}, "without I, L, O, U"},
        {{{"--kiosk-id", "JKT PUSAT"}}, "--kiosk-id"},
        {{{"--time-zone", "Asia/Singapore"}}, "Asia/Makassar (WITA)"},
        {{{"--endpoint", "http://api.example.id"}}, "--endpoint must start with https://"},
        {{{"--national-key", "AAAA"}}, "--national-key \"AAAA\" refused"},
        {{{"--national-key", lapor::base64_encode(std::string(32, '\0'))}},
         "not a usable X25519 public key"},
        {{{"--verify-base", "http://x"}}, "--verify-base"},
        {{{"--office", ""}}, "--office"},
        {{{"--ca", s.dir / "missing.pem"}}, "cannot read the file"},
        {{{"--ca", s.dir / "ca-and-key.pem"}}, "contains a private key"},
        {{{"--ca", s.dir / "not-a-cert.pem"}}, "not a PEM certificate"},
        {{{"--enroll-code", "a b"}}, "--enroll-code must be"},
        {{{"--pin", "12ab56"}}, "--pin must be 6 to 12 digits"},
        {{{"--ssh-key", s.dir / "id_ed25519"}}, "is a private key"},
        {{{"--ssh-key", s.dir / "ca.pem"}}, "not an OpenSSH public key"},
        {{{"--printer", "lpt1"}}, "--printer \"lpt1\" refused"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.reason);
        const auto r = s.provision(c.change);
        CHECK(r.code == 1);
        CHECK(r.err.find(c.reason) != std::string::npos);
        CHECK(r.err.find("nothing was written") != std::string::npos);
        CHECK_FALSE(exists(s.dir / "bundle"));
    }
    const auto nodev = s.provision({{"--out", "/dev/lapor-test-no-such-disk"}});
    CHECK(nodev.code == 3);
    CHECK(nodev.err.find("no such device") != std::string::npos);
    CHECK_FALSE(exists("/dev/lapor-test-no-such-disk"));
    const auto missing = s.provision({}, {"--national-key", "--ca"});
    CHECK(missing.code == 2);
    CHECK(missing.err.find("missing --ca --national-key") != std::string::npos);
    CHECK(kioskctl({"provision", "--kiosk-ids", "x"}).code == 2);
}

TEST_CASE("provision writes a KIOSKCFG FAT partition with mtools, and refuses other disks") {
    Site s;
    const std::string part = s.dir / "kioskcfg.img";
    REQUIRE(run({"mkfs.vfat", "-C", "-n", "KIOSKCFG", part, "4096"}).code == 0);
    auto r = s.provision({{"--out", part}, {"--ssh-key", s.dir / "tech.pub"}});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    auto listing = run({"mdir", "-b", "-i", part, "::/"});
    CHECK(listing.out.find("kiosk.toml") != std::string::npos);
    CHECK(listing.out.find("authorized_keys") != std::string::npos);
    const auto toml = run({"mtype", "-i", part, "::/kiosk.toml"});
    CHECK(toml.out.find("code_prefix = \"JK01\"") != std::string::npos);
    CHECK(run({"mtype", "-i", part, "::/enroll_code"}).out == "K7Q2-9XW4-M3\n");
    // Provisioning again without a key removes SSH access from the bundle.
    r = s.provision({{"--out", part}});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(run({"mdir", "-b", "-i", part, "::/"}).out.find("authorized_keys") == std::string::npos);

    const std::string other = s.dir / "usbstick.img";
    REQUIRE(run({"mkfs.vfat", "-C", "-n", "HOLIDAY", other, "4096"}).code == 0);
    r = s.provision({{"--out", other}});
    CHECK(r.code == 1);
    CHECK(r.err.find("labelled \"HOLIDAY\", not KIOSKCFG") != std::string::npos);
    CHECK(run({"mdir", "-b", "-i", other, "::/"}).out.find("kiosk.toml") == std::string::npos);
    write_file(s.dir / "zeros.img", std::string(65536, '\0'));
    r = s.provision({{"--out", s.dir / "zeros.img"}});
    CHECK(r.code == 1);
    CHECK(r.err.find("is not a FAT file system") != std::string::npos);

    // A partition inside a disk image, at a byte offset.
    const std::string disk = s.dir / "disk.img";
    write_file(disk, std::string(1048576, '\0') + read_file(part));
    r = s.provision({{"--out", disk + "@@1048576"}});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(run({"mtype", "-i", disk + "@@1048576", "::/enroll_code"}).out == "K7Q2-9XW4-M3\n");
}

TEST_CASE("first boot installs the bundle; a bad bundle keeps the old config and says why") {
    Site s;
    REQUIRE(s.provision({{"--ssh-key", s.dir / "tech.pub"}}).code == 0);
    const std::string data = s.dir / "data";
    auto r = kioskctl({"provision", "--install-from", s.dir / "bundle", "--data-dir", data,
                       "--trust-dir", s.dir / "trust"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("created the device key") != std::string::npos);
    CHECK(r.out.find("technician SSH key") != std::string::npos);
    CHECK(mode_of(data + "/identity") == 0700);
    CHECK(mode_of(data + "/identity/device.key") == 0600);
    CHECK(mode_of(data + "/identity/enroll_code") == 0600);
    CHECK(read_file(data + "/identity/enroll_code") == "K7Q2-9XW4-M3\n");
    CHECK_FALSE(exists(data + "/config/authorized_keys"));  // root's, installed by the script
    const auto c = lapor::load_config(data + "/config/kiosk.toml");
    CHECK(c.kiosk.data_dir == data);
    CHECK(c.upload.ca_file == data + "/config/ca.pem");
    const std::string key = read_file(data + "/identity/device.key");

    // Again: nothing changes, the key is never replaced.
    r = kioskctl({"provision", "--install-from", s.dir / "bundle", "--data-dir", data,
                  "--trust-dir", s.dir / "trust"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("nothing changed") != std::string::npos);
    CHECK(read_file(data + "/identity/device.key") == key);

    // Enrolled (a token exists): a new bundle's code is not installed; the config is.
    write_file(data + "/identity/token", "tok\n");
    ::unlink((data + "/identity/enroll_code").c_str());
    REQUIRE(s.provision({{"--office", "Kantor Baru"}}).code == 0);
    r = kioskctl({"provision", "--install-from", s.dir / "bundle", "--data-dir", data,
                  "--trust-dir", s.dir / "trust"});
    REQUIRE(r.code == 0);
    CHECK(r.out.find("installed kiosk.toml") != std::string::npos);
    CHECK(r.out.find("already enrolled") != std::string::npos);
    CHECK_FALSE(exists(data + "/identity/enroll_code"));
    CHECK(lapor::load_config(data + "/config/kiosk.toml").kiosk.office == "Kantor Baru");

    // A hand-edited bundle no longer matches its signed manifest: refused as untrusted, the old
    // config stays, doctor names the stick.
    write_file(s.dir / "bundle/kiosk.toml",
               read_file(s.dir / "bundle/kiosk.toml") + "\n[kiosk2]\nx = 1\n");
    r = kioskctl({"provision", "--install-from", s.dir / "bundle", "--data-dir", data,
                  "--trust-dir", s.dir / "trust"});
    CHECK(r.code == 1);
    CHECK(r.err.find("kiosk.toml does not match the manifest") != std::string::npos);
    CHECK(lapor::load_config(data + "/config/kiosk.toml").kiosk.office == "Kantor Baru");
    auto d = kioskctl({"--config", data + "/config/kiosk.toml", "--json", "doctor"});
    CHECK(d.code == 1);
    auto j = json::parse(d.out);
    CHECK(j["checks"][1]["name"] == "provisioning");
    CHECK(j["checks"][1]["ok"] == false);
    CHECK(j["checks"][1]["detail"].get<std::string>().find(
              "an unsigned or foreign provisioning stick is present") != std::string::npos);

    // Signed but broken (the authority signed a bad file): refused, config check says why.
    resign(s.dir / "bundle", s.dir / "authority/authority.key");
    r = kioskctl({"provision", "--install-from", s.dir / "bundle", "--data-dir", data,
                  "--trust-dir", s.dir / "trust"});
    CHECK(r.code == 1);
    CHECK(r.err.find("unknown table [kiosk2]") != std::string::npos);
    CHECK(lapor::load_config(data + "/config/kiosk.toml").kiosk.office == "Kantor Baru");
    CHECK(read_file(data + "/config/provision-error.txt").find("[kiosk2]") != std::string::npos);
    d = kioskctl({"--config", data + "/config/kiosk.toml", "--json", "doctor"});
    CHECK(d.code == 1);
    j = json::parse(d.out);
    CHECK(j["checks"][0]["name"] == "config");
    CHECK(j["checks"][0]["ok"] == false);
    CHECK(j["checks"][0]["detail"].get<std::string>().find("refused") != std::string::npos);
    CHECK(j["checks"][1]["ok"] == true);  // the stick is signed: not a foreign one
}

namespace {

// A listening TCP socket on 127.0.0.1 (ephemeral port), closed with the object.
struct Listener {
    int fd = -1;
    int port = 0;
    Listener() {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(fd, 64) == 0);
        socklen_t len = sizeof a;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
    }
    ~Listener() { ::close(fd); }
};

std::map<std::string, json> checks_by_name(const std::string& out) {
    std::map<std::string, json> m;
    const json all = json::parse(out);
    for (const auto& c : all["checks"]) m[c["name"].get<std::string>()] = c;
    return m;
}

}  // namespace

TEST_CASE("doctor: one line per check with what to do, exit 1 when one fails, --json") {
    Site s;
    Listener lab;
    const std::string endpoint = "https://127.0.0.1:" + std::to_string(lab.port);
    REQUIRE(s.provision({{"--endpoint", endpoint}}).code == 0);
    const std::string data = s.dir / "data";
    REQUIRE(kioskctl({"provision", "--install-from", s.dir / "bundle", "--data-dir", data,
                      "--trust-dir", s.dir / "trust"})
                .code == 0);
    const std::string cfg = data + "/config/kiosk.toml";

    // No database yet; not enrolled; printer and display absent on a build machine.
    auto r = kioskctl({"--config", cfg, "--json", "doctor"});
    CHECK(r.code == 1);
    auto m = checks_by_name(r.out);
    CHECK(m["config"]["ok"] == true);
    CHECK(m["device_key"]["ok"] == true);
    CHECK(m["database"]["ok"] == false);
    CHECK(m["enrollment"]["ok"] == false);
    CHECK(m["enrollment"]["detail"].get<std::string>().find("enrollment code is waiting") !=
          std::string::npos);
    CHECK(m["clock"]["ok"] == true);
    CHECK(m["disk_space"]["ok"] == true);
    CHECK(m["endpoint"]["ok"] == true);
    CHECK(m.count("printer") == 1);
    CHECK(m.count("display") == 1);
    CHECK(m.count("kiosk_ui") == 1);  // ok or not: another lapor-kiosk may run on this machine
    for (const auto& [name, c] : m) {
        if (!c["ok"].get<bool>()) CHECK_MESSAGE(!c["fix"].get<std::string>().empty(), name);
    }

    // Enrolled, database in place: those checks pass; the text form has one line per check.
    {
        lapor::SystemClock clock;
        auto store = lapor::open_store(data + "/kiosk.db", clock);
        store->set_health(lapor::HealthKey::enrollment_state, "enrolled");
    }
    write_file(data + "/identity/token", "tok\n");
    ::chmod((data + "/identity/token").c_str(), 0600);
    r = kioskctl({"--config", cfg, "doctor"});
    CHECK(r.out.find("ok    database: integrity ok, WAL, synchronous=FULL") != std::string::npos);
    CHECK(r.out.find("ok    enrollment: enrolled") != std::string::npos);
    CHECK(r.out.find("ok    endpoint: TCP connection to 127.0.0.1:") != std::string::npos);
    std::size_t lines = 0;
    for (char ch : r.out) lines += ch == '\n';
    CHECK(lines == checks_by_name(kioskctl({"--config", cfg, "--json", "doctor"}).out).size() + 1);

    // The endpoint gone: a failed check with what to do.
    const int port = lab.port;
    ::close(lab.fd);
    lab.fd = -1;
    r = kioskctl({"--config", cfg, "--json", "doctor"});
    m = checks_by_name(r.out);
    CHECK(m["endpoint"]["ok"] == false);
    CHECK(m["endpoint"]["detail"].get<std::string>().find("127.0.0.1:" + std::to_string(port)) !=
          std::string::npos);

    // A write-only printer (CUPS queue, file) cannot report paper or cover: said, not failed.
    {
        std::string text = read_file(cfg);
        const auto at = text.find("transport = ");
        if (at != std::string::npos) {
            text.replace(at, text.find('\n', at) - at, "transport = \"cups:receipts\"");
        } else if (const auto sec = text.find("[printer]\n"); sec != std::string::npos) {
            text.insert(sec + 10, "transport = \"cups:receipts\"\n");
        } else {
            text += "\n[printer]\ntransport = \"cups:receipts\"\n";
        }
        write_file(cfg, text);
        m = checks_by_name(kioskctl({"--config", cfg, "--json", "doctor"}).out);
        CHECK(m["printer"]["ok"] == true);
        CHECK(m["printer"]["detail"].get<std::string>().find("write-only") != std::string::npos);
        const auto with_printer = [&](const std::string& transport, const std::string& profile) {
            std::string t = read_file(cfg);
            const auto tr = t.find("transport = ");
            t.replace(tr, t.find('\n', tr) - tr, "transport = \"" + transport + "\"");
            if (const auto p = t.find("profile = "); p != std::string::npos)
                t.erase(p, t.find('\n', p) - p + 1);
            t.insert(t.find("[printer]\n") + 10, "profile = \"" + profile + "\"\n");
            write_file(cfg, t);
        };
        for (const std::string& transport :
             {"file:" + (s.dir / "receipts.bin"), "png:" + (s.dir / "receipt.png")}) {
            with_printer(transport, "generic-80mm");
            m = checks_by_name(kioskctl({"--config", cfg, "--json", "doctor"}).out);
            CHECK_MESSAGE(m["printer"]["ok"] == true, transport);
            CHECK_MESSAGE(
                m["printer"]["detail"].get<std::string>().find("write-only") != std::string::npos,
                transport);
        }
        // An unknown profile: said with its own message and fix, not "no status reply".
        with_printer("usb:" + (s.dir / "no-lp0"), "no-such-model");
        r = kioskctl({"--config", cfg, "--json", "doctor"});
        m = checks_by_name(r.out);
        REQUIRE(m.count("printer") == 1);
        CHECK(m["printer"]["ok"] == false);
        CHECK(m["printer"]["detail"].get<std::string>().find(
                  "printer.profile \"no-such-model\" cannot be used") != std::string::npos);
        // A profile whose model cannot report status: said, not failed (a share folder with
        // such a profile).
        const std::string share = s.dir / "share";
        std::filesystem::create_directories(share + "/data");
        std::filesystem::create_symlink(LAPOR_SOURCE_DIR "/kiosk/po", share + "/po");
        for (const auto& e : std::filesystem::directory_iterator(LAPOR_SOURCE_DIR "/kiosk/data"))
            std::filesystem::copy(e.path(), share + "/data/" + e.path().filename().string());
        std::string profiles = read_file(share + "/data/printer_profiles.json");
        const auto first = profiles.find("\"status\": true");
        REQUIRE(first != std::string::npos);
        profiles.replace(first, 14, "\"status\": false");
        write_file(share + "/data/printer_profiles.json", profiles);
        with_printer("usb:" + (s.dir / "no-lp0"), "generic-80mm");
        ::setenv("LAPOR_KIOSK_SHARE", share.c_str(), 1);
        r = kioskctl({"--config", cfg, "--json", "doctor"});
        ::unsetenv("LAPOR_KIOSK_SHARE");
        m = checks_by_name(r.out);
        CHECK(m["printer"]["ok"] == true);
        CHECK(m["printer"]["detail"].get<std::string>().find("cannot report") != std::string::npos);
        // With the shipped profile the same missing device fails after the busy retry.
        m = checks_by_name(kioskctl({"--config", cfg, "--json", "doctor"}).out);
        CHECK(m["printer"]["ok"] == false);
    }

    // A device key others can read.
    ::chmod((data + "/identity/device.key").c_str(), 0644);
    m = checks_by_name(kioskctl({"--config", cfg, "--json", "doctor"}).out);
    CHECK(m["device_key"]["ok"] == false);
    CHECK(m["device_key"]["fix"] == "run chmod 600 " + data + "/identity/device.key");

    // A broken config: the config check fails with the parser's words, exit 1.
    ::unlink(cfg.c_str());
    write_file(cfg, "[kiosk]\nid = \"X\"\n");
    r = kioskctl({"--config", cfg, "doctor"});
    CHECK(r.code == 1);
    CHECK(r.out.find("FAIL  config: " + cfg + ": missing required key kiosk.code_prefix") !=
          std::string::npos);
}

TEST_CASE("core checks (staff diagnostics): clock, enrollment, database, queue") {
    TempDir dir;
    lapor::crypto_init();
    lapor::Config c;
    c.kiosk.id = "T-1";
    c.kiosk.code_prefix = "TT01";
    c.kiosk.data_dir = dir.path();
    c.source = dir / "kiosk.toml";
    lapor::test::FakeClock clock(1'790'000'000'000);  // 2026-09
    auto store = lapor::open_store(dir / "kiosk.db", clock);
    auto checks = lapor::run_core_checks(c, *store, clock);
    std::vector<std::string> names;
    for (const auto& ch : checks) names.push_back(ch.name);
    CHECK(names == std::vector<std::string>{"config", "provisioning", "device_key", "enrollment",
                                            "clock", "disk_space", "database", "upload_queue",
                                            "sync_service", "endpoint_answers", "audio",
                                            "staff_pin", "update"});
    CHECK(checks[0].ok);
    CHECK(checks[1].ok);        // nothing refused
    CHECK_FALSE(checks[2].ok);  // no key yet
    CHECK(checks[2].fix.find("kioskctl keygen") != std::string::npos);
    CHECK_FALSE(checks[3].ok);  // no token, no code
    CHECK(checks[4].ok);
    CHECK(checks[5].ok);
    CHECK(checks[6].ok);
    CHECK(checks[7].ok);
    CHECK_FALSE(checks[8].ok);  // lapor-sync never reported in
    CHECK(checks[9].ok);

    // lapor-sync reports in; silent for 5 minutes it is a failed check staff see.
    store->set_health(lapor::HealthKey::sync_alive, "pid 42, 0 report(s) to send");
    CHECK(lapor::check_sync_service(*store, clock).ok);
    clock.advance_ms(299'000);
    CHECK(lapor::check_sync_service(*store, clock).ok);
    clock.advance_ms(2'000);
    const auto silent = lapor::check_sync_service(*store, clock);
    CHECK_FALSE(silent.ok);
    CHECK(silent.detail.find("has not reported in for 5 min") != std::string::npos);
    clock.set_now_ms(1'790'000'000'000);
    // An answer that is not the national API's, until a genuine one clears it.
    store->set_health(lapor::HealthKey::endpoint_warning,
                      "the endpoint answers with something that is not the national API (proxy, "
                      "captive portal?): 403 text/html");
    const auto foreign = lapor::check_endpoint_answers(*store);
    CHECK_FALSE(foreign.ok);
    CHECK(foreign.detail.find("not the national API (proxy, captive portal?)") !=
          std::string::npos);
    store->set_health(lapor::HealthKey::endpoint_warning, "");
    CHECK(lapor::check_endpoint_answers(*store).ok);

    // Sync says the endpoint refused the token.
    write_file(dir / "token", "");
    std::filesystem::create_directories(c.identity_dir());
    write_file(c.token_path(), "tok\n");
    store->set_health(lapor::HealthKey::enrollment_state, "unauthorized");
    auto e = lapor::check_enrollment(c, store.get());
    CHECK_FALSE(e.ok);
    CHECK(e.detail.find("unauthorized") != std::string::npos);
    store->set_health(lapor::HealthKey::enrollment_state, "enrolled");
    CHECK(lapor::check_enrollment(c, store.get()).ok);

    // The clock went back an hour behind what the store recorded; then lost its date entirely.
    clock.set_now_ms(1'790'000'000'000 - 3'600'000);
    auto k = lapor::check_clock(clock, store.get());
    CHECK_FALSE(k.ok);
    CHECK(k.detail.find("went back") != std::string::npos);
    clock.set_now_ms(86'400'000);
    CHECK_FALSE(lapor::check_clock(clock, nullptr).ok);

    // A report waiting for more than a day fails the queue check.
    clock.set_now_ms(1'790'000'000'000);
    lapor::PreparedReport rep;
    rep.uuid = lapor::uuid_v4();
    rep.tracking = "TT01-0000-0000-0";
    rep.kiosk_id = "T-1";
    rep.created_unix = 1'790'000'000 - 2 * 86400;
    rep.upload_body = "{}";
    store->insert_report(rep);
    auto q = lapor::check_upload_queue(*store, clock);
    CHECK_FALSE(q.ok);
    CHECK(q.detail.find("1 report(s) waiting; the oldest for 2 days") != std::string::npos);

    // A damaged config CA file.
    c.upload.ca_file = dir / "nope.pem";
    CHECK_FALSE(lapor::check_config(c).ok);
}

// ---------------------------------------------------------------- review fixes (imgfix)

TEST_CASE("install-from: an unchanged bundle does not undo a change made on the kiosk") {
    Site s;
    REQUIRE(s.provision().code == 0);
    const std::string data = s.dir / "data";
    auto r = kioskctl({"provision", "--install-from", s.dir / "bundle", "--data-dir", data,
                       "--trust-dir", s.dir / "trust"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(read_file(data + "/config/bundle.sha256").size() == 65);
    // A hand fix (or kioskctl set-pin) on the kiosk, then a reboot with the same stick.
    const std::string fixed = read_file(data + "/config/kiosk.toml") + "\n# fixed by hand\n";
    write_file(data + "/config/kiosk.toml", fixed);
    r = kioskctl({"provision", "--install-from", s.dir / "bundle", "--data-dir", data,
                  "--trust-dir", s.dir / "trust"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(read_file(data + "/config/kiosk.toml") == fixed);
    CHECK(r.out.find("kept the installed kiosk.toml") != std::string::npos);
    // A new bundle is installed.
    REQUIRE(s.provision({{"--office", "Kantor Lain"}}).code == 0);
    r = kioskctl({"provision", "--install-from", s.dir / "bundle", "--data-dir", data,
                  "--trust-dir", s.dir / "trust"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("installed kiosk.toml") != std::string::npos);
    CHECK(lapor::load_config(data + "/config/kiosk.toml").kiosk.office == "Kantor Lain");
}

TEST_CASE("install-from: config is root:lapor 0750, its files root:lapor 0640") {
    doctest::skip(::geteuid() != 0);
    if (::geteuid() != 0) return;
    Site s;
    REQUIRE(s.provision().code == 0);
    const std::string data = s.dir / "data";
    ::setenv("LAPOR_KIOSK_USER", "nobody", 1);  // stands in for `lapor`
    const auto r = kioskctl({"provision", "--install-from", s.dir / "bundle", "--data-dir", data,
                             "--trust-dir", s.dir / "trust"});
    ::unsetenv("LAPOR_KIOSK_USER");
    REQUIRE_MESSAGE(r.code == 0, r.err);
    const passwd* nobody = ::getpwnam("nobody");
    REQUIRE(nobody != nullptr);
    for (const std::string f : {"/config", "/config/kiosk.toml", "/config/ca.pem"}) {
        struct stat st {};
        REQUIRE(::stat((data + f).c_str(), &st) == 0);
        CHECK_MESSAGE(st.st_uid == 0, f);
        CHECK_MESSAGE(st.st_gid == nobody->pw_gid, f);
        CHECK_MESSAGE((st.st_mode & 0777) == (f == "/config" ? 0750u : 0640u), f);
    }
    // A kiosk.toml left owned by the service user (older versions) is taken back at next boot.
    REQUIRE(::chown((data + "/config/kiosk.toml").c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
    ::setenv("LAPOR_KIOSK_USER", "nobody", 1);
    const auto again = kioskctl({"provision", "--install-from", s.dir / "bundle", "--data-dir",
                                 data, "--trust-dir", s.dir / "trust"});
    ::unsetenv("LAPOR_KIOSK_USER");
    REQUIRE_MESSAGE(again.code == 0, again.err);
    struct stat toml {};
    REQUIRE(::stat((data + "/config/kiosk.toml").c_str(), &toml) == 0);
    CHECK(toml.st_uid == 0);
    // The service user's own files stay the service user's.
    struct stat key {};
    REQUIRE(::stat((data + "/identity/device.key").c_str(), &key) == 0);
    CHECK(key.st_uid == nobody->pw_uid);
}

TEST_CASE("install-from: a failure after the checks says what was partially installed") {
    Site s;
    REQUIRE(s.provision().code == 0);
    const std::string data = s.dir / "data";
    // The enrollment code cannot be written (a folder is in its place).
    std::filesystem::create_directories(data + "/identity/enroll_code/x");
    ::chmod((data + "/identity").c_str(), 0700);
    const auto r = kioskctl({"provision", "--install-from", s.dir / "bundle", "--data-dir", data,
                             "--trust-dir", s.dir / "trust"});
    CHECK(r.code == 3);
    CHECK(r.err.find("partially installed") != std::string::npos);
    CHECK_FALSE(exists(data + "/config/kiosk.toml"));  // written last: the next boot tries again
    CHECK_FALSE(exists(data + "/config/bundle.sha256"));
    CHECK(read_file(data + "/config/provision-error.txt").find("partially installed") !=
          std::string::npos);
}

TEST_CASE("provision --out refuses a folder that holds something other than a bundle") {
    Site s;
    const std::string ssh = s.dir / "dot-ssh";
    std::filesystem::create_directories(ssh);
    write_file(ssh + "/authorized_keys", "ssh-ed25519 AAAA mine\n");
    auto r = s.provision({{"--out", ssh}});
    CHECK(r.code == 1);
    CHECK(r.err.find("not empty and holds no bundle") != std::string::npos);
    CHECK(read_file(ssh + "/authorized_keys") == "ssh-ed25519 AAAA mine\n");
    CHECK_FALSE(exists(ssh + "/kiosk.toml"));
    // A path whose parent does not exist is not created as a folder tree.
    r = s.provision({{"--out", s.dir / "no/such/place"}});
    CHECK(r.code == 1);
    CHECK(r.err.find("cannot create the folder") != std::string::npos);
    CHECK_FALSE(exists(s.dir / "no"));
    // An earlier bundle folder is rewritten; its authorized_keys goes when there is no key now.
    REQUIRE(s.provision({{"--ssh-key", s.dir / "tech.pub"}}).code == 0);
    REQUIRE(exists(s.dir / "bundle/authorized_keys"));
    r = s.provision();
    REQUIRE_MESSAGE(r.code == 0, r.err);
    CHECK_FALSE(exists(s.dir / "bundle/authorized_keys"));
    // An empty existing folder is fine.
    std::filesystem::create_directories(s.dir / "empty");
    CHECK(s.provision({{"--out", s.dir / "empty"}}).code == 0);
}

TEST_CASE("provision --out: unreadable devices say so, not \"not a FAT file system\"") {
    Site s;
    // A folder with @@ is opened as a device and cannot be read.
    std::filesystem::create_directories(s.dir / "adir");
    auto r = s.provision({{"--out", s.dir / "adir" + "@@0"}});
    CHECK(r.code == 1);
    CHECK(r.err.find("cannot read") != std::string::npos);
    CHECK(r.err.find("not a FAT file system") == std::string::npos);
    if (::geteuid() != 0) {
        const std::string part = s.dir / "locked.img";
        REQUIRE(run({"mkfs.vfat", "-C", "-n", "KIOSKCFG", part, "4096"}).code == 0);
        ::chmod(part.c_str(), 0);
        r = s.provision({{"--out", part}});
        CHECK(r.code == 1);
        CHECK(r.err.find("cannot read " + part + ": Permission denied; run with sudo") !=
              std::string::npos);
    }
}

TEST_CASE("mounted_at finds a device or image in the mount table") {
    TempDir d;
    const std::string img = d / "stick img";
    write_file(img, "x");
    const std::string mounts = "proc /proc proc rw 0 0\n" + (d / "stick\\040img") +
                               " /media/tech/KIOSK\\040CFG vfat rw 0 0\n";
    CHECK(lapor::mounted_at(img, mounts) == std::optional<std::string>("/media/tech/KIOSK CFG"));
    CHECK_FALSE(lapor::mounted_at(img, "proc /proc proc rw 0 0\n"));
    CHECK_FALSE(lapor::mounted_at(d / "missing", mounts));
    // A block device matches through another name for it (a symlink, as /dev/disk/by-label).
    for (const auto& e : std::filesystem::directory_iterator("/dev")) {
        struct stat st {};
        if (::stat(e.path().c_str(), &st) != 0 || !S_ISBLK(st.st_mode)) continue;
        const std::string link = d / "by-label";
        std::filesystem::create_symlink(e.path(), link);
        CHECK(lapor::mounted_at(link, e.path().string() + " /mnt/x vfat rw 0 0\n") ==
              std::optional<std::string>("/mnt/x"));
        break;
    }
}

TEST_CASE("authorized_keys: Windows line ends, blank lines and an options field are accepted") {
    Site s;
    write_file(s.dir / "win.pub",
               "\r\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBuPH5MKV1Rv7jb3ZsBa4Zk0Nd4 a@b\r\n   \r\n"
               "from=\"10.0.0.0/8,192.168.1.0/24\",command=\"echo a b\",no-pty ssh-ed25519 "
               "AAAAC3NzaC1lZDI1NTE5AAAAIBuPH5MKV1Rv7jb3ZsBa4Zk0Nd4 c@d\r\n");
    auto r = s.provision({{"--ssh-key", s.dir / "win.pub"}});
    CHECK_MESSAGE(r.code == 0, r.err);
    write_file(s.dir / "bad.pub", "no-pty not-a-key AAAA\n");
    r = s.provision({{"--ssh-key", s.dir / "bad.pub"}});
    CHECK(r.code == 1);
    CHECK(r.err.find("not an OpenSSH public key") != std::string::npos);
    write_file(s.dir / "blank.pub", "\r\n  \r\n");
    r = s.provision({{"--ssh-key", s.dir / "blank.pub"}});
    CHECK(r.code == 1);
    CHECK(r.err.find("holds no public key") != std::string::npos);
}
