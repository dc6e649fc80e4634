#include "boot_health.h"

namespace lapor {

std::string HealthVerdict::text() const {
    if (healthy) return "healthy";
    std::string out;
    for (const auto& p : problems) out += (out.empty() ? "" : "; ") + p;
    return out;
}

HealthVerdict evaluate_health(const HealthFacts& f) {
    HealthVerdict v;
    if (!f.data_persistent)
        v.problems.push_back("the data partition is not mounted (/data is in memory)");
    if (!f.ui_ready) v.problems.push_back("the touch screen (lapor-kiosk) has drawn no frame");
    if (!f.sync_ready)
        v.problems.push_back("the upload worker (lapor-sync) has not started on the store");
    if (!f.database_ok)
        v.problems.push_back("the database check failed" +
                             (f.database_detail.empty() ? "" : ": " + f.database_detail));
    v.healthy = v.problems.empty();
    return v;
}

std::string hostname_for_kiosk(const std::string& id) {
    std::string h = "kiosk-";
    for (char c : id) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        h += ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) ? c : '-';
    }
    if (id.empty()) h = "kiosk";
    return h.substr(0, 63);
}

}  // namespace lapor
