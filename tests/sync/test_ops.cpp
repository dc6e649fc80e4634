// Operations: every lapor-sync log line carries its syslog priority (failures that retry are
// warnings, a refused token is an error, an upload is info); report lines never carry citizen
// data; `kioskctl sync-now` wakes the daemon and never signals a process a planted pid file names.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "log.h"
#include "sync_checks.h"
#include "tracking.h"

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

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) out.push_back(l);
    return out;
}

int count_with(const std::vector<std::string>& lines, const std::string& prefix,
               const std::string& words) {
    int n = 0;
    for (const auto& l : lines) n += l.rfind(prefix, 0) == 0 && l.find(words) != l.npos;
    return n;
}

}  // namespace

TEST_CASE("log lines: journal fields carry the priority and a tracking code, never other text") {
    const std::string raw = std::string("JK017K3M9QX2") + tracking_check_char("JK017K3M9QX2");
    const std::string code = format_tracking(raw);
    std::string typed = code;  // as a person types it: lower case, spaces
    for (char& c : typed) c = c == '-' ? ' ' : static_cast<char>(std::tolower(c));
    const auto f = journal_fields(Priority::err, "lapor-sync", code + ": refused\nx", typed);
    CHECK(f[0] == "MESSAGE=" + code + ": refused x");
    CHECK(f[1] == "PRIORITY=3");
    CHECK(f[2] == "SYSLOG_IDENTIFIER=lapor-sync");
    REQUIRE(f.size() == 4);
    CHECK(f[3] == "LAPOR_TRACKING=" + code);
    // Something that is not a tracking code (a title, a NIK, a wrong check character) never
    // becomes a field.
    std::string wrong_check = raw;
    wrong_check[12] = raw[12] == 'W' ? 'X' : 'W';
    for (const std::string& not_code :
         {std::string("Jalan rusak di depan pasar"), std::string("3174015507900001"), wrong_check})
        CHECK(journal_fields(Priority::info, "lapor-sync", "m", not_code).size() == 3);
    CHECK(prefixed_line(Priority::warning, "lapor-sync", "a\nb") == "<4>lapor-sync: a b");
    ::unsetenv("JOURNAL_STREAM");
    CHECK_FALSE(stderr_is_journal());
}

TEST_CASE("lapor-sync: every line has a priority; retries warn, a revoked token is an error") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki, {"--retry-after", "0", "--fault", "http_503:2"});
    KioskSettings s;
    s.backoff_base_s = 0.05;
    s.backoff_cap_s = 0.1;
    s.batch_max = 1;  // one attempt per request: the counts below are exact
    Kiosk k(lab, s);
    REQUIRE(k.enroll_with_kioskctl(lab) == 0);
    k.add_reports(4);
    Running sync{k.start_sync()};
    REQUIRE(k.wait_for([&] { return k.count(OutboxState::accepted) == 4; }, 60'000));
    REQUIRE(lab.ctl->post("/lab/revoke?kiosk=TEST-KIOSK-01") == 204);
    k.add_reports(1);
    REQUIRE(k.wait_for(
        [&] {
            return k.sync_log().find("uploads stop until the kiosk is enrolled again") !=
                   std::string::npos;
        },
        20'000));
    CHECK(k.wait_for(
        [&] {
            const auto t = read_text_file(k.tmp / "lapor.prom").value_or("");
            return t.find("\nlapor_reports{state=\"accepted\"} 4\n") != std::string::npos &&
                   t.find("\nlapor_enrollment_state{state=\"needs_reenrollment\"} 1\n") !=
                       std::string::npos;
        },
        20'000));
    ::kill(sync.pid, SIGTERM);
    CHECK(wait_exit(sync.pid) == 0);
    sync.pid = -1;

    const auto log = k.sync_log();
    INFO("lapor-sync log:\n" << log.substr(0, 4000));
    const auto lines = lines_of(log);
    REQUIRE(lines.size() >= 6);
    for (const auto& l : lines) {
        CHECK_MESSAGE(l.size() > 3, l);
        CHECK_MESSAGE((l[0] == '<' && l[1] >= '0' && l[1] <= '7' && l[2] == '>'), l);
        CHECK_MESSAGE(l.find(">lapor-sync: ") == 2, l);
    }
    CHECK(count_with(lines, "<6>", "uploaded ") == 4);
    CHECK(count_with(lines, "<4>", "(next try in ") >= 1);
    CHECK(count_with(lines, "<3>", "uploads stop until the kiosk is enrolled again") >= 1);
    CHECK(count_with(lines, "<6>", "stopped") == 1);
    // No error-priority line for what healed by itself.
    CHECK(count_with(lines, "<3>", "503") == 0);

    // lapor-sync wrote the metrics for the node exporter ([metrics] textfile_dir, every
    // interval_s = 1 here, 0644). It was stopped above, so its last file is final.
    const std::string prom = k.tmp / "lapor.prom";
    const auto text = read_text_file(prom).value_or("");
    INFO("lapor.prom:\n" << text);
    CHECK(text.find("\nlapor_reports{state=\"accepted\"} 4\n") != std::string::npos);
    // Two 503s, then the fifth report's 401 after the revocation.
    CHECK(text.find("\nlapor_upload_attempts_total{outcome=\"failed\"} 3\n") != std::string::npos);
    CHECK(text.find("\nlapor_enrollment_state{state=\"needs_reenrollment\"} 1\n") !=
          std::string::npos);
    struct stat st {};
    REQUIRE(::stat(prom.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0644);
}

TEST_CASE("sync-now wakes lapor-sync and never signals what a planted pid file names") {
    TempDir tmp, labdir;
    const Pki pki(tmp.path());
    Lab lab(labdir.path(), pki);
    Kiosk k(lab);
    const auto ctl = [&](std::vector<std::string> a) {
        a.insert(a.begin(), {KIOSKCTL, "--config", k.config_path});
        return wait_exit(spawn(a, k.tmp / "kioskctl.log"));
    };
    Running sync{k.start_sync()};
    REQUIRE(k.wait_for([&] { return read_text_file(k.pid_file()).has_value(); }, 10'000));
    CHECK(ctl({"sync-now", "--pid-file", k.pid_file()}) == 0);
    CHECK(k.wait_for([&] { return k.sync_log().find("woken (sync-now)") != std::string::npos; },
                     10'000));

    // A process that is not lapor-sync holds the lock of a pid file that names it (what the
    // service user could plant in /run/lapor-kiosk): sync-now refuses and the process lives.
    const std::string planted = k.tmp / "planted.pid";
    const pid_t victim =
        spawn({"/usr/bin/flock", planted, "/bin/sleep", "60"}, k.tmp / "victim.log");
    REQUIRE(k.wait_for(
        [&] {
            const int fd = ::open(planted.c_str(), O_RDONLY);
            if (fd < 0) return false;
            const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0;
            ::close(fd);
            return held;
        },
        10'000));
    // flock runs sleep as its child; name the child, as an attacker would name any process.
    std::string child;
    REQUIRE(k.wait_for(
        [&] {
            child = read_text_file("/proc/" + std::to_string(victim) + "/task/" +
                                   std::to_string(victim) + "/children")
                        .value_or("");
            return !child.empty();
        },
        10'000));
    const pid_t sleeper = static_cast<pid_t>(std::stol(child));
    {  // in place: the lock belongs to this inode
        std::ofstream out(planted, std::ios::trunc);
        out << sleeper << "\n";
    }
    CHECK(ctl({"sync-now", "--pid-file", planted}) == 3);
    CHECK(read_text_file(k.tmp / "kioskctl.log")
              .value_or("")
              .find("refusing to signal pid " + std::to_string(sleeper)) != std::string::npos);
    CHECK(::kill(sleeper, 0) == 0);  // still alive: no SIGHUP reached it
    ::kill(victim, SIGKILL);
    ::kill(sleeper, SIGKILL);
    wait_exit(victim);
}
