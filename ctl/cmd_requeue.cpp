// kioskctl requeue TRACKING | --held | --rejected (sync issue #11): puts reports the national API
// refused (held) or that an older version rejected back in the upload queue after the cause was
// fixed (a new national key, the kiosk id corrected, a new catalog). Each use is audited; a
// running lapor-sync picks them up at its next lease (kioskctl sync-now for at once).
#include <nlohmann/json.hpp>

#include <iostream>

#include "clock.h"
#include "commands.h"
#include "config.h"
#include "run_as.h"
#include "store.h"
#include "tracking.h"

namespace lapor::ctl {

int cmd_requeue(const Globals& g, const std::vector<std::string>& args) {
    if (args.size() != 1)
        return usage_error("requeue needs one of: a tracking code, --held, --rejected");
    const Config c = config_of(g);
    drop_before_store(c.db_path(), Service::kiosk);  // main dropped already when the user exists
    SystemClock clock;
    auto store = open_store(c.db_path(), clock, OpenMode::existing);
    const std::string& what = args[0];
    if (what == "--held" || what == "--rejected") {
        const auto from = what == "--held" ? OutboxState::held : OutboxState::rejected;
        const int n = store->requeue_all(from);
        store->audit("kioskctl", "requeue",
                     std::to_string(n) + " " + std::string(to_string(from)) + " report(s)");
        if (g.json)
            std::cout << nlohmann::json{{"requeued", n}, {"from", to_string(from)}}.dump() << "\n";
        else
            std::cout << n << " " << to_string(from)
                      << " report(s) back in the upload queue (kioskctl sync-now sends them at "
                         "once)\n";
        return ok;
    }
    if (!what.empty() && what[0] == '-') return usage_error("requeue: unknown option " + what);
    const auto parsed = parse_tracking(what);
    if (parsed.error) {
        std::cerr << "kioskctl requeue: \"" << what << "\" is not a tracking code ("
                  << (parsed.error == TrackingError::bad_check ? "wrong check character"
                                                               : "13 characters expected")
                  << ")\n";
        return check_failed;
    }
    const std::string tracking = format_tracking(parsed.raw);
    const auto was = store->requeue_one(tracking);
    if (!was) {
        std::cerr << "kioskctl requeue: no report " << tracking << " on this kiosk\n";
        return check_failed;
    }
    if (*was != OutboxState::held && *was != OutboxState::rejected) {
        std::cerr << "kioskctl requeue: " << tracking << " is " << to_string(*was)
                  << ", not held or rejected; nothing changed\n";
        return check_failed;
    }
    store->audit("kioskctl", "requeue", tracking + " (was " + std::string(to_string(*was)) + ")");
    if (g.json)
        std::cout << nlohmann::json{{"requeued", 1},
                                    {"tracking", tracking},
                                    {"from", to_string(*was)}}
                         .dump()
                  << "\n";
    else
        std::cout << tracking << " (" << to_string(*was)
                  << ") is back in the upload queue (kioskctl sync-now sends it at once)\n";
    return ok;
}

}  // namespace lapor::ctl
