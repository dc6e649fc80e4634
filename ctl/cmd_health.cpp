// kioskctl health: the check after each boot that decides whether a newly installed slot is
// kept (lapor-health.service runs it as the service user; kiosk/boot_health.h has the rules),
// and kioskctl hostname (lapor-identity.service names the kiosk after its id).
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "boot_health.h"
#include "clock.h"
#include "commands.h"
#include "config.h"
#include "doctor.h"
#include "run.h"
#include "store.h"

namespace lapor::ctl {
namespace {

bool unit_active(const std::string& unit) {
    const auto r = run_program({tool_path("LAPOR_SYSTEMCTL", "systemctl"), "is-active", unit});
    return r.exit == 0;
}

// /data on a kiosk is the data partition; the initramfs mounts a tmpfs there when it cannot.
bool data_persistent() {
    std::ifstream in(tool_path("LAPOR_MOUNTS", "/proc/self/mounts"));
    for (std::string dev, dir, type, rest; in >> dev >> dir >> type && std::getline(in, rest);) {
        if (dir == "/data") return type != "tmpfs";
    }
    return true;  // no /data at all: not a kiosk image (development)
}

HealthFacts gather(const Config& c) {
    HealthFacts f;
    f.data_persistent = data_persistent();
    f.ui_ready = unit_active("lapor-kiosk.service");
    f.sync_ready = unit_active("lapor-sync.service");
    try {
        SystemClock clock;
        auto store = open_store(c.db_path(), clock, OpenMode::existing);
        const Check db = check_database(*store);
        f.database_ok = db.ok;
        f.database_detail = db.ok ? "" : db.detail;
    } catch (const std::exception& e) {
        f.database_detail = e.what();
    }
    return f;
}

}  // namespace

int cmd_health(const Globals& g, const std::vector<std::string>& args) {
    double wait_s = 0;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--wait" && i + 1 < args.size()) {
            try {
                wait_s = std::stod(args[++i]);
            } catch (const std::exception&) {
                return usage_error("health: --wait takes seconds, e.g. --wait 300");
            }
        } else {
            return usage_error("usage: kioskctl health [--wait SECONDS]");
        }
    }
    const Config c = config_of(g);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(static_cast<long long>(wait_s * 1000));
    HealthVerdict v;
    for (;;) {
        v = evaluate_health(gather(c));
        if (v.healthy || std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    const std::string version = running_image_version();
    if (v.healthy) {
        std::cout << "health: ok" << (version.empty() ? "" : " (" + version + ")")
                  << ": the touch screen drew, lapor-sync runs on the store, the database is "
                     "intact\n";
        return ok;
    }
    std::cout << "health: FAILED" << (version.empty() ? "" : " (" + version + ")") << ": "
              << v.text() << "\n";
    return check_failed;
}

int cmd_hostname(const Globals& g, const std::vector<std::string>& args) {
    if (!args.empty()) return usage_error("usage: kioskctl hostname");
    std::cout << hostname_for_kiosk(config_of(g).kiosk.id) << "\n";
    return ok;
}

}  // namespace lapor::ctl
