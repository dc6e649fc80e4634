// kioskctl enroll --code CODE, kioskctl sync-now [--pid-file FILE] (sync issue #4).
// enroll trades a one-time code for the upload token itself (so a technician sees the answer at
// once), records the enrollment in device health, and wakes a running lapor-sync.
// sync-now sends SIGUSR1 to the lapor-sync named by the pid file: --pid-file, else
// $LAPOR_SYNC_PID_FILE, else /run/lapor-kiosk/lapor-sync.pid.
#include <signal.h>

#include <nlohmann/json.hpp>

#include <cerrno>
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

// True when a running lapor-sync was signalled; `why` says what happened either way.
bool wake(const std::string& pid_file, std::string& why) {
    const auto pid = sync::running_pid(pid_file, why);
    if (!pid) return false;
    if (::kill(*pid, SIGUSR1) != 0) {
        why = "cannot signal lapor-sync (pid " + std::to_string(*pid) +
              "): " + std::strerror(errno) + " (run as the lapor user or root)";
        return false;
    }
    why = "woke lapor-sync (pid " + std::to_string(*pid) + ")";
    return true;
}

}  // namespace

int cmd_enroll(const Globals& g, const std::vector<std::string>& args) {
    std::string code, pid_file = sync::default_pid_file();
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--code" && i + 1 < args.size())
            code = args[++i];
        else if (args[i] == "--pid-file" && i + 1 < args.size())
            pid_file = args[++i];
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
        wake(pid_file, woke);
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
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--pid-file" && i + 1 < args.size())
            pid_file = args[++i];
        else {
            std::cerr << "usage: kioskctl sync-now [--pid-file FILE]\n";
            return usage;
        }
    }
    std::string why;
    const bool ok_ = wake(pid_file, why);
    if (g.json)
        std::cout << nlohmann::json{{"woken", ok_}, {"message", why}}.dump(2) << "\n";
    else
        (ok_ ? std::cout : std::cerr) << (ok_ ? "" : "kioskctl sync-now: ") << why << "\n";
    return ok_ ? ok : environment;
}

}  // namespace lapor::ctl
