// The lab's own reading of API v1 requests (docs/api.md). It shares no code with the kiosk's
// client on purpose: two independent readings of one contract. Never throws on any input.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lapor::lab {

// An error answer: HTTP status plus the `{error:{code,message,field}}` body.
struct ApiError {
    int status = 400;
    std::string code;
    std::string message;
    std::string field;  // empty when no single field is at fault
};
std::string error_json(const ApiError& e);

struct EnrollRequest {
    std::string kiosk_id;
    std::string enroll_code;        // normalised: upper case, no separators
    std::string device_public_key;  // 32 raw bytes
    std::string code_prefix;
};
std::variant<EnrollRequest, ApiError> parse_enroll(std::string_view body);

struct ReportRequest {
    std::string uuid;
    std::string kiosk_id;
    std::string classification;  // API value
    std::string agency;
    std::string category;
    std::string privacy;
    std::string language;
    std::string key_id;
    std::string sealed;  // raw bytes
    std::string tracking;
    std::string signature;  // base64url as on the receipt
    std::int64_t signed_at = 0;
    std::string device_public_key;  // 32 raw bytes
};
// `idempotency_key` is the header's value (empty when absent).
std::variant<ReportRequest, ApiError> parse_report(std::string_view body,
                                                   std::string_view idempotency_key);

// POST /v1/reports/batch: `{"reports":[{"idempotency_key":K,"body":B}, ...]}`, 1 to
// max_batch_items items, each a string key and a string body (the bytes a single POST /v1/reports
// would carry), keys distinct; other members are ignored. Anything else is
// `400 malformed_batch`. The items themselves are not read here: each is answered as
// parse_report(body, idempotency_key) and the rest of the single path would answer it.
inline constexpr std::size_t max_batch_items = 100;
struct BatchItem {
    std::string idempotency_key;
    std::string body;
};
std::variant<std::vector<BatchItem>, ApiError> parse_batch(std::string_view body);

// `ids=a,b,c` (1-100 ids, each 1-64 of A-Z a-z 0-9 - _).
std::variant<std::vector<std::string>, ApiError> parse_status_ids(std::string_view ids);

struct Heartbeat {
    std::string kiosk_id;
    std::string json;  // as received (re-serialised compactly)
};
std::variant<Heartbeat, ApiError> parse_heartbeat(std::string_view body);

// `Bearer <token>` -> token, or nullopt.
std::optional<std::string> bearer_token(std::string_view authorization);

// Enrollment codes as people type them: any case, '-' and spaces ignored.
std::string normalise_code(std::string_view code);

}  // namespace lapor::lab
