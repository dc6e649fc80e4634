// kioskctl update, health's boot steps and the update timer, run as the kiosk runs them: the real
// binary, a real update folder over HTTP on 127.0.0.1 (python3 -m http.server), a real store
// for the UI's attract-screen report. Only RAUC, systemctl and lapor-boot are stand-ins (shell
// scripts that log their arguments): the image update test drives the real ones in QEMU.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "fake_clock.h"
#include "fixtures.h"
#include "run_program.h"
#include "store.h"

namespace {

using lapor::test::TempDir;

std::string read_file(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write(const std::string& p, const std::string& text, bool exec = false) {
    std::ofstream(p, std::ios::binary) << text;
    if (exec) ::chmod(p.c_str(), 0755);
}

int free_port() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

std::string sha256_hex(const std::string& data) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char b : h) out += {hex[b >> 4], hex[b & 15]};
    return out;
}

// A kiosk's update setup in a temporary folder.
struct Kiosk {
    TempDir dir;
    int port = free_port();
    pid_t server = -1;
    std::string config = dir / "kiosk.toml";

    Kiosk() {
        for (const char* d : {"data", "www", "state"}) ::mkdir((dir / d).c_str(), 0755);
        write(config,
              "[kiosk]\nid = \"UPD-01\"\ncode_prefix = \"KP01\"\noffice = \"Uji\"\n"
              "data_dir = \"data\"\n[upload]\nendpoint = \"https://127.0.0.1:1\"\n"
              "national_key = \"A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\"\n"
              "national_key_id = \"t\"\n[update]\nurl = \"http://127.0.0.1:" +
                  std::to_string(port) +
                  "\"\nwindow = \"00:00-24:00\"\ncheck_s = 0.001\nstate_dir = \"state\"\n");
        // Stand-ins that log what they were asked: rauc, systemctl, lapor-boot.
        const std::string log = dir / "calls.log";
        write(dir / "rauc",
              "#!/bin/sh\necho \"rauc $*\" >>" + log + "\ncase $1 in info) cat " +
                  (dir / "info.json") + "; exit $(cat " + (dir / "info.rc") + ");; esac\nexit 0\n",
              true);
        write(dir / "systemctl", "#!/bin/sh\necho \"systemctl $*\" >>" + log + "\nexit 0\n", true);
        write(dir / "lapor-boot",
              "#!/bin/sh\ncase $1 in get-current) cat " + (dir / "slot") + ";; list) cat " +
                  (dir / "entries") + ";; esac\n",
              true);
        write(dir / "system.conf", "[system]\ncompatible=lapor-kiosk-amd64\nbootloader=custom\n");
        write(dir / "info.rc", "0\n");
        write(dir / "slot", "a\n");
        write(dir / "entries", "1 a - lapor-1-a.conf\n");
        running("1.0.0");
        info("lapor-kiosk-amd64", "1.1.0", lapor::store_schema_version);
        ::setenv("LAPOR_RAUC", (dir / "rauc").c_str(), 1);
        ::setenv("LAPOR_SYSTEMCTL", (dir / "systemctl").c_str(), 1);
        ::setenv("LAPOR_BOOT_TOOL", (dir / "lapor-boot").c_str(), 1);
        ::setenv("LAPOR_RAUC_SYSTEM_CONF", (dir / "system.conf").c_str(), 1);
        ::setenv("LAPOR_IMAGE_VERSION_FILE", (dir / "version").c_str(), 1);
    }
    ~Kiosk() {
        if (server > 0) {
            ::kill(server, SIGTERM);
            ::waitpid(server, nullptr, 0);
        }
    }
    void running(const std::string& v) { write(dir / "version", v + "\n"); }
    void info(const std::string& compatible, const std::string& version, int store) {
        write(dir / "info.json", R"({"compatible":")" + compatible + R"(","version":")" + version +
                                     R"(","description":"LAPOR! Kiosk store_version=)" +
                                     std::to_string(store) + R"("})");
    }
    std::string calls() { return read_file(dir / "calls.log"); }
    nlohmann::json state() { return nlohmann::json::parse(read_file(dir / "state/state.json")); }
    lapor::test::RunResult kioskctl(std::vector<std::string> args) {
        args.insert(args.begin(), {KIOSKCTL, "--config", config});
        return lapor::test::run_program(std::move(args));
    }
    // The update folder, served over real HTTP on 127.0.0.1.
    void publish(const std::string& version, int store, const std::string& sha = "") {
        const std::string bundle = "bundle of " + version + "\n";
        write(dir / "www/b.raucb", bundle);
        write(dir / "www/manifest.json",
              nlohmann::json{{"format", 1},
                             {"compatible", "lapor-kiosk-amd64"},
                             {"version", version},
                             {"bundle", "b.raucb"},
                             {"size", bundle.size()},
                             {"sha256", sha.empty() ? sha256_hex(bundle) : sha},
                             {"store_version", store}}
                  .dump());
        if (server > 0) return;
        server = ::fork();
        REQUIRE(server >= 0);
        if (server == 0) {
            const std::string root = dir / "www";
            const std::string p = std::to_string(port);
            const int null = ::open("/dev/null", O_WRONLY);  // its request log
            ::dup2(null, 1);
            ::dup2(null, 2);
            ::execlp("python3", "python3", "-m", "http.server", "--bind", "127.0.0.1",
                     "--directory", root.c_str(), p.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (std::chrono::steady_clock::now() < deadline) {
            const int s = ::socket(AF_INET, SOCK_STREAM, 0);
            sockaddr_in a{};
            a.sin_family = AF_INET;
            a.sin_port = htons(static_cast<uint16_t>(port));
            a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            const bool up = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
            ::close(s);
            if (up) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        FAIL("python3 -m http.server did not start");
    }
    // What the UI reports: the attract screen shown since `seconds_ago`.
    void attract_since(int seconds_ago) {
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        lapor::test::FakeClock clock(now - seconds_ago * 1000);
        auto store = lapor::open_store(dir / "data/kiosk.db", clock);
        store->set_health(lapor::HealthKey::screen, "attract");
    }
};

}  // namespace

TEST_CASE(
    "update FILE: refused before install for the store schema, a foreign key, another compatible") {
    Kiosk k;
    write(k.dir / "b.raucb", "bundle");
    k.info("lapor-kiosk-amd64", "1.2.0", lapor::store_schema_version + 1);
    auto r = k.kioskctl({"update", k.dir / "b.raucb"});
    CHECK(r.code == 1);
    CHECK(r.err.find("1.2.0 would migrate the database to schema") != std::string::npos);
    CHECK(k.calls().find("rauc info") != std::string::npos);
    CHECK(k.calls().find("rauc install") == std::string::npos);  // nothing written
    CHECK(k.state()["phase"] == "refused");

    write(k.dir / "info.rc", "1\n");
    r = k.kioskctl({"update", k.dir / "b.raucb"});
    CHECK(r.code == 1);
    CHECK(r.err.find("not signed by a key this kiosk trusts") != std::string::npos);

    write(k.dir / "info.rc", "0\n");
    k.info("lapor-kiosk-arm64", "1.1.0", lapor::store_schema_version);
    r = k.kioskctl({"update", k.dir / "b.raucb"});
    CHECK(r.code == 1);
    CHECK(r.err.find("is for lapor-kiosk-arm64, this kiosk is lapor-kiosk-amd64") !=
          std::string::npos);
    CHECK(k.calls().find("rauc install") == std::string::npos);

    CHECK(k.kioskctl({"update", k.dir / "missing.raucb"}).code == 3);
    CHECK(k.kioskctl({"update"}).code == 2);
    CHECK(k.kioskctl({"update", "--frobnicate"}).code == 2);
}

TEST_CASE("update FILE installs into the other slot and says how it starts") {
    Kiosk k;
    write(k.dir / "b.raucb", "bundle");
    const auto r = k.kioskctl({"update", k.dir / "b.raucb"});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("installed 1.1.0 into the other slot") != std::string::npos);
    CHECK(k.calls().find("rauc install " + (k.dir / "b.raucb")) != std::string::npos);
    const auto s = k.state();
    CHECK(s["phase"] == "installed");
    CHECK(s["target_version"] == "1.1.0");
    CHECK(s["previous_version"] == "1.0.0");
}

TEST_CASE("the timer: an empty update folder is not a failure; an unreachable one retries sooner") {
    Kiosk k;
    k.publish("1.1.0", lapor::store_schema_version);
    ::unlink((k.dir / "www/manifest.json").c_str());  // the folder is there, nothing published
    auto r = k.kioskctl({"update", "--timer"});
    CHECK_MESSAGE(r.code == 0, r.out << r.err);  // the unit does not end failed
    CHECK(r.out.find("no update published") != std::string::npos);
    CHECK(k.state()["failed_checks"] == 0);
    CHECK(k.calls().empty());

    k.attract_since(0);         // a store, so that doctor runs all its checks
    ::kill(k.server, SIGTERM);  // the folder's server goes away: a real failure, counted
    ::waitpid(k.server, nullptr, 0);
    k.server = -1;
    for (int i = 1; i <= 3; ++i) {
        CHECK(k.kioskctl({"doctor"}).out.find("update checks in a row failed") ==
              std::string::npos);
        r = k.kioskctl({"update", "--timer"});
        CHECK(r.code == 3);
        CHECK(r.out.find("cannot check for updates") != std::string::npos);
        CHECK(r.out.find("next try in") != std::string::npos);
        CHECK(k.state()["failed_checks"] == i);
    }
    const auto doctor = k.kioskctl({"doctor"});
    CHECK_MESSAGE(doctor.out.find("3 update checks in a row failed") != std::string::npos,
                  doctor.out);
    k.publish("1.0.0", lapor::store_schema_version);  // back, with the running version
    r = k.kioskctl({"update", "--timer"});
    CHECK_MESSAGE(r.code == 0, r.out << r.err);
    CHECK(r.out.find("up to date") != std::string::npos);
    CHECK(k.state()["failed_checks"] == 0);
}

TEST_CASE("the timer: manifest over HTTP, download, sha256, install, then reboot only when idle") {
    Kiosk k;
    // A manifest whose store schema a rollback could not read: refused, the bundle not fetched.
    k.publish("1.1.0", lapor::store_schema_version + 1);
    auto r = k.kioskctl({"update", "--timer"});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("REFUSED 1.1.0 would migrate the database") != std::string::npos);
    CHECK(k.calls().empty());
    CHECK(k.state()["phase"] == "refused");

    // A damaged download: the sha256 differs.
    k.publish("1.1.0", lapor::store_schema_version, std::string(64, 'e'));
    r = k.kioskctl({"update", "--timer"});
    CHECK(r.code == 3);
    CHECK(r.out.find("does not match the sha256 in manifest.json") != std::string::npos);
    CHECK(k.calls().find("rauc install") == std::string::npos);

    // The real thing: installed, but no attract-screen report from the UI: no reboot.
    k.publish("1.1.0", lapor::store_schema_version);
    r = k.kioskctl({"update", "--timer"});
    CHECK_MESSAGE(r.code == 0, r.err);
    CHECK(r.out.find("downloading b.raucb") != std::string::npos);
    CHECK(r.out.find("downloaded 1.1.0, sha256 ok") != std::string::npos);
    CHECK(r.out.find("installed 1.1.0 (running 1.0.0)") != std::string::npos);
    CHECK(r.out.find("has not reported the attract screen") != std::string::npos);
    CHECK(k.calls().find("rauc install " + (k.dir / "state/download.raucb")) != std::string::npos);
    CHECK(k.calls().find("systemctl reboot") == std::string::npos);
    CHECK(k.state()["phase"] == "installed");

    // A citizen just left: the attract screen for one minute is not enough.
    k.attract_since(60);
    r = k.kioskctl({"update", "--timer"});
    CHECK(r.out.find("waiting for the attract screen to be idle for 2 minutes") !=
          std::string::npos);
    CHECK(k.calls().find("systemctl reboot") == std::string::npos);

    // Three minutes on the attract screen: reboot now.
    k.attract_since(180);
    r = k.kioskctl({"update", "--timer"});
    CHECK(r.out.find("rebooting now") != std::string::npos);
    CHECK(k.calls().find("systemctl reboot") != std::string::npos);
    CHECK(k.state()["phase"] == "rebooting");
}

TEST_CASE(
    "boot steps: on trial, healthy -> marked good; unhealthy -> marked bad, reboot, rolled back") {
    Kiosk k;
    write(k.dir / "b.raucb", "bundle");
    REQUIRE(k.kioskctl({"update", k.dir / "b.raucb"}).code == 0);
    k.attract_since(600);  // a store, so `kioskctl status` can run
    for (const char* v : {"SERVICE_RESULT", "EXIT_CODE", "EXIT_STATUS"}) ::unsetenv(v);
    // The kiosk rebooted into slot B, on trial (systemd-boot counted one try).
    k.running("1.1.0");
    write(k.dir / "slot", "b\n");
    write(k.dir / "entries", "2 b 2 lapor-2-b+2-1.conf\n1 a - lapor-1-a.conf\n");
    auto r = k.kioskctl({"update", "--booted"});
    CHECK(r.code == 0);
    CHECK(k.state()["phase"] == "trial");
    // The update command waits for the health check.
    CHECK(k.kioskctl({"update", k.dir / "b.raucb"}).code == 2);

    SUBCASE("interrupted by a shutdown: nothing decided") {
        ::setenv("SERVICE_RESULT", "success", 1);  // SIGTERM counts as a clean exit
        ::setenv("EXIT_CODE", "killed", 1);
        ::setenv("EXIT_STATUS", "TERM", 1);
        r = k.kioskctl({"update", "--health-result"});
        CHECK(r.out.find("nothing decided") != std::string::npos);
        CHECK(k.calls().find("mark-") == std::string::npos);
        CHECK(k.state()["phase"] == "trial");
    }
    SUBCASE("healthy") {
        ::setenv("SERVICE_RESULT", "success", 1);
        ::setenv("EXIT_CODE", "exited", 1);
        ::setenv("EXIT_STATUS", "0", 1);
        r = k.kioskctl({"update", "--health-result"});
        CHECK(r.code == 0);
        CHECK(k.calls().find("rauc status mark-good booted") != std::string::npos);
        CHECK(k.state()["phase"] == "good");
        const auto st = k.kioskctl({"status"});
        CHECK_MESSAGE(
            st.out.find("update: version 1.1.0; updated: 1.0.0 -> 1.1.0") != std::string::npos,
            std::string(st.out + st.err));
    }
    SUBCASE("unhealthy: back to the previous slot by itself") {
        ::setenv("SERVICE_RESULT", "exit-code", 1);
        ::setenv("EXIT_CODE", "exited", 1);
        ::setenv("EXIT_STATUS", "1", 1);
        r = k.kioskctl({"update", "--health-result"});
        CHECK(k.calls().find("rauc status mark-bad booted") != std::string::npos);
        CHECK(k.calls().find("systemctl reboot") != std::string::npos);
        CHECK(k.state()["phase"] == "health_failed");
        // systemd-boot boots slot A again.
        k.running("1.0.0");
        write(k.dir / "slot", "a\n");
        write(k.dir / "entries", "1 a - lapor-1-a.conf\n2 b 0 lapor-2-b+0.conf\n");
        CHECK(k.kioskctl({"update", "--booted"}).code == 0);
        const auto s = k.state();
        CHECK(s["phase"] == "rolled_back");
        CHECK(s["rolled_back_from"] == "1.1.0");
        const auto st = k.kioskctl({"status"});
        CHECK_MESSAGE(st.out.find("update: rolled back: 1.1.0 -> 1.0.0") != std::string::npos,
                      std::string(st.out + st.err));
        // The office's monitoring counts it (LaporKioskRolledBack), once: a later boot of the
        // same slot is not another rollback.
        auto m = k.kioskctl({"metrics"});
        CHECK_MESSAGE(m.out.find("\nlapor_rollbacks_total 1\n") != std::string::npos, m.out);
        CHECK(k.kioskctl({"update", "--booted"}).code == 0);
        m = k.kioskctl({"metrics"});
        CHECK_MESSAGE(m.out.find("\nlapor_rollbacks_total 1\n") != std::string::npos, m.out);
        // The timer does not try 1.1.0 again.
        k.publish("1.1.0", lapor::store_schema_version);
        const auto t = k.kioskctl({"update", "--timer"});
        CHECK(t.out.find("1.1.0 rolled back on this kiosk; waiting for a newer version") !=
              std::string::npos);
    }
}
