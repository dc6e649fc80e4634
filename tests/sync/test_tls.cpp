// Certificates, tokens and the daemon's life: a wrong CA and an expired certificate refuse with
// a clear error and send nothing; 401 stops uploads and re-enrollment (kioskctl enroll) resumes
// them; first-boot enrollment from identity/enroll_code; sync-now; SIGTERM.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <atomic>
#include <thread>

#include <algorithm>

#include "sync_checks.h"

using namespace lapor;
using namespace lapor::test;

namespace {

struct Running {
    pid_t pid;
    ~Running() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            wait_exit(pid);
        }
    }
};

int answers(Lab& lab, const char* status) {
    const auto s = lab.ctl->stats();
    return s["answers"].contains(status) ? s["answers"][status].get<int>() : 0;
}

}  // namespace

TEST_CASE("a wrong CA or an expired certificate: nothing is sent, the error says why") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    Kiosk k(lab);
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);
    k.add_reports(20);

    SUBCASE("wrong CA") {
        KioskSettings s;
        s.ca = "other_ca.pem";
        k.write_config(lab, s);
    }
    SUBCASE("a pin that does not match the server's key") {
        KioskSettings s;
        s.pin_sha256 = pki.pin_of("wrong");
        k.write_config(lab, s);
    }
    SUBCASE("expired certificate") {
        lab.stop();
        lab.port = 0;
        lab.start({}, "expired");
        k.write_config(lab, {});
    }
    Running sync{k.start_sync()};
    CHECK(k.wait_for(
        [&] {
            const auto e = k.health(HealthKey::last_error);
            return e.find("NOT accepted") != std::string::npos ||
                   e.find("pin_sha256") != std::string::npos;
        },
        20'000));
    sleep_ms(300);
    CHECK(lab.ctl->stats()["reports"].get<int>() == 0);
    CHECK(k.count(OutboxState::accepted) == 0);
    CHECK(k.unsent() == 20);
    const auto err = k.health(HealthKey::last_error);
    INFO(err);
    CHECK(err.find("nothing was sent") != std::string::npos);
    const bool expired_words = err.find("expired") != std::string::npos;
    const bool issuer_words = err.find("local issuer") != std::string::npos ||
                              err.find("unable to get") != std::string::npos;
    const bool pin_words = err.find("does not match upload.pin_sha256") != std::string::npos;
    CHECK((expired_words || issuer_words || pin_words));
}

TEST_CASE("401 stops uploads; kioskctl enroll resumes them (with the right key pinned)") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    KioskSettings pinned;
    pinned.pin_sha256 = pki.pin_of("server");
    REQUIRE(pinned.pin_sha256.size() == 44);
    pinned.batch_max = 1;  // one report per request: the revocation comes mid-queue
    Kiosk k(lab, pinned);
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);
    struct stat st {};
    REQUIRE(::stat(k.config.token_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    k.add_reports(300);
    Running sync{k.start_sync(false, 2)};
    REQUIRE(k.wait_for([&] { return k.count(OutboxState::accepted) >= 30; }, 30'000));
    REQUIRE(lab.ctl->post("/lab/revoke?kiosk=TEST-KIOSK-01") == 204);
    REQUIRE(k.wait_for(
        [&] { return k.health(HealthKey::enrollment_state).rfind("needs re-enrollment", 0) == 0; },
        20'000));
    sleep_ms(200);
    const int refused = answers(lab, "401");
    const int accepted = k.count(OutboxState::accepted);
    sleep_ms(700);
    CHECK(answers(lab, "401") == refused);  // stopped: no more attempts
    CHECK(refused <= 2);                    // at most the uploads in flight when it came
    CHECK(k.count(OutboxState::accepted) == accepted);
    CHECK(accepted < 300);
    CHECK(k.sync_log().find("uploads stop until the kiosk is enrolled again") != std::string::npos);

    // A bad code in identity/enroll_code is refused (the worker retries it with backoff);
    // kioskctl enroll with a fresh code gives a new token and wakes the worker.
    k.set_code("0000-0000-0000");
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);  // wakes lapor-sync through the pid file
    CHECK(k.wait_for([&] { return k.count(OutboxState::accepted) == 300; }, 60'000));
    CHECK(k.health(HealthKey::enrollment_state) == "enrolled");
    check_exactly_once(k, lab);
}

TEST_CASE("first boot: enrollment from identity/enroll_code never blocks the queue") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    Kiosk k(lab);
    k.add_reports(10);
    Running sync{k.start_sync()};
    REQUIRE(k.wait_for(
        [&] { return k.health(HealthKey::enrollment_state).rfind("not enrolled", 0) == 0; },
        10'000));
    CHECK(k.count(OutboxState::queued) == 10);
    // A wrong code is refused once and not sent again (the backoff here is milliseconds, so a
    // retry would show within the wait below); then a new code works.
    k.set_code("ZZZZ-ZZZZ-ZZZZ");
    REQUIRE(k.wait_for(
        [&] {
            return k.health(HealthKey::last_error).find("enrollment code was refused") !=
                   std::string::npos;
        },
        10'000));
    CHECK(k.health(HealthKey::last_error).find("run kioskctl enroll --code CODE") !=
          std::string::npos);
    CHECK(k.health(HealthKey::enrollment_state)
              .rfind("not enrolled: the enrollment code was "
                     "refused",
                     0) == 0);
    sleep_ms(1500);
    {
        const auto log = k.sync_log();
        std::size_t refusals = 0;
        for (auto at = log.find("enrollment code was refused"); at != std::string::npos;
             at = log.find("enrollment code was refused", at + 1))
            ++refusals;
        INFO("lapor-sync log:\n" << log);
        CHECK(refusals == 1);
    }
    k.add_reports(5);  // the UI keeps saving meanwhile
    k.set_code(lab.issue_code("TEST-KIOSK-01"));
    REQUIRE(k.wait_for([&] { return k.count(OutboxState::accepted) == 15; }, 30'000));
    CHECK(!read_text_file(k.config.enroll_code_path()));  // deleted once enrolled
    struct stat st {};
    REQUIRE(::stat(k.config.token_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    check_exactly_once(k, lab);

    // sync-now reaches the running daemon through the pid file; SIGTERM ends it cleanly.
    const auto ctl = [&](std::vector<std::string> a) {
        a.insert(a.begin(), {KIOSKCTL, "--config", k.config_path});
        return wait_exit(spawn(a, k.tmp / "kioskctl.log"));
    };
    CHECK(ctl({"sync-now", "--pid-file", k.pid_file()}) == 0);
    CHECK(k.wait_for([&] { return k.sync_log().find("woken (sync-now)") != std::string::npos; },
                     5'000));
    CHECK(ctl({"sync-now", "--pid-file", k.tmp / "nobody.pid"}) == 3);
    ::kill(sync.pid, SIGTERM);
    CHECK(wait_exit(sync.pid) == 0);
    sync.pid = -1;
    CHECK(!read_text_file(k.pid_file()));
    CHECK(ctl({"sync-now", "--pid-file", k.pid_file()}) == 3);
}

TEST_CASE("under systemd: READY=1 at start, WATCHDOG=1 pings, STOPPING=1 on SIGTERM") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    Kiosk k(lab);
    const std::string sock_path = k.tmp / "notify.sock";
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock_path.c_str());
    REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const pid_t pid =
        spawn({LAPOR_SYNC, "--config", k.config_path, "--pid-file", k.pid_file()},
              k.tmp / "sync.log", {{"NOTIFY_SOCKET", sock_path}, {"WATCHDOG_USEC", "100000"}});
    std::vector<std::string> got;
    for (int i = 0; i < 4; ++i) {
        char buf[256];
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.emplace_back(buf, static_cast<std::size_t>(n));
    }
    ::kill(pid, SIGTERM);
    CHECK(wait_exit(pid) == 0);
    bool stopping = false;
    for (;;) {  // everything sent before it exited is queued on the socket
        char buf[256];
        const auto n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n <= 0) break;
        stopping =
            stopping || std::string(buf, static_cast<std::size_t>(n)).rfind("STOPPING=1", 0) == 0;
    }
    ::close(fd);
    REQUIRE(got.size() == 4);
    CHECK(got[0].rfind("READY=1", 0) == 0);
    CHECK(std::count(got.begin(), got.end(), std::string("WATCHDOG=1")) >= 2);
    CHECK(stopping);
}

namespace {

// A minimal HTTP CONNECT proxy on 127.0.0.1 (one thread per tunnel) that counts its tunnels.
class ConnectProxy {
public:
    ConnectProxy() {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&a), sizeof a);
        ::listen(listen_fd_, 16);
        socklen_t len = sizeof a;
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port = ntohs(a.sin_port);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~ConnectProxy() {
        ::shutdown(listen_fd_, SHUT_RDWR);
        ::close(listen_fd_);
        acceptor_.join();
        for (auto& t : tunnels_) t.join();
    }
    int port = 0;
    std::atomic<int> tunnels{0};

private:
    void accept_loop() {
        for (;;) {
            const int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) return;
            tunnels_.emplace_back([this, c] { tunnel(c); });
        }
    }
    void tunnel(int c) {
        std::string head;
        char ch = 0;
        while (head.find("\r\n\r\n") == std::string::npos && ::read(c, &ch, 1) == 1) head += ch;
        int target_port = 0;
        if (std::sscanf(head.c_str(), "CONNECT 127.0.0.1:%d", &target_port) != 1) {
            ::close(c);
            return;
        }
        const int u = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(static_cast<std::uint16_t>(target_port));
        if (::connect(u, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) {
            ::close(c), ::close(u);
            return;
        }
        ++tunnels;
        const std::string ok = "HTTP/1.1 200 Connection established\r\n\r\n";
        (void)::write(c, ok.data(), ok.size());
        std::thread back([c, u] { pump(u, c); });
        pump(c, u);
        back.join();
        ::close(c), ::close(u);
    }
    static void pump(int from, int to) {
        char buf[16384];
        for (;;) {
            const auto n = ::read(from, buf, sizeof buf);
            if (n <= 0 || ::write(to, buf, static_cast<std::size_t>(n)) != n) break;
        }
        ::shutdown(to, SHUT_WR);
    }
    int listen_fd_ = -1;
    std::thread acceptor_;
    std::vector<std::thread> tunnels_;
};

}  // namespace

TEST_CASE("upload.proxy is used; the environment's proxy variables are not") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    ConnectProxy proxy;
    KioskSettings s;
    s.proxy = "http://127.0.0.1:" + std::to_string(proxy.port);
    Kiosk k(lab, s);
    k.set_code(lab.issue_code("TEST-KIOSK-01"));
    k.add_reports(20);
    CHECK(wait_exit(k.start_sync(true)) == 0);
    CHECK(proxy.tunnels > 0);
    check_exactly_once(k, lab);

    // Without upload.proxy, a proxy in the environment (here one that does not exist) is ignored.
    k.write_config(lab, {});
    k.add_reports(5);
    const pid_t pid = spawn(
        {LAPOR_SYNC, "--config", k.config_path, "--pid-file", k.pid_file(), "--exit-when-idle"},
        k.tmp / "sync.log",
        {{"https_proxy", "http://127.0.0.1:9"},
         {"HTTPS_PROXY", "http://127.0.0.1:9"},
         {"ALL_PROXY", "http://127.0.0.1:9"}});
    CHECK(wait_exit(pid) == 0);
    check_exactly_once(k, lab);
}

TEST_CASE("usage errors: exit 2 with the usage, never an abort") {
    const auto run = [](std::vector<std::string> argv) {
        TempDir t;
        const int rc = wait_exit(spawn(argv, t / "out.log"));
        return std::make_pair(rc, read_text_file(t / "out.log").value_or(""));
    };
    for (const char* bad : {"x", "4x", "", "99999999999999999999"}) {
        CAPTURE(bad);
        const auto [rc, out] = run({LAPOR_SYNC, "--max-in-flight", bad});
        CHECK(rc == 2);
        CHECK(out.find("usage: lapor-sync") != std::string::npos);
    }
    const auto [rc17, out17] = run({LAPOR_SYNC, "--max-in-flight", "17"});
    CHECK(rc17 == 2);
    CHECK(out17.find("must be 1-16") != std::string::npos);
    // --pid-file without its value is a usage error for enroll, as for sync-now.
    for (const char* cmd : {"enroll", "sync-now"}) {
        CAPTURE(cmd);
        std::vector<std::string> argv = {KIOSKCTL, cmd};
        if (std::string(cmd) == "enroll") argv.insert(argv.end(), {"--code", "ABCD-EFGH-JKLM"});
        argv.push_back("--pid-file");
        const auto [rc, out] = run(argv);
        CHECK(rc == 2);
        CHECK(out.find(std::string("usage: kioskctl ") + cmd) != std::string::npos);
    }
}
