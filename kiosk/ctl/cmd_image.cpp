// PLACEHOLDER until issue #6 lands: these commands say they are not built yet and exit 3.
// Issue #6 replaces this file.
#include <iostream>

#include "commands.h"

namespace lapor::ctl {

int cmd_provision(const Globals&, const std::vector<std::string>&) {
    std::cerr << "kioskctl provision: not built yet (issue #6)\n";
    return environment;
}

int cmd_doctor(const Globals&, const std::vector<std::string>&) {
    std::cerr << "kioskctl doctor: not built yet (issue #6)\n";
    return environment;
}

}  // namespace lapor::ctl
