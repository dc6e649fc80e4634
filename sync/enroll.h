// Enrollment: trade a one-time code for the kiosk's upload token (POST /v1/enroll). Used by
// lapor-sync at first boot (code from identity/enroll_code) and by `kioskctl enroll --code`.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "http.h"

namespace lapor {
struct Config;
class Store;
}  // namespace lapor

namespace lapor::sync {

struct EnrollOutcome {
    enum Kind { enrolled, refused, unreachable } kind = unreachable;
    std::string words;          // one sentence for a person
    bool code_refused = false;  // the API's envelope refused this code: sending it again is useless
    bool unexpected = false;    // the answer was not the national API's (proxy, captive portal?)
    std::int64_t delay_ms = 0;  // unreachable: wait this long before trying again
};

// On success writes the token (0600, owned by the service user) to Config::token_path() and
// deletes identity/enroll_code. Never throws for network or server trouble. The same code may
// be sent again after any failure but a refusal: the server answers a repeat from the same
// device key with a valid token (docs/api.md), so a lost answer or a token that could not be
// saved strands nothing. `failures` (before this try) sets the retry delay.
EnrollOutcome enroll(const Config& c, HttpClient& http, const std::string& code, int failures = 0);

// The token file's contents (trimmed), or nullopt when there is none.
std::optional<std::string> read_token(const Config& c);

// The enrollment code file's contents (trimmed), or nullopt.
std::optional<std::string> read_enroll_code(const Config& c);

// Health words for enrollment_state.
inline constexpr const char* state_enrolled = "enrolled";
inline constexpr const char* state_waiting =
    "not enrolled: waiting for an enrollment code (kioskctl enroll --code CODE, or "
    "identity/enroll_code)";
inline constexpr const char* state_needs_reenrollment =
    "needs re-enrollment: the server refused the kiosk's token; uploads are stopped until "
    "kioskctl enroll --code CODE succeeds";

}  // namespace lapor::sync
