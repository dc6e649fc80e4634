// Capped exponential backoff with full jitter: the wait before attempt n+1 is uniform in
// [0, min(cap, base * 2^n)].
#pragma once
#include <cstdint>

namespace lapor::sync {

// The upper bound for a report that has failed `attempts` times (0 = first failure).
double backoff_bound_s(int attempts, double base_s, double cap_s);
// A draw in [0, bound] (ms), with `unit` in [0, 1) as the random number.
std::int64_t backoff_ms(int attempts, double base_s, double cap_s, double unit);
// The same with a random unit from libsodium.
std::int64_t backoff_ms(int attempts, double base_s, double cap_s);

}  // namespace lapor::sync
