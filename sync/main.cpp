// lapor-sync: the upload daemon. Wires the config, the store, libcurl and the worker; signals
// arrive on a signalfd (TERM/INT stop, HUP from `systemctl reload` and USR1 wake). docs/sync.md.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "config.h"
#include "crypto.h"
#include "daemon.h"
#include "endpoint_url.h"
#include "hardening.h"
#include "http.h"
#include "log.h"
#include "metrics_writer.h"
#include "store.h"
#include "version.h"
#include "worker.h"

namespace {

// Restarted soon after the previous start (a crash loop): wait the growing delay
// (sync/daemon.h) before touching anything, still answering SIGTERM. False when told to stop.
bool wait_after_quick_restart(const std::string& pid_path, int sfd) {
    const auto slash = pid_path.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : pid_path.substr(0, slash);
    timespec ts{};
    ::clock_gettime(CLOCK_BOOTTIME, &ts);
    const std::int64_t now = ts.tv_sec * 1000LL + ts.tv_nsec / 1'000'000;
    const auto delay = lapor::sync::restart_delay_ms(dir + "/lapor-sync.starts", now);
    if (delay <= 0) return true;
    lapor::log_line(lapor::Priority::warning,
                    "restarted soon after the last start: waiting " + std::to_string(delay / 1000) +
                        " s before starting again (the delay grows at each quick restart, up to "
                        "5 minutes)");
    lapor::sync::notify_systemd("EXTEND_TIMEOUT_USEC=" + std::to_string((delay + 30'000) * 1000) +
                                "\nSTATUS=waiting after a quick restart");
    pollfd p{sfd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(delay)) > 0) {
        signalfd_siginfo si{};
        while (::read(sfd, &si, sizeof si) == static_cast<ssize_t>(sizeof si))
            if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace lapor;
    if (print_version_if_asked(argc, argv, "lapor-sync")) return 0;
    set_log_identifier("lapor-sync");
    make_undumpable();  // before anything else: it holds the upload token
    std::string config_path, pid_path = sync::default_pid_file();
    sync::WorkerOptions opt;
    const std::vector<std::string> args(argv + 1, argv + argc);
    auto usage = [] {
        std::cerr << "usage: lapor-sync [--config FILE] [--pid-file FILE] [--max-in-flight N] "
                     "[--exit-when-idle]\n(defaults: $LAPOR_KIOSK_CONFIG or "
                     "/etc/lapor-kiosk/kiosk.toml; $LAPOR_SYNC_PID_FILE or "
                     "/run/lapor-kiosk/lapor-sync.pid)\n";
        return 2;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        const bool has_value = i + 1 < args.size();
        if (a == "--config" && has_value)
            config_path = args[++i];
        else if (a == "--pid-file" && has_value)
            pid_path = args[++i];
        else if (a == "--max-in-flight" && has_value) {
            // A number and nothing else: "x", "4x" or an overflow is a usage error, not an abort.
            const auto& v = args[++i];
            std::size_t used = 0;
            try {
                opt.max_in_flight = std::stoi(v, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used == 0 || used != v.size()) {
                std::cerr << "lapor-sync: --max-in-flight needs a number 1-16, not \"" << v
                          << "\"\n";
                return usage();
            }
        } else if (a == "--exit-when-idle")
            opt.exit_when_idle = true;
        else
            return usage();
    }
    if (opt.max_in_flight < 1 || opt.max_in_flight > 16) {
        std::cerr << "lapor-sync: --max-in-flight must be 1-16\n";
        return 2;
    }
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGTERM, SIGINT, SIGUSR1, SIGHUP}) sigaddset(&set, s);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    const int sfd = ::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    try {
        crypto_init();
        const Config c = load_config(config_path.empty() ? default_config_path() : config_path);
        // The endpoint as curl will read it (userinfo, plain http to a non-loopback host): a
        // config error, so no restart loop (exit 2).
        if (std::string problem; !sync::parse_endpoint(c.upload.endpoint, problem))
            throw ConfigError(c.source + ": " + problem);
        sync::PidFile pid(pid_path);
        // Only as the systemd service (the unit sets this): tests and the demo restart at will.
        if (std::getenv("LAPOR_SYNC_RESTART_BACKOFF") && !wait_after_quick_restart(pid_path, sfd))
            return 0;
        SystemClock clock;
        auto store = open_store(c.db_path(), clock);
        sync::HttpSettings hs = sync::HttpSettings::from(c);
        hs.max_in_flight = opt.max_in_flight;
        auto http = sync::make_curl_client(hs);
        sync::Worker worker(c, *store, *http, clock, opt);
        sync::MetricsWriter metrics(c, clock);  // lapor.prom for the node exporter, every minute
        return worker.run(sfd);
    } catch (const ConfigError& e) {
        log_line(Priority::err, e.what());
        return 2;
    } catch (const std::exception& e) {
        log_line(Priority::err, e.what());
        return 3;
    }
}
