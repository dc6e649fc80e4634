// The health check after each boot (lapor-health.service runs `kioskctl health`): a slot that
// was just installed is marked good only when all of these hold, else the kiosk falls back to
// the previous slot. Pure: kioskctl gathers the facts.
#pragma once
#include <string>
#include <vector>

namespace lapor {

struct HealthFacts {
    bool ui_ready = false;     // lapor-kiosk is active: Type=notify, READY=1 after its first frame
    bool sync_ready = false;   // lapor-sync is active: READY=1 after it opened the store
    bool database_ok = false;  // the store opens and passes its integrity check
    std::string database_detail;
    bool data_persistent = true;  // /data is the data partition, not the memory fallback
};

struct HealthVerdict {
    bool healthy = false;
    std::vector<std::string> problems;  // one sentence each, in check order
    std::string text() const;           // "healthy" or the problems joined with "; "
};

HealthVerdict evaluate_health(const HealthFacts& f);

// The kiosk's hostname from its kiosk id: "kiosk-" + the id in lower case, with every
// character outside a-z 0-9 turned into "-" (a kiosk id is 1-32 of A-Z a-z 0-9 - _ .).
std::string hostname_for_kiosk(const std::string& kiosk_id);

}  // namespace lapor
