#include "share.h"

#include <cstdlib>

namespace lapor {
std::string share_dir() {
    const char* env = std::getenv("LAPOR_KIOSK_SHARE");
    return env && *env ? env : LAPOR_SHARE_DIR;
}
}  // namespace lapor
