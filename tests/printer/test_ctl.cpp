// kioskctl receipt-preview and print-test, and the lapor-vprinter program, run as a technician
// would: the preview's QR decodes with zbarimg and `kioskctl verify` accepts it; print-test
// prints on lapor-vprinter, which records the job.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <regex>
#include <thread>

#include "escpos_checker.h"
#include "fixtures.h"
#include "qr_decode.h"

using namespace lapor::printer::test;

namespace {

struct Run {
    int rc = -1;
    std::string out;
};

Run sh(const std::string& cmd) {
    Run r;
    std::unique_ptr<FILE, decltype(&pclose)> p(popen((cmd + " 2>&1").c_str(), "r"), &pclose);
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p.get())) > 0) r.out.append(buf, n);
    const int status = pclose(p.release());
    r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

const std::string kioskctl = KIOSKCTL;

// Stops the child it was given when the test ends, however it ends.
struct Child {
    pid_t pid;
    ~Child() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            ::waitpid(pid, nullptr, 0);
        }
    }
    int stop() {
        int status = 0;
        ::kill(pid, SIGTERM);
        ::waitpid(pid, &status, 0);
        pid = -1;
        return status;
    }
};

}  // namespace

TEST_CASE("receipt-preview without a config: demo folder, PNG decodes, verify accepts it") {
    lapor::test::TempDir tmp;
    const std::string env =
        "cd '" + tmp.path() + "' && LAPOR_KIOSK_CONFIG='" + tmp.path() + "/none.toml' ";
    for (const char* profile : {"generic-80mm", "generic-58mm"}) {
        INFO(std::string(profile));
        const std::string png = tmp / (std::string(profile) + ".png");
        const std::string bin = tmp / (std::string(profile) + ".bin");
        const Run r = sh(env + kioskctl + " --json receipt-preview --profile " + profile +
                         " --out " + png + " --escpos " + bin);
        REQUIRE_MESSAGE(r.rc == 0, r.out);
        CHECK(r.out.find("using the demo kiosk") != std::string::npos);
        std::smatch m;
        REQUIRE(std::regex_search(r.out, m, std::regex("\"url\": \"([^\"]+)\"")));
        const std::string url = m[1];
        const auto read = zbarimg(png);
        std::string shown;
        for (const auto& t : read) shown += "[" + t + "]";
        INFO("url " << url << ", zbarimg read " << shown);
        CHECK(read == std::vector<std::string>{url});
        const auto c = check_escpos(slurp(bin));
        REQUIRE_MESSAGE(c.ok(), c.first_error());
        REQUIRE(c.rasters.size() == 1);
        CHECK(decode_qr(c.rasters[0]) == std::vector<std::string>{url});
        const Run v =
            sh(env + kioskctl + " verify '" + url + "' --pubkey var/demo/identity/device.pub");
        CHECK_MESSAGE(v.rc == 0, v.out);
        CHECK(v.out.find("GENUINE") != std::string::npos);
        // A tampered link is refused by the same check.
        std::string bad = url;
        bad[bad.find("&t=") + 4] = bad[bad.find("&t=") + 4] == '1' ? '2' : '1';
        CHECK(
            sh(env + kioskctl + " verify '" + bad + "' --pubkey var/demo/identity/device.pub").rc ==
            1);
    }
    const Run u = sh(env + kioskctl + " receipt-preview");
    CHECK(u.rc == 2);
    CHECK(u.out.find("--out") != std::string::npos);
    const Run p = sh(env + kioskctl + " receipt-preview --profile nope --out x.png");
    CHECK(p.rc == 3);
    CHECK(p.out.find("generic-58mm") != std::string::npos);
}

TEST_CASE("lapor-vprinter records what kioskctl print-test sends") {
    lapor::test::TempDir tmp;
    const std::string rec = tmp / "rec";
    const std::string log = tmp / "vprinter.log";
    REQUIRE(sh("mkdir -p '" + rec + "'").rc == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        FILE* f = std::freopen(log.c_str(), "w", stdout);
        (void)f;
        ::execl(VPRINTER, VPRINTER, "--listen", "127.0.0.1:0", "--record", rec.c_str(), "--profile",
                "generic-80mm", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    Child child{pid};
    std::string transport;
    for (int i = 0; i < 200 && transport.empty(); ++i) {
        std::smatch m;
        const std::string text = slurp(log);
        if (std::regex_search(text, m, std::regex("(tcp:127\\.0\\.0\\.1:[0-9]+)")))
            transport = m[1];
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE_MESSAGE(!transport.empty(), slurp(log));

    // The demo's config, pointed at this printer.
    const std::string env =
        "cd '" + tmp.path() + "' && LAPOR_KIOSK_CONFIG='" + tmp.path() + "/none.toml' ";
    REQUIRE(sh(env + kioskctl + " receipt-preview --out x.png").rc == 0);
    std::string cfg = slurp(tmp / "var/demo/kiosk.toml");
    cfg = std::regex_replace(cfg, std::regex("tcp:127\\.0\\.0\\.1:19100"), transport);
    std::ofstream(tmp / "kiosk.toml") << cfg;
    const Run r = sh(env + kioskctl + " --config kiosk.toml print-test");
    CHECK_MESSAGE(r.rc == 0, r.out);
    CHECK(r.out.find("test page: printed") != std::string::npos);
    CHECK(r.out.find("printer state: ok") != std::string::npos);

    const int status = child.stop();
    CHECK(WIFEXITED(status));
    // Connection 1 asked the status for the page's header; connection 2 printed it.
    CHECK(slurp(rec + "/job-0001.bin") == std::string("\x10\x04\x01\x10\x04\x02\x10\x04\x04", 9));
    const auto c = check_escpos(slurp(rec + "/job-0002.bin"));
    REQUIRE_MESSAGE(c.ok(), c.first_error());
    CHECK(c.text.find("PRINTER TEST PAGE") != std::string::npos);
    CHECK(zbarimg(rec + "/job-0002.png") == std::vector<std::string>{"https://lapor.go.id/"});

    // Nobody listening any more: print-test says offline and exits 3.
    const Run off = sh(env + kioskctl + " --config kiosk.toml print-test");
    CHECK(off.rc == 3);
    CHECK(off.out.find("offline") != std::string::npos);
}

TEST_CASE("lapor-vprinter refuses a bad port, a bad profile and --pty --record (exit 2)") {
    lapor::test::TempDir tmp;
    const std::string vprinter = VPRINTER;
    for (const char* bad : {"127.0.0.1:99999", "127.0.0.1:19100abc", "127.0.0.1:abc",
                            "127.0.0.1:", "127.0.0.1:-1", "127.0.0.1"}) {
        INFO(bad);
        const Run r = sh(vprinter + " --listen '" + bad + "' </dev/null");
        CHECK(r.rc == 2);
        CHECK(r.out.find("--listen needs HOST:PORT") != std::string::npos);
        CHECK(r.out.find("stoi") == std::string::npos);
    }
    const Run p =
        sh(vprinter + " --listen 127.0.0.1:0 --record '" + tmp / "rec" + "' --profile nope");
    CHECK(p.rc == 2);
    CHECK(p.out.find("generic-58mm") != std::string::npos);  // names the known profiles
    const Run t = sh(vprinter + " --pty --record '" + tmp / "rec" + "'");
    CHECK(t.rc == 2);
    CHECK(t.out.find("--record works only with --listen") != std::string::npos);
}

TEST_CASE("print-test --wait takes a whole number of seconds") {
    lapor::test::TempDir tmp;
    const std::string env = "cd '" + tmp.path() + "' && ";
    for (const char* bad : {"5s", "0", "-3", "x", ""}) {
        INFO(bad);
        const Run r = sh(env + kioskctl + " print-test --wait '" + bad + "'");
        CHECK(r.rc == 2);
        CHECK(r.out.find("--wait needs a whole number of seconds") != std::string::npos);
    }
    const Run r = sh(env + kioskctl + " print-test --wait");  // no value: not "unknown argument"
    CHECK(r.rc == 2);
    CHECK(r.out.find("--wait needs a whole number of seconds") != std::string::npos);
    CHECK(r.out.find("unknown argument") == std::string::npos);
}
