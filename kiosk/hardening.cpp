#include "hardening.h"

#include <sys/prctl.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace lapor {

void make_undumpable() {
    if (::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
        throw std::runtime_error(std::string("prctl(PR_SET_DUMPABLE, 0) failed: ") +
                                 std::strerror(errno));
}

}  // namespace lapor
