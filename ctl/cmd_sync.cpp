// kioskctl enroll --code CODE, kioskctl sync-now [--pid-file FILE] (sync issue #4).
// enroll trades a one-time code for the upload token itself (so a technician sees the answer at
// once), records the enrollment in device health, and wakes a running lapor-sync.
// sync-now wakes lapor-sync. On a systemd machine it runs `systemctl reload lapor-sync` (the unit
// sends the daemon SIGHUP): systemd knows the real process, no file has to be trusted. Elsewhere
// (the demo, tests, or --pid-file given) it sends SIGHUP to the process the pid file names, after
// checking through a pidfd that it is lapor-sync run by the file's owner (sync/daemon.h).
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "commands.h"
#include "config.h"
#include "daemon.h"
#include "endpoint_url.h"
#include "enroll.h"
#include "http.h"
#include "store.h"

namespace lapor::ctl {
namespace {

bool systemd_running() {
    struct stat st {};
    return ::stat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

// `systemctl reload lapor-sync.service`, without a shell; true when systemctl said yes.
bool systemctl_reload(std::string& why) {
    const char* argv[] = {"systemctl", "reload", "lapor-sync.service", nullptr};
    pid_t pid = -1;
    if (::posix_spawnp(&pid, "systemctl", nullptr, nullptr, const_cast<char* const*>(argv),
                       environ) != 0) {
        why = std::string("cannot run systemctl: ") + std::strerror(errno);
        return false;
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        why = "woke lapor-sync (systemctl reload lapor-sync)";
        return true;
    }
    why =
        "systemctl reload lapor-sync failed: lapor-sync is not running, or you may not reload "
        "it (run as root; `systemctl status lapor-sync` says why)";
    return false;
}

// True when a running lapor-sync was woken; `why` says what happened either way.
// `pid_file_given`: the caller named a pid file (--pid-file or $LAPOR_SYNC_PID_FILE).
bool wake(const std::string& pid_file, bool pid_file_given, std::string& why) {
    if (!pid_file_given && systemd_running()) return systemctl_reload(why);
    const auto pid = sync::signal_running(pid_file, SIGHUP, why);
    if (!pid) return false;
    why = "woke lapor-sync (pid " + std::to_string(*pid) + ")";
    return true;
}

bool pid_file_from_env() {
    const char* env = std::getenv("LAPOR_SYNC_PID_FILE");
    return env && *env;
}

}  // namespace

int cmd_enroll(const Globals& g, const std::vector<std::string>& args) {
    std::string code, pid_file = sync::default_pid_file();
    bool pid_file_given = pid_file_from_env();
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--code" && i + 1 < args.size())
            code = args[++i];
        else if (args[i] == "--pid-file" && i + 1 < args.size())
            pid_file = args[++i], pid_file_given = true;
        else {
            std::cerr << "usage: kioskctl enroll --code CODE [--pid-file FILE]\n";
            return usage;
        }
    }
    if (code.empty()) {
        std::cerr << "usage: kioskctl enroll --code CODE (the code comes from the national "
                     "system, e.g. `lapor-lab issue-code --kiosk ID`)\n";
        return usage;
    }
    const Config c = load_config(g.config_path.empty() ? default_config_path() : g.config_path);
    if (std::string problem; !sync::parse_endpoint(c.upload.endpoint, problem)) {
        std::cerr << "kioskctl enroll: " << c.source << ": " << problem << "\n";
        return environment;
    }
    auto http = sync::make_curl_client(sync::HttpSettings::from(c));
    const auto out = sync::enroll(c, *http, code);
    const bool enrolled = out.kind == sync::EnrollOutcome::enrolled;
    std::string woke;
    if (enrolled) {
        SystemClock clock;
        auto store = open_store(c.db_path(), clock);
        store->set_health(HealthKey::enrollment_state, sync::state_enrolled);
        store->audit("kioskctl", "enroll",
                     "kiosk " + c.kiosk.id + " enrolled at " + c.upload.endpoint);
        wake(pid_file, pid_file_given, woke);
    }
    if (g.json) {
        std::cout << nlohmann::json{{"enrolled", enrolled},
                                    {"message", out.words},
                                    {"token_file", c.token_path()},
                                    {"sync", woke}}
                         .dump(2)
                  << "\n";
    } else if (enrolled) {
        std::cout << out.words << "; token saved in " << c.token_path() << " (0600)\n"
                  << woke << "\n";
    } else {
        std::cerr << "kioskctl enroll: " << out.words << "\n";
    }
    if (enrolled) return ok;
    return out.kind == sync::EnrollOutcome::refused ? check_failed : environment;
}

int cmd_sync_now(const Globals& g, const std::vector<std::string>& args) {
    std::string pid_file = sync::default_pid_file();
    bool pid_file_given = pid_file_from_env();
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--pid-file" && i + 1 < args.size())
            pid_file = args[++i], pid_file_given = true;
        else {
            std::cerr << "usage: kioskctl sync-now [--pid-file FILE]\n";
            return usage;
        }
    }
    std::string why;
    const bool ok_ = wake(pid_file, pid_file_given, why);
    if (g.json)
        std::cout << nlohmann::json{{"woken", ok_}, {"message", why}}.dump(2) << "\n";
    else
        (ok_ ? std::cout : std::cerr) << (ok_ ? "" : "kioskctl sync-now: ") << why << "\n";
    return ok_ ? ok : environment;
}

}  // namespace lapor::ctl
