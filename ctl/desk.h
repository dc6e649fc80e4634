// Shared by the staff desk commands (verify, verify-page, keyring export).
#pragma once
#include <cstdint>
#include <string>

#include "keyring.h"
#include "report.h"

namespace lapor::ctl {

// The entry's office time zone, or `fallback` when it carries none.
TimeZone zone_of(const KeyringEntry* e, const TimeZone& fallback);
// "2025-11-29 14:06 WIB": the same text the verify page shows in its data-local attribute.
std::string local_time_text(std::int64_t unix_s, const TimeZone& tz);

}  // namespace lapor::ctl
