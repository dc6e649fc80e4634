#include "backoff.h"

#include <algorithm>
#include <cmath>

#include "crypto.h"

namespace lapor::sync {

double backoff_bound_s(int attempts, double base_s, double cap_s) {
    const int n = std::clamp(attempts, 0, 62);
    return std::min(cap_s, base_s * std::ldexp(1.0, n));
}

std::int64_t backoff_ms(int attempts, double base_s, double cap_s, double unit) {
    const double bound = backoff_bound_s(attempts, base_s, cap_s);
    return static_cast<std::int64_t>(std::clamp(unit, 0.0, 1.0) * bound * 1000.0);
}

std::int64_t backoff_ms(int attempts, double base_s, double cap_s) {
    const double unit = static_cast<double>(random_below(1u << 30)) / static_cast<double>(1u << 30);
    return backoff_ms(attempts, base_s, cap_s, unit);
}

}  // namespace lapor::sync
