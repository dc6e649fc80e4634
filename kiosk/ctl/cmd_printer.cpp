// PLACEHOLDER until issue #3 lands: these commands say they are not built yet and exit 3.
// Issue #3 replaces this file.
#include <iostream>

#include "commands.h"

namespace lapor::ctl {

int cmd_print_test(const Globals&, const std::vector<std::string>&) {
    std::cerr << "kioskctl print-test: not built yet (issue #3)\n";
    return environment;
}

int cmd_receipt_preview(const Globals&, const std::vector<std::string>&) {
    std::cerr << "kioskctl receipt-preview: not built yet (issue #3)\n";
    return environment;
}

}  // namespace lapor::ctl
