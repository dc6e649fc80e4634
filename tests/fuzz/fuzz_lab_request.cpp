// libFuzzer target: lapor-lab's reading of requests (sync/lab/lab_request.h). The first byte
// picks the parser; the rest is the body (or header value). Must return, never crash or throw.
// Seeds: corpus/lab_request/{report,enroll,heartbeat,status_ids,bearer,batch*}.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto.h"
#include "lab_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lapor::lab;
    static const bool init = (lapor::crypto_init(), true);
    (void)init;
    if (size < 1) return 0;
    const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
    switch (data[0] % 5) {
        case 0: {
            // The golden example's key, so well-formed bodies reach the signature check.
            (void)parse_report(body, "6d25efa2-2f46-4fa7-9560-68506138844f");
            break;
        }
        case 1: (void)parse_enroll(body); break;
        case 2: (void)parse_status_ids(body); break;
        case 3: (void)parse_heartbeat(body); break;
        default: {
            // Kept at 5 choices so the committed corpus keeps its meaning: the batch parser shares
            // this one, each item read on as the server reads it.
            (void)bearer_token(body);
            (void)normalise_code(body);
            (void)parse_report(body, body.substr(0, 36));
            const auto batch = parse_batch(body);
            if (const auto* items = std::get_if<std::vector<BatchItem>>(&batch))
                for (const auto& item : *items) (void)parse_report(item.body, item.idempotency_key);
        }
    }
    return 0;
}
