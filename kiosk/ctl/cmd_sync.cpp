// PLACEHOLDER until issue #4 lands: these commands say they are not built yet and exit 3.
// Issue #4 replaces this file.
#include <iostream>

#include "commands.h"

namespace lapor::ctl {

int cmd_enroll(const Globals&, const std::vector<std::string>&) {
    std::cerr << "kioskctl enroll: not built yet (issue #4)\n";
    return environment;
}

int cmd_sync_now(const Globals&, const std::vector<std::string>&) {
    std::cerr << "kioskctl sync-now: not built yet (issue #4)\n";
    return environment;
}

}  // namespace lapor::ctl
